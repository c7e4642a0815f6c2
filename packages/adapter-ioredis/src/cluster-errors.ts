const EXHAUSTED = 'Too many Cluster redirections. Last error: ';
const REPLY = 'ReplyError: ';

/**
 * ioredis gives up on a command the cluster kept refusing (CLUSTERDOWN, TRYAGAIN, MOVED after
 * `maxRedirections` attempts) with a plain `Error` whose message quotes the last error as text.
 * When that last error was the server's reply, this returns a `ReplyError` of that text (the
 * original kept as `cause`), so it maps to the same class as on any other driver (CLUSTERDOWN is
 * the server's answer, not a lost connection); anything else passes unchanged.
 */
export function lastClusterError(error: unknown): unknown {
  if (!(error instanceof Error) || !error.message.startsWith(EXHAUSTED)) return error;
  const last = error.message.slice(EXHAUSTED.length);
  if (!last.startsWith(REPLY)) return error;
  const reply = new Error(last.slice(REPLY.length), { cause: error });
  reply.name = 'ReplyError';
  return reply;
}
