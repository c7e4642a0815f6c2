import assert from 'node:assert/strict';
import {
  RedisCapabilityError,
  RedisClosedError,
  type RedisService,
  RedisStreamEntryError,
  readDeadLetter,
  type StreamConsumer,
  type StreamMessage,
} from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import { blockedClients } from './support/blocked-clients.js';
import { defineCases } from './support/define-cases.js';
import { eventually } from './support/eventually.js';
import { rejectsWith } from './support/rejects-with.js';
import { settleWithin } from './support/settle-within.js';
import { settledValue } from './support/settled-value.js';
import { ada, invalidUser, userSchema } from './support/user-schema.js';

/** Hang guards only: nothing here is timed. */
const GUARD_MS = 15_000;
const ABORT_ROUNDS = 200;

type Message = StreamMessage<Record<string, string>>;

async function addEntries(redis: RedisService, stream: string, count: number): Promise<string[]> {
  const added = await redis.pipeline((p) => Array.from({ length: count }, (_, n) => p.xadd(stream, { n })));
  return added.map((outcome) => settledValue(outcome, 'xadd'));
}

/** Takes `count` messages from a consumer (without acknowledging them). */
async function take<M>(consumer: AsyncIterator<M>, count: number): Promise<M[]> {
  const messages: M[] = [];
  while (messages.length < count) {
    const next = await consumer.next();
    if (next.done) assert.fail(`the consumer ended after ${messages.length} of ${count} messages`);
    messages.push(next.value);
  }
  return messages;
}

async function waitForBlocked(redis: RedisService, count: number): Promise<void> {
  await eventually(
    async () => (await blockedClients(redis)) >= count,
    `${count} reads blocked on the server`,
    {
      timeoutMs: GUARD_MS,
    },
  );
}

/** Cases on `consume()`: the consumer-group iterator, its recovery of stuck entries and its dead letters. */
export const streamConsumeCases: IntegrationCase[] = defineCases('streams', [
  {
    slug: 'consume-hands-out-entries-in-order',
    name: 'consume hands out every entry in stream order with its fields and delivery count 1; ack() acknowledges once and is idempotent; await using ends it',
    async run({ redis }) {
      await redis.xgroupCreate('q', 'grp', '0', { mkStream: true });
      const ids = await addEntries(redis, 'q', 25);
      const seen: string[] = [];
      {
        await using consumer = redis.consume('q', { group: 'grp', consumer: 'c1', count: 4, blockMs: 100 });
        for await (const message of consumer) {
          assert.equal(message.ok, true);
          assert.deepEqual(message.fields, { n: String(seen.length) });
          assert.equal(message.value, message.fields, 'a raw consumer hands out the fields as its value');
          assert.equal(message.deliveryCount, 1);
          assert.equal([message.stream, message.group, message.consumer].join(), 'q,grp,c1');
          const acking = message.ack();
          assert.equal(message.ack(), acking, 'a second ack() is the first one');
          assert.equal(await acking, true);
          seen.push(message.id);
          if (seen.length === ids.length) break;
        }
        assert.deepEqual(consumer.stats, {
          delivered: 25,
          acked: 25,
          claimed: 0,
          deadLettered: 0,
          deletedPending: 0,
        });
      }
      assert.deepEqual(seen, ids);
      assert.equal((await redis.xpending('q', 'grp')).count, 0);
      assert.equal(redis.dedicatedStats.inUse, 0, 'the consumer holds no dedicated connection once ended');
    },
  },
  {
    slug: 'consume-reads-a-batch-only-when-asked',
    name: 'back-pressure: the consumer reads the next batch of count entries only when the caller asks for a message and none is left',
    async run({ redis }) {
      await redis.xgroupCreate('q', 'grp', '0', { mkStream: true });
      await addEntries(redis, 'q', 10);
      await using consumer = redis.consume('q', { group: 'grp', consumer: 'c', count: 3, blockMs: 100 });
      const delivered = async () => (await redis.xpending('q', 'grp')).count;
      assert.equal(await delivered(), 0, 'nothing is read before the first next()');
      await take(consumer, 1);
      assert.equal(await delivered(), 3, 'one batch of 3 was read');
      await take(consumer, 2);
      assert.equal(await delivered(), 3, 'the batch was handed out from memory');
      await take(consumer, 1);
      assert.equal(await delivered(), 6, 'the second batch was read when the fourth message was asked for');
      const [group] = await redis.xinfoGroups('q');
      assert.equal(group?.pending, 6, 'unacknowledged messages stay pending');
    },
  },
  {
    slug: 'consume-restart-replays-own-pending-first',
    name: 'a consumer started again under the same name first hands out its own unacknowledged entries (delivery count 2), the rest of the batch it never handed out included, then new ones',
    async run({ redis }) {
      await redis.xgroupCreate('q', 'grp', '0', { mkStream: true });
      const ids = await addEntries(redis, 'q', 10);
      const first = redis.consume('q', { group: 'grp', consumer: 'c', count: 5, blockMs: 100 });
      const [a, b, c] = await take(first, 3);
      assert.equal(await a!.ack(), true);
      assert.equal(await c!.ack(), true);
      await first.close();
      assert.equal((await first.next()).done, true, 'a closed consumer is done');
      assert.equal(b!.id, ids[1]);
      const again = redis.consume('q', { group: 'grp', consumer: 'c', count: 5, blockMs: 100 });
      const replayed = await take(again, 3);
      assert.deepEqual(
        replayed.map((message) => [message.id, message.deliveryCount]),
        [
          [ids[1], 2],
          [ids[3], 2],
          [ids[4], 2],
        ],
        'its pending entries first, the held one and the two never handed out',
      );
      const fresh = await take(again, 5);
      assert.deepEqual(
        fresh.map((message) => [message.id, message.deliveryCount]),
        ids.slice(5).map((id) => [id, 1]),
      );
      for (const message of [...replayed, ...fresh]) assert.equal(await message.ack(), true);
      await again.close();
      assert.equal((await redis.xpending('q', 'grp')).count, 0);
    },
  },
  {
    slug: 'consume-claims-entries-of-a-dead-consumer',
    name: 'with claimIdleMs, a consumer claims what another left pending that long (XAUTOCLAIM), with delivery count 2, and skips entries deleted meanwhile',
    timeoutMs: 60_000,
    async run({ redis }) {
      await redis.xgroupCreate('q', 'grp', '0', { mkStream: true });
      const ids = await addEntries(redis, 'q', 8);
      const dead = redis.consume('q', { group: 'grp', consumer: 'dead', count: 4, blockMs: 100 });
      await take(dead, 1);
      await dead.close();
      await redis.xdel('q', ids[3]!);
      const alive = redis.consume('q', {
        group: 'grp',
        consumer: 'alive',
        count: 4,
        blockMs: 50,
        claimIdleMs: 50,
        signal: AbortSignal.timeout(GUARD_MS * 2),
      });
      const got = new Map<string, number>();
      for await (const message of alive) {
        got.set(message.id, message.deliveryCount);
        await message.ack();
        if (got.size === 7) break;
      }
      assert.deepEqual(
        [...got.keys()].sort(),
        ids.filter((id) => id !== ids[3]).sort(),
        'every live entry was handed out once',
      );
      for (const id of ids.slice(0, 3))
        assert.equal(got.get(id), 2, `${id} was claimed from the dead consumer`);
      for (const id of ids.slice(4)) assert.equal(got.get(id), 1);
      assert.equal(alive.stats.claimed, 3);
      assert.equal(alive.stats.deletedPending, 1, 'the deleted pending entry was dropped');
      assert.equal((await redis.xpending('q', 'grp')).count, 0);
    },
  },
  {
    slug: 'consume-moves-entries-delivered-too-often-to-the-dead-letter-stream',
    name: 'an entry delivered more than maxDeliveries times is moved to the dead-letter stream (with stream, group, consumer, id, delivery count, reason and its fields) and acknowledged, never handed out again',
    requires: ['scripting'],
    async run({ redis }) {
      await redis.xgroupCreate('q', 'grp', '0', { mkStream: true });
      const [poison, fine] = [
        await redis.xadd('q', { job: 'poison' }),
        await redis.xadd('q', { job: 'fine' }),
      ];
      const options = {
        group: 'grp',
        consumer: 'c',
        count: 1,
        blockMs: 50,
        maxDeliveries: 2,
        deadLetterStream: 'q:dead',
      };
      const handedOut: number[] = [];
      for (let run = 0; run < 2; run++) {
        // Each run takes the poison entry and stops without acknowledging it, as a crashing worker would.
        const consumer = redis.consume('q', options);
        const [message] = await take(consumer, 1);
        assert.equal(message!.id, poison);
        handedOut.push(message!.deliveryCount);
        await consumer.close();
      }
      assert.deepEqual(handedOut, [1, 2]);
      const third = redis.consume('q', options);
      const [next] = await take(third, 1);
      assert.equal(next!.id, fine, 'the third delivery of the poison entry went to the dead-letter stream');
      assert.equal(await next!.ack(), true);
      assert.equal(third.stats.deadLettered, 1);
      await third.close();
      const dead = await redis.xrange('q:dead');
      assert.equal(dead.length, 1);
      assert.deepEqual(readDeadLetter(dead[0]!), {
        deadLetterId: dead[0]!.id,
        stream: 'q',
        group: 'grp',
        consumer: 'c',
        id: poison,
        deliveries: 3,
        reason: 'max-deliveries',
        fields: { job: 'poison' },
      });
      assert.equal((await redis.xpending('q', 'grp')).count, 0, 'the moved entry was acknowledged');
      assert.equal(await redis.xlen('q'), 2, 'the original stays in its stream');
    },
  },
  {
    slug: 'consume-dead-letter-moves-an-entry-once',
    name: 'message.deadLetter() moves an entry once: not after ack(), not by a consumer the entry was claimed away from, and ack() after it is false',
    requires: ['scripting'],
    async run({ redis }) {
      await redis.xgroupCreate('q', 'grp', '0', { mkStream: true });
      await addEntries(redis, 'q', 3);
      const options = { group: 'grp', count: 3, blockMs: 50, deadLetterStream: 'dlq' };
      await using a = redis.consume('q', { ...options, consumer: 'a' });
      const [first, second, third] = (await take(a, 3)) as Message[];
      assert.equal(await first!.ack(), true);
      assert.equal(await first!.deadLetter(), false, 'an acknowledged message is not moved');
      assert.equal(await second!.deadLetter('bad input'), true);
      assert.equal(await second!.deadLetter('bad input'), true, 'the same answer again, nothing sent');
      assert.equal(await second!.ack(), false, 'a moved message is not acknowledged again');
      await redis.xclaim('q', 'grp', 'b', 0, [third!.id], { justId: true });
      assert.equal(
        await third!.deadLetter(),
        false,
        'an entry claimed by another consumer is not moved by this one',
      );
      const dead = (await redis.xrange('dlq')).map((entry) => readDeadLetter(entry));
      assert.deepEqual(
        dead.map((letter) => [letter?.id, letter?.reason, letter?.deliveries]),
        [[second!.id, 'bad input', 1]],
      );
      assert.deepEqual(await redis.xpending('q', 'grp', { count: 10 }).then((p) => p.map((e) => e.id)), [
        third!.id,
      ]);
      assert.deepEqual(a.stats.deadLettered, 1);
    },
  },
  {
    slug: 'consume-hands-out-undecodable-entries-with-a-typed-error',
    name: 'a model consumer hands out an entry that is not JSON or fails the schema as ok: false with RedisStreamEntryError naming the stream and the id, and goes on with the next',
    async run({ redis }) {
      await redis.xgroupCreate('users', 'grp', '0', { mkStream: true });
      const good = await redis.xaddModel('users', userSchema, ada);
      const notJson = await redis.xadd('users', { json: 'not json' });
      const invalid = await redis.xaddJson('users', invalidUser);
      const after = await redis.xaddModel('users', userSchema, { ...ada, name: 'Ada 2' });
      await using consumer = redis.consume('users', {
        group: 'grp',
        consumer: 'c',
        schema: userSchema,
        blockMs: 50,
      });
      const messages = await take(consumer, 4);
      assert.deepEqual(
        messages.map((message) => [message.id, message.ok]),
        [
          [good, true],
          [notJson, false],
          [invalid, false],
          [after, true],
        ],
      );
      const [first, broken, failing, last] = messages;
      assert.deepEqual(first!.ok && first!.value, ada);
      assert.deepEqual(last!.ok && last!.value.name, 'Ada 2');
      for (const [message, id] of [
        [broken, notJson],
        [failing, invalid],
      ] as const) {
        assert.ok(message!.error instanceof RedisStreamEntryError);
        assert.equal(message!.error.stream, 'users');
        assert.equal(message!.error.id, id);
        assert.ok(message!.error.message.includes(id) && message!.error.message.includes("'users'"));
      }
      assert.deepEqual(
        failing!.error?.issues.map((issue) => issue.path),
        [['age']],
      );
      for (const message of messages) assert.equal(await message.ack(), true);
      const json = redis.consume('users', {
        group: 'grp2',
        consumer: 'c',
        json: true,
        createGroup: { startId: '0' },
        blockMs: 50,
      });
      const [raw] = await take(json, 1);
      assert.deepEqual(raw!.ok && raw!.value, ada, 'json: true reads the value without a schema');
      await json.close();
    },
  },
  {
    slug: 'consume-abort-unblocks-a-waiting-read',
    name: "a consumer's signal ends its iteration while its read blocks (CLIENT UNBLOCK): next() is done, the dedicated connection is handed back, and an entry added later is left for the group",
    requires: ['blocking'],
    timeoutMs: 60_000,
    async run(ctx) {
      const redis = await ctx.createService({ maxDedicatedConnections: 1 });
      await redis.xgroupCreate('q', 'grp', '$', { mkStream: true });
      const baseline = await blockedClients(redis);
      const controller = new AbortController();
      const consumer = redis.consume('q', {
        group: 'grp',
        consumer: 'c',
        blockMs: 0,
        signal: controller.signal,
      });
      assert.equal(consumer.readMode, 'block');
      const waiting = settleWithin(consumer.next(), GUARD_MS);
      await waitForBlocked(redis, baseline + 1);
      assert.equal(redis.dedicatedStats.inUse, 1, 'the read waits on a dedicated connection');
      controller.abort();
      const outcome = await waiting;
      assert.equal(outcome.status, 'resolved', 'next() settled');
      assert.deepEqual((outcome as { value: unknown }).value, { done: true, value: undefined });
      await eventually(async () => (await blockedClients(redis)) <= baseline, 'nothing is left blocked');
      assert.equal(redis.dedicatedStats.inUse, 0, 'the connection was handed back');
      const id = await redis.xadd('q', { a: 1 });
      assert.equal((await consumer.next()).done, true);
      assert.equal((await redis.xpending('q', 'grp')).count, 0, 'the ended consumer read nothing more');
      const [read] = await redis.xreadgroup('grp', 'other', { q: '>' });
      assert.equal(read?.entries[0]?.id, id, 'the entry went to the next reader');
    },
  },
  {
    slug: 'consume-waits-its-turn-for-a-dedicated-connection',
    name: 'consumers beyond maxDedicatedConnections wait for a connection: closing a waiting one takes it out of the queue, closing a reading one hands its connection to the next, which then gets the entries',
    requires: ['blocking'],
    timeoutMs: 60_000,
    async run(ctx) {
      const redis = await ctx.createService({ maxDedicatedConnections: 1 });
      await redis.xgroupCreate('q', 'grp', '$', { mkStream: true });
      const baseline = await blockedClients(redis);
      const [first, second, third] = ['first', 'second', 'third'].map((consumer) =>
        redis.consume('q', { group: 'grp', consumer, blockMs: 0 }),
      ) as [StreamConsumer<Message>, StreamConsumer<Message>, StreamConsumer<Message>];
      const firstNext = settleWithin(first.next(), GUARD_MS);
      await waitForBlocked(redis, baseline + 1);
      const secondNext = settleWithin(second.next(), GUARD_MS);
      const thirdNext = settleWithin(third.next(), GUARD_MS);
      await eventually(
        async () => redis.dedicatedStats.queued === 2,
        'two consumers queued for the connection',
      );
      await third.close();
      assert.deepEqual(await thirdNext, { status: 'resolved', value: { done: true, value: undefined } });
      assert.equal(redis.dedicatedStats.queued, 1, 'the closed consumer left the queue');
      await first.close();
      assert.deepEqual(await firstNext, { status: 'resolved', value: { done: true, value: undefined } });
      await eventually(
        async () => redis.dedicatedStats.queued === 0 && (await blockedClients(redis)) === baseline + 1,
        'the second consumer reads on the connection handed back',
      );
      assert.equal(redis.dedicatedStats.open, 1, 'one connection served all three');
      const id = await redis.xadd('q', { a: 1 });
      const outcome = await secondNext;
      assert.equal(outcome.status, 'resolved');
      const next = (outcome as { value: IteratorResult<Message> }).value;
      assert.equal(next.done ? undefined : next.value.id, id);
      await second.close();
      assert.equal(redis.dedicatedStats.inUse, 0, 'every connection was handed back');
      const pending = await redis.xpending('q', 'grp', { count: 10 });
      assert.deepEqual(
        pending.map((entry) => [entry.id, entry.consumer]),
        [[id, 'second']],
        'only the reading consumer got the entry',
      );
    },
  },
  {
    slug: 'consume-close-ends-a-waiting-iteration',
    name: 'close() (and leaving an await using scope) ends a for await loop whose read waits, in blocking and polling mode alike; the service then keeps working',
    timeoutMs: 60_000,
    async run({ redis }) {
      await redis.xgroupCreate('q', 'grp', '$', { mkStream: true });
      const modes = redis.capabilities.blocking ? (['block', 'poll'] as const) : (['poll'] as const);
      for (const readMode of modes) {
        const consumer = redis.consume('q', { group: 'grp', consumer: readMode, blockMs: 0, readMode });
        const loop = (async () => {
          let handedOut = 0;
          for await (const _ of consumer) handedOut++;
          return handedOut;
        })();
        // Let the loop start waiting before closing it.
        await new Promise((resolve) => setTimeout(resolve, 50));
        await consumer.close();
        const outcome = await settleWithin(loop, GUARD_MS);
        assert.deepEqual(outcome, { status: 'resolved', value: 0 }, `the ${readMode} loop ended`);
      }
      assert.equal(await redis.command(['PING']), 'PONG');
      assert.equal(redis.dedicatedStats.inUse, 0);
    },
  },
  {
    slug: 'consume-abort-never-loses-an-entry',
    name: `${ABORT_ROUNDS} consumers aborted at every moment around an xadd: every entry is handed out in its round, or later by a restarted consumer that re-reads its pending list; none twice`,
    requires: ['blocking'],
    timeoutMs: 180_000,
    async run(ctx) {
      const redis = await ctx.createService({ maxDedicatedConnections: 2 });
      await redis.xgroupCreate('q', 'grp', '$', { mkStream: true });
      const handedOut: string[] = [];
      const added: string[] = [];
      for (let round = 0; round < ABORT_ROUNDS; round++) {
        const controller = new AbortController();
        const consumer = redis.consume('q', {
          group: 'grp',
          consumer: 'c',
          blockMs: 0,
          signal: controller.signal,
        });
        const next = consumer.next();
        switch (round % 4) {
          case 0:
            controller.abort();
            added.push(await redis.xadd('q', { round }));
            break;
          case 1: {
            const adding = redis.xadd('q', { round });
            controller.abort();
            added.push(await adding);
            break;
          }
          case 2:
            added.push(await redis.xadd('q', { round }));
            controller.abort();
            break;
          default: {
            const adding = redis.xadd('q', { round });
            await new Promise((resolve) => setTimeout(resolve, round % 3));
            controller.abort();
            added.push(await adding);
          }
        }
        const result = await next;
        if (!result.done) {
          handedOut.push(result.value.id);
          assert.equal(await result.value.ack(), true);
        }
        await consumer.close();
      }
      // A restart under the same name re-reads what was read but never handed out; the rest is new.
      await using drain = redis.consume('q', {
        group: 'grp',
        consumer: 'c',
        count: 50,
        blockMs: 50,
        signal: AbortSignal.timeout(GUARD_MS * 4),
      });
      const drained: string[] = [];
      while (handedOut.length + drained.length < added.length) {
        const [message] = await take(drain, 1);
        drained.push(message!.id);
        await message!.ack();
      }
      const all = [...handedOut, ...drained];
      assert.equal(new Set(all).size, all.length, 'no entry handed out twice');
      assert.deepEqual(new Set(all), new Set(added), 'every entry was handed out');
      assert.ok(handedOut.length > 0, 'some rounds got their entry before the abort');
      assert.equal((await redis.xpending('q', 'grp')).count, 0);
    },
  },
  {
    slug: 'consume-polls-without-a-dedicated-connection',
    name: "readMode 'poll' reads with non-blocking XREADGROUP and backs off while the stream is empty; it gets entries added later and holds no dedicated connection",
    timeoutMs: 60_000,
    async run({ redis }) {
      await redis.xgroupCreate('q', 'grp', '$', { mkStream: true });
      await using consumer = redis.consume('q', {
        group: 'grp',
        consumer: 'p',
        readMode: 'poll',
        blockMs: 200,
      });
      assert.equal(consumer.readMode, 'poll');
      const next = consumer.next();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const id = await redis.xadd('q', { a: 1 });
      const outcome = await settleWithin(next, GUARD_MS);
      assert.equal(outcome.status, 'resolved');
      const message = (outcome as { value: IteratorResult<Message> }).value;
      assert.equal(message.done ? undefined : message.value.id, id);
      assert.equal(redis.dedicatedStats.open, 0, 'polling opened no dedicated connection');
    },
  },
  {
    slug: 'consume-without-blocking-polls-by-default',
    name: "without the blocking capability consume polls by default, and readMode 'block' and blocking xread / xreadgroup are refused with RedisCapabilityError before anything is read; a closed service ends a consumer with RedisClosedError",
    async run(ctx) {
      const redis = await ctx.createService();
      await redis.xgroupCreate('q', 'grp', '$', { mkStream: true });
      if (redis.capabilities.blocking) {
        assert.equal(redis.consume('q', { group: 'grp', consumer: 'c' }).readMode, 'block');
      } else {
        ctx.note(
          "no dedicated connections (no 'blocking' capability): consume() polls with non-blocking XREADGROUP, backing off from 10 ms to 1 s while the stream is empty; xread / xreadgroup with blockMs are refused",
        );
        assert.equal(redis.consume('q', { group: 'grp', consumer: 'c' }).readMode, 'poll');
        assert.throws(
          () => redis.consume('q', { group: 'grp', consumer: 'c', readMode: 'block' }),
          RedisCapabilityError,
        );
        const id = await redis.xadd('q', { a: 1 });
        await rejectsWith(redis.xread({ q: '0' }, { blockMs: 10 }), RedisCapabilityError, 'a blocking xread');
        await rejectsWith(
          redis.xreadgroup('grp', 'c', { q: '>' }, { blockMs: 10 }),
          RedisCapabilityError,
          'a blocking xreadgroup',
        );
        assert.equal((await redis.xpending('q', 'grp')).count, 0, 'the refused xreadgroup read nothing');
        const [read] = await redis.xreadgroup('grp', 'c', { q: '>' });
        assert.deepEqual(
          read?.entries.map((entry) => entry.id),
          [id],
          'the entry is still there for the group',
        );
      }
      const consumer = redis.consume('q', { group: 'grp', consumer: 'c', blockMs: 50 });
      await redis.close();
      await rejectsWith(consumer.next(), RedisClosedError, 'next() on a closed service');
      assert.equal((await consumer.next()).done, true, 'then the consumer is done');
    },
  },
]);
