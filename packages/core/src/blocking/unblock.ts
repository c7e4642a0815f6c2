import type { DedicatedConnection } from '../port/dedicated.js';
import type { RedisCommand, RedisReply } from '../port/reply.js';

/** Sends one command on the shared connection (through the service's limiter, or the bare driver on close). */
export type SharedSend = (command: RedisCommand) => Promise<RedisReply>;

const FIRST_RETRY_MS = 1;
const MAX_RETRY_MS = 50;
/**
 * How many answers of 0 past the bound, each followed by a turn of the event loop, prove that no
 * reply is on its way. The server writes a reply no later than it answers a CLIENT UNBLOCK that
 * came after it, and the two then reach us in the same or consecutive reads; so a reply still
 * missing after two such rounds was never written. Counted in round trips, not milliseconds, so
 * a busy machine (which stretches every round trip) cannot make a reply in flight look lost.
 */
const ROUNDS_PAST_BOUND = 2;

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
 * way to the server, or its reply (maybe carrying an element) on the way back. The call is
 * repeated, with a short growing pause that lets that reply be read, until the server confirms
 * (1) or the reply arrives. The connection is closed instead (it cannot be reused with a reply
 * still owed) only when the shared connection cannot send the unblock, when a confirmed unblock's
 * nil reply does not come within `boundMs`, or when past `boundMs` the server has answered 0
 * twice more with still no reply: then none was written, and none can be dropped with it.
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
  let roundsPastBound = 0;
  while (!done && !connection.isClosed) {
    let answer: RedisReply;
    try {
      answer = await send(['CLIENT', 'UNBLOCK', connection.clientId]);
    } catch {
      break;
    }
    if (answer === 1) {
      // Confirmed: the reply (nil, no element) is on its way; only a hung server keeps it back.
      await pause(boundMs, replied);
      break;
    }
    // Always a turn of the event loop before judging: a reply that came with this answer is
    // read now, even when a busy machine has let the bound pass meanwhile.
    await pause(retryMs, replied);
    if (done) break;
    if (Date.now() >= deadline && ++roundsPastBound >= ROUNDS_PAST_BOUND) break;
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  }
  if (!done) await connection.close();
}
