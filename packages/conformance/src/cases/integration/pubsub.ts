import assert from 'node:assert/strict';
import { RedisConnectionError, RedisSerializationError, RedisValidationError } from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import { closedPort } from '../../harness/free-port.js';
import { completesWithin } from './support/completes-within.js';
import { defineCases } from './support/define-cases.js';
import { deliverAgain } from './support/deliver-again.js';
import { eventually } from './support/eventually.js';
import { MessageReader, publishUntilReceived } from './support/pubsub-reader.js';
import { rejectsWith } from './support/rejects-with.js';
import { restartableServer } from './support/restartable-server.js';

/** How long one message may take to arrive: wide, machines are shared and slow. */
const WAIT_MS = 5000;
/** Only a hang guard: a call that never settles fails here, a slow machine does not. */
const HANG_GUARD_MS = 30_000;

/**
 * Cases on publish/subscribe. Channels are not key-prefixed, so every case names its channels
 * after its own prefix to stay apart from other cases and runs.
 */
export const pubsubCases: IntegrationCase[] = defineCases('pubsub', [
  {
    slug: 'per-channel-order',
    name: 'messages of each channel arrive in the order they were published',
    requires: ['pubsub'],
    async run(ctx) {
      const [a, b] = [`${ctx.prefix}order:a`, `${ctx.prefix}order:b`];
      await using sub = await ctx.redis.subscribe(a, b);
      const reader = new MessageReader(sub);
      const sent: Promise<number>[] = [];
      for (let i = 0; i < 200; i++) sent.push(ctx.redis.publish(i % 2 === 0 ? a : b, String(i)));
      const counts = await Promise.all(sent);
      // On a cluster PUBLISH counts only the subscribers of the node that received it, and the
      // subscription may live on another node (the message reaches it all the same).
      const least = ctx.redis.capabilities.cluster ? 0 : 1;
      assert.ok(
        counts.every((count) => Number.isInteger(count) && count >= least),
        'every PUBLISH reaches at least one subscriber',
      );
      const messages = await reader.take(200, WAIT_MS);
      const of = (channel: string) => messages.filter((m) => m.channel === channel).map((m) => m.message);
      assert.deepEqual(
        of(a),
        Array.from({ length: 100 }, (_, i) => String(2 * i)),
      );
      assert.deepEqual(
        of(b),
        Array.from({ length: 100 }, (_, i) => String(2 * i + 1)),
      );
      assert.equal(sub.dropped, 0);
    },
  },
  {
    slug: 'ten-thousand-messages',
    name: '10,000 messages published at a normal rate all arrive, in order, none dropped',
    requires: ['pubsub'],
    timeoutMs: 120_000,
    async run(ctx) {
      const channel = `${ctx.prefix}bulk`;
      await using sub = await ctx.redis.subscribe(channel);
      const reader = new MessageReader(sub);
      const total = 10_000;
      const batch = 100;
      const received = (async () => {
        const messages = await reader.take(total, 30_000);
        return messages.map((m) => m.message);
      })();
      for (let start = 0; start < total; start += batch) {
        // Issued together, sent in issue order: every adapter keeps the order of one service's calls.
        await Promise.all(
          Array.from({ length: batch }, (_, i) => ctx.redis.publish(channel, String(start + i))),
        );
      }
      const messages = await received;
      assert.equal(sub.dropped, 0, 'no message dropped by the buffer');
      const firstWrong = messages.findIndex((message, i) => message !== String(i));
      assert.equal(firstWrong, -1, `message #${firstWrong} is ${messages[firstWrong]}`);
    },
  },
  {
    slug: 'patterns-match',
    name: 'psubscribe delivers messages of matching channels only, with the pattern',
    requires: ['pubsub'],
    async run(ctx) {
      const pattern = `${ctx.prefix}news.*`;
      await using sub = await ctx.redis.psubscribe(pattern);
      const reader = new MessageReader(sub);
      await ctx.redis.publish(`${ctx.prefix}news.sport`, 'goal');
      await ctx.redis.publish(`${ctx.prefix}weather`, 'rain');
      await ctx.redis.publish(`${ctx.prefix}news.tech`, 'chip');
      // Sorted: two channels promise no order between them. On a cluster each is published on
      // the node of its own slot, and reaches the subscriber's node over the cluster bus.
      const messages = (await reader.take(2, WAIT_MS)).sort((a, b) => a.channel.localeCompare(b.channel));
      assert.deepEqual(messages, [
        { channel: `${ctx.prefix}news.sport`, pattern, message: 'goal' },
        { channel: `${ctx.prefix}news.tech`, pattern, message: 'chip' },
      ]);
      assert.equal(await reader.next(300), 'timeout', 'no message from a channel the pattern does not match');
    },
  },
  {
    slug: 'unsubscribe-stops-delivery',
    name: 'after unsubscribe() nothing more is delivered, while another subscription goes on',
    requires: ['pubsub'],
    async run(ctx) {
      const channel = `${ctx.prefix}stop`;
      const leaving = await ctx.redis.subscribe(channel);
      await using staying = await ctx.redis.subscribe(channel);
      const leavingReader = new MessageReader(leaving);
      const stayingReader = new MessageReader(staying);
      await ctx.redis.publish(channel, 'first');
      assert.equal(((await leavingReader.next(WAIT_MS)) as { message: string }).message, 'first');
      await leaving.unsubscribe();
      await ctx.redis.publish(channel, 'second');
      assert.deepEqual(
        (await stayingReader.take(2, WAIT_MS)).map((m) => m.message),
        ['first', 'second'],
      );
      assert.equal(await leavingReader.next(WAIT_MS), 'done', 'the unsubscribed iterator ends');
      await staying.unsubscribe();
      await eventually(
        async () => (await ctx.redis.publish(channel, 'nobody')) === 0,
        'PUBLISH reaches no subscriber once all have left',
      );
    },
  },
  {
    slug: 'close-ends-iterators',
    name: 'closing the service ends every iterator, waiting ones included',
    requires: ['pubsub'],
    async run(ctx) {
      const redis = await ctx.createService();
      const one = new MessageReader(await redis.subscribe(`${ctx.prefix}close:a`));
      const two = new MessageReader(await redis.psubscribe(`${ctx.prefix}close:*`));
      const waiting = [one.next(WAIT_MS), two.next(WAIT_MS)];
      await redis.close();
      assert.deepEqual(await Promise.all(waiting), ['done', 'done']);
    },
  },
  {
    slug: 'slow-consumer-is-bounded',
    name: "a consumer that does not read keeps at most bufferSize messages; 'drop-oldest' counts the rest",
    requires: ['pubsub'],
    async run(ctx) {
      const channel = `${ctx.prefix}slow`;
      await using sub = await ctx.redis.subscribe(channel, { bufferSize: 10 });
      for (let i = 0; i < 50; i++) await ctx.redis.publish(channel, String(i));
      await eventually(async () => sub.dropped === 40, `40 of 50 messages dropped (saw ${sub.dropped})`);
      const kept = await new MessageReader(sub).take(10, WAIT_MS);
      assert.deepEqual(
        kept.map((m) => m.message),
        Array.from({ length: 10 }, (_, i) => String(40 + i)),
      );
    },
  },
  {
    slug: 'json-messages',
    name: 'publishJson sends JSON text and refuses what JSON cannot hold before publishing',
    requires: ['pubsub'],
    async run(ctx) {
      const channel = `${ctx.prefix}json`;
      await using sub = await ctx.redis.subscribe(channel);
      const reader = new MessageReader(sub);
      await rejectsWith(ctx.redis.publishJson(channel, { n: 1n }), RedisSerializationError, 'a BigInt');
      await rejectsWith(ctx.redis.publishJson(channel, undefined), RedisValidationError, 'undefined');
      await ctx.redis.publishJson(channel, { id: 1, tags: ['a'] });
      const [message] = await reader.take(1, WAIT_MS);
      assert.deepEqual(JSON.parse(message!.message), { id: 1, tags: ['a'] });
      await ctx.redis.publishJson(channel, [true, null, 'x']);
      for await (const { value } of sub.json()) {
        assert.deepEqual(value, [true, null, 'x']);
        break;
      }
    },
  },
  {
    slug: 'closed-port-fails-fast',
    name: 'subscribing to a closed port rejects with RedisConnectionError (not a timeout, not an endless retry)',
    requires: ['pubsub'],
    timeoutMs: 2 * HANG_GUARD_MS,
    async run(ctx) {
      const dead = new URL(ctx.url);
      dead.hostname = '127.0.0.1';
      dead.port = String(await closedPort());
      // A subscriber that keeps retrying never settles (the hang guard reports it); one that gives
      // up with a timeout or a plain error fails the class check.
      const redis = await ctx.createService({ url: dead.toString() });
      await completesWithin(
        rejectsWith(redis.subscribe(`${ctx.prefix}dead`), RedisConnectionError, 'subscribe on a closed port'),
        HANG_GUARD_MS,
        'subscribe on a closed port',
        'a refused connection must fail the subscription, not leave it waiting',
      );
    },
  },
  {
    slug: 'server-restart',
    name: 'after a server restart, a publish still reaches the subscriber (the adapter resubscribes)',
    requires: ['pubsub'],
    skipOnCluster:
      'the restarted server is a standalone one of the case, which a cluster client cannot use; a node lost under a cluster is cluster-topology/failover-under-load',
    timeoutMs: 60_000,
    async run(ctx) {
      // On REDIS_URL, a private server of the case's own: the shared one is never restarted.
      const { redis, restart } = await restartableServer(ctx);
      const channel = `${ctx.prefix}restart`;
      await using sub = await redis.subscribe(channel);
      const reader = new MessageReader(sub);
      await publishUntilReceived(() => redis.publish(channel, 'before'), reader, WAIT_MS);
      await restart();
      const message = await deliverAgain((m) => redis.publish(channel, m), reader, 'after', 30_000);
      assert.equal(message.channel, channel);
    },
  },
]);
