/** One argument of a command sent to Redis: text is sent as its UTF-8 bytes. */
export type RespArg = string | Uint8Array;

/** Text is joined into pieces of about this many characters before it becomes a piece of its own. */
const PIECE_CHARS = 64 * 1024;

/**
 * Renders commands as RESP2 arrays of bulk strings, in few pieces for one corked write: the text of
 * many small commands is joined, and a byte argument is passed on as it is (never copied). Work and
 * memory are linear in the size of the commands, however many there are.
 */
export function encodeCommands(commands: readonly (readonly RespArg[])[]): (string | Uint8Array)[] {
  const pieces: (string | Uint8Array)[] = [];
  let text = '';
  for (const argv of commands) {
    text += `*${argv.length}\r\n`;
    for (const arg of argv) {
      if (typeof arg === 'string') {
        text += `$${Buffer.byteLength(arg, 'utf8')}\r\n${arg}\r\n`;
        continue;
      }
      text += `$${arg.byteLength}\r\n`;
      pieces.push(text, arg);
      text = '\r\n';
    }
    if (text.length >= PIECE_CHARS) {
      pieces.push(text);
      text = '';
    }
  }
  if (text !== '') pieces.push(text);
  return pieces;
}
