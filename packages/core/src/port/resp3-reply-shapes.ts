/**
 * Protocol knowledge every RESP adapter needs to keep replies in the port's one (RESP2) shape when
 * its client speaks RESP3: the commands whose reply *structure* differs between the protocols.
 * Written once here so the adapters fold the same commands the same way.
 */

/**
 * Commands whose RESP3 reply nests `[member, score]` (or `[field, value]`) pairs where RESP2 sends
 * one flat list: a RESP3 reply to these is flattened.
 */
export const RESP3_PAIRED_REPLY_COMMANDS: ReadonlySet<string> = new Set([
  'ZRANGE',
  'ZRANGEBYSCORE',
  'ZREVRANGE',
  'ZREVRANGEBYSCORE',
  'ZDIFF',
  'ZINTER',
  'ZUNION',
  'ZPOPMIN',
  'ZPOPMAX',
  'ZRANDMEMBER',
  'HRANDFIELD',
  'VSIM',
]);

/** Commands that RESP3 answers with a map `{stream: entries}` and RESP2 with `[[stream, entries], ...]`. */
export const RESP3_STREAM_MAP_COMMANDS: ReadonlySet<string> = new Set(['XREAD', 'XREADGROUP']);
