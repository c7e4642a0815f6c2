import assert from 'node:assert/strict';
import type { PubSubMessage } from '@redis-service/core';
import { type MessageReader, publishUntilReceived } from './pubsub-reader.js';

/**
 * Publishes `message` until the reader gets it, within `timeoutMs`. Messages published earlier
 * (a slow first delivery makes `publishUntilReceived` publish twice) are skipped, not mistaken
 * for it.
 */
export async function deliverAgain(
  publish: (message: string) => Promise<unknown>,
  reader: MessageReader,
  message: string,
  timeoutMs: number,
): Promise<PubSubMessage> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const left = deadline - performance.now();
    if (left <= 0) assert.fail(`'${message}' did not arrive within ${timeoutMs} ms`);
    const received = await publishUntilReceived(() => publish(message), reader, left);
    if (received.message === message) return received;
  }
}
