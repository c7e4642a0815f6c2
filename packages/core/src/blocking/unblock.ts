import type { DedicatedConnection } from '../port/dedicated.js';
import type { RedisCommand, RedisReply } from '../port/reply.js';

/** Sends one command on the shared connection (through the service's limiter, or the bare driver on close). */
export type SharedSend = (command: RedisCommand) => Promise<RedisReply>;

const FIRST_RETRY_MS = 1;
const MAX_RETRY_MS = 50;

function pause(ms: number, or: Promise<unknown>): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const slept = new Promise((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([slept, or]).finally(() => clearTimeout(timer));
}

/**
 * Ends the wait of the blocking command in flight on `connection`, so that its reply arrives
 * now: `CLIENT UNBLOCK <id>` on the shared connection, which makes the server answer the blocked
 * command as if its timeout had passed (nil), unless an element reached it first (then the reply
 * carries that element, and the caller still gets it: an element is never lost on the wire).
 *
 * `CLIENT UNBLOCK` answers 0 when the command is not blocked (yet): its bytes may still be on the
 * way to the server, or its reply on the way back. The call is repeated, with a short growing
 * pause, until the server confirms (1) or the reply arrives. When neither happens within
 * `boundMs`, or the shared connection cannot send the unblock, the dedicated connection is closed
 * instead: it cannot be reused with a reply still owed.
 *
 * @param replied resolves (never rejects) once the blocked command's reply (or error) arrived
 */
export async function unblock(
  connection: DedicatedConnection,
  replied: Promise<unknown>,
  send: SharedSend,
  boundMs: number,
): Promise<void> {
  let done = false;
  void replied.then(() => {
    done = true;
  });
  const deadline = Date.now() + boundMs;
  let retryMs = FIRST_RETRY_MS;
  while (!done && !connection.isClosed) {
    let answer: RedisReply;
    try {
      answer = await send(['CLIENT', 'UNBLOCK', connection.clientId]);
    } catch {
      break;
    }
    const left = deadline - Date.now();
    if (answer === 1) {
      // Confirmed: the reply is on its way; only a hung server keeps it back.
      await pause(Math.max(left, 1), replied);
      break;
    }
    if (done || left <= 0) break;
    await pause(Math.min(retryMs, left), replied);
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  }
  if (!done) await connection.close();
}
