import { RedisAbortedError, type RedisService } from '@redis-service/core';

/** What `abortRace` counted. */
export interface AbortRaceCounts {
  /** Elements pushed, one per round. */
  readonly pushed: number;
  /** Elements the waiting callers received (their pop resolved). */
  readonly popped: readonly string[];
  /** Of those, how many arrived although the caller had already aborted (the abort lost the race). */
  readonly deliveredAfterAbort: number;
  /** Pops that rejected with `RedisAbortedError` (nothing taken). */
  readonly aborted: number;
  /** Elements still in the list at the end. */
  readonly left: readonly string[];
  /** Anything else a pop settled with (a defect). */
  readonly unexpected: readonly string[];
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Pushes one element per round while a `blpop` (timeout 0: only the abort ends it) waits on the
 * same list and is aborted at a different moment each round: before the push, in the same tick,
 * after it, a tick later, or at random. `lanes` rounds run at once (on a shared list, so a pop
 * may take another lane's element). Every element is accounted for: popped or left in the list.
 */
export async function abortRace(
  redis: RedisService,
  pusher: RedisService,
  key: string,
  rounds: number,
  lanes: number,
): Promise<AbortRaceCounts> {
  const popped: string[] = [];
  const unexpected: string[] = [];
  let aborted = 0;
  let deliveredAfterAbort = 0;
  let next = 0;
  const round = async (index: number) => {
    const controller = new AbortController();
    const pop = redis.blpop(key, 0, { signal: controller.signal }).then(
      (reply) => {
        if (reply === null) unexpected.push(`round ${index}: null from a pop without a timeout`);
        else {
          popped.push(reply.element);
          if (controller.signal.aborted) deliveredAfterAbort++;
        }
      },
      (error: unknown) => {
        if (error instanceof RedisAbortedError) aborted++;
        else
          unexpected.push(
            `round ${index}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
          );
      },
    );
    const element = `e${index}`;
    switch (index % 5) {
      case 0:
        controller.abort();
        await pusher.rpush(key, element);
        break;
      case 1: {
        const push = pusher.rpush(key, element);
        controller.abort();
        await push;
        break;
      }
      case 2:
        await pusher.rpush(key, element);
        controller.abort();
        break;
      case 3: {
        const push = pusher.rpush(key, element);
        await tick();
        controller.abort();
        await push;
        break;
      }
      default: {
        const push = new Promise((resolve) => setTimeout(resolve, index % 3)).then(() =>
          pusher.rpush(key, element),
        );
        await new Promise((resolve) => setTimeout(resolve, index % 2));
        controller.abort();
        await push;
      }
    }
    await pop;
  };
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < rounds) await round(next++);
    }),
  );
  const left = (await pusher.lrange(key, 0, -1)) as string[];
  return { pushed: rounds, popped, deliveredAfterAbort, aborted, left, unexpected };
}
