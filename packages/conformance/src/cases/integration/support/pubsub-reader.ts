import type { PubSubMessage, Subscription } from '@redis-service/core';

/** A reader over one subscription whose waits are bounded, so a lost message fails a case instead of hanging it. */
export class MessageReader {
  readonly #iterator: AsyncIterator<PubSubMessage, undefined>;
  // A read that timed out stays pending and is reused: dropping it would lose the message it gets.
  #pending: Promise<PubSubMessage | 'done'> | undefined;

  constructor(subscription: Subscription) {
    this.#iterator = subscription[Symbol.asyncIterator]();
  }

  /** The next message, `'done'` when the iterator ended, or `'timeout'` when nothing came within `ms`. */
  async next(ms: number): Promise<PubSubMessage | 'done' | 'timeout'> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ms);
    });
    this.#pending ??= this.#iterator
      .next()
      .then((result) => (result.done ? ('done' as const) : result.value));
    const next = this.#pending;
    try {
      const outcome = await Promise.race([next, timeout]);
      if (outcome !== 'timeout') this.#pending = undefined;
      return outcome;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Reads `count` messages, each within `ms` of the previous one; fails naming how many arrived. */
  async take(count: number, ms: number): Promise<PubSubMessage[]> {
    const messages: PubSubMessage[] = [];
    while (messages.length < count) {
      const next = await this.next(ms);
      if (next === 'done' || next === 'timeout') {
        throw new Error(`expected ${count} messages, got ${messages.length} (then ${next})`);
      }
      messages.push(next);
    }
    return messages;
  }
}

/** Publishes `publish()` until the reader gets a message (or `timeoutMs` passes); publish errors are retried. */
export async function publishUntilReceived(
  publish: () => Promise<unknown>,
  reader: MessageReader,
  timeoutMs: number,
): Promise<PubSubMessage> {
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  while (performance.now() < deadline) {
    try {
      await publish();
    } catch (error) {
      lastError = error; // the server may still be coming back
    }
    const next = await reader.next(200);
    if (next === 'done') throw new Error('the subscription ended');
    if (next !== 'timeout') return next;
  }
  const detail = lastError instanceof Error ? ` (last publish error: ${lastError.message})` : '';
  throw new Error(`no message arrived within ${timeoutMs} ms${detail}`);
}
