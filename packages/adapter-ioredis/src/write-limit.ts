/** Commands whose cost on the server is of the order of the client's: their writes stay short. */
const SCRIPT_COMMANDS: ReadonlySet<string> = new Set([
  'EVALSHA',
  'EVAL',
  'EVALSHA_RO',
  'EVAL_RO',
  'FCALL',
  'FCALL_RO',
]);

/**
 * How many commands a coalesced write that starts with `name` may hold: `maxBatch` for cheap
 * commands; for a script, at most as many as are still unanswered ahead of it, since a script
 * costs Redis about as much as Node spends preparing it and Redis must not sit idle while Node
 * fills a long write.
 */
export function writeLimit(name: string, unanswered: number, maxBatch: number): number {
  return SCRIPT_COMMANDS.has(name) ? Math.min(unanswered, maxBatch) : maxBatch;
}
