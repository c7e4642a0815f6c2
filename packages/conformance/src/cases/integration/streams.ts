import assert from 'node:assert/strict';
import {
  RedisAbortedError,
  RedisReplyError,
  RedisSerializationError,
  RedisStreamEntryError,
  RedisValidationError,
  type StreamTrim,
} from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import { blockedClients } from './support/blocked-clients.js';
import { defineCases } from './support/define-cases.js';
import { eventually } from './support/eventually.js';
import { rejectsWith } from './support/rejects-with.js';
import { settledError, settledValue } from './support/settled-value.js';
import { unchecked } from './support/unchecked.js';
import { ada, asyncUserSchema, invalidUser, userSchema } from './support/user-schema.js';

/** A hang guard only: nothing here is timed. */
const GUARD_MS = 15_000;

/** Cases on the typed stream commands: producing, ranges, trimming, groups, pending lists, claims, XINFO. */
export const streamCases: IntegrationCase[] = defineCases('streams', [
  {
    slug: 'xadd-and-ranges-keep-order',
    name: 'xadd returns increasing ids (auto, explicit, <ms>-*), xrange / xrevrange return { id, fields } in order with COUNT and exclusive bounds, xlen and xdel count, keys are prefixed',
    async run({ redis }) {
      const ids: string[] = [];
      for (let n = 1; n <= 5; n++) ids.push(await redis.xadd('s', { n, name: `e${n}` }));
      assert.equal(new Set(ids).size, 5);
      const all = await redis.xrange('s');
      assert.deepEqual(
        all,
        ids.map((id, i) => ({ id, fields: { n: String(i + 1), name: `e${i + 1}` } })),
      );
      assert.deepEqual(
        (await redis.xrange('s', ids[1], ids[3])).map((entry) => entry.id),
        ids.slice(1, 4),
      );
      assert.deepEqual(
        (await redis.xrange('s', { id: ids[1]!, exclusive: true }, { id: ids[3]!, exclusive: true })).map(
          (entry) => entry.id,
        ),
        [ids[2]],
        'exclusive bounds',
      );
      assert.deepEqual(
        (await redis.xrange('s', '-', '+', { count: 2 })).map((entry) => entry.id),
        ids.slice(0, 2),
      );
      assert.deepEqual(
        (await redis.xrevrange('s')).map((entry) => entry.id),
        [...ids].reverse(),
      );
      assert.deepEqual(
        (await redis.xrevrange('s', '+', '-', { count: 2 })).map((entry) => entry.id),
        [ids[4], ids[3]],
      );
      assert.deepEqual(
        (await redis.xrevrange('s', { id: ids[4]!, exclusive: true }, ids[2])).map((entry) => entry.id),
        [ids[3], ids[2]],
      );
      assert.equal(await redis.xadd('t', { a: 'x' }, { id: '5-1' }), '5-1');
      assert.equal(await redis.xadd('t', { a: 'y' }, { id: '5-*' }), '5-2');
      assert.equal(await redis.xadd('t', { a: 'z' }, { id: '7' }), '7-0');
      const stale = await rejectsWith(
        redis.xadd('t', { a: 'old' }, { id: '6-0' }),
        RedisReplyError,
        'an id below the last one',
      );
      assert.equal(stale.prefix, 'ERR');
      assert.equal(await redis.xlen('s'), 5);
      assert.equal(await redis.xlen('missing'), 0);
      assert.deepEqual(await redis.xrange('missing'), []);
      assert.equal(await redis.xdel('s', ids[0]!, '1-1'), 1);
      assert.equal(await redis.command(['XLEN', `${redis.keyPrefix}s`]), 4, 'the stream key is prefixed');
    },
  },
  {
    slug: 'trimming-exact-and-approximate',
    name: 'MAXLEN and MINID trim exactly, in xadd and xtrim; ~ trims whole nodes only and LIMIT caps one eviction; NOMKSTREAM adds nothing to a missing stream',
    async run({ redis }) {
      const kept: string[] = [];
      for (let n = 0; n < 10; n++) kept.push(await redis.xadd('a', { n }, { trim: { maxLen: 3 } }));
      assert.deepEqual(
        (await redis.xrange('a')).map((entry) => entry.id),
        kept.slice(-3),
        'MAXLEN 3 kept the newest three',
      );
      for (let n = 1; n <= 10; n++) await redis.xadd('b', { n }, { id: `${n}-0` });
      assert.equal(await redis.xtrim('b', { minId: '6' }), 5, 'MINID 6 removed the five below 6-0');
      assert.equal((await redis.xrange('b', '-', '+', { count: 1 }))[0]?.id, '6-0');
      await redis.xadd('b', { n: 11 }, { id: '11-0', trim: { minId: '9-0' } });
      assert.deepEqual(
        (await redis.xrange('b')).map((entry) => entry.id),
        ['9-0', '10-0', '11-0'],
      );
      assert.equal(await redis.xtrim('b', { maxLen: 5 }), 0, 'nothing to trim');

      const fill = async (stream: string) => {
        const added = await redis.pipeline((p) =>
          Array.from({ length: 1000 }, (_, n) => p.xadd(stream, { n })),
        );
        return added.map((outcome) => settledValue(outcome, 'xadd'));
      };
      await fill('c');
      const removed = await redis.xtrim('c', { maxLen: 10, approximate: true });
      const left = await redis.xlen('c');
      assert.equal(removed + left, 1000);
      assert.ok(left > 10, `~ keeps whole nodes, so more than 10 are left (left ${left})`);
      assert.ok(left < 1000, `~ removed the nodes wholly below the threshold (left ${left})`);
      await fill('d');
      const limited = await redis.xtrim('d', { maxLen: 0, approximate: true, limit: 100 });
      assert.ok(limited > 0 && limited <= 100, `LIMIT 100 caps the eviction (removed ${limited})`);
      const dIds = await fill('e');
      const belowMin = await redis.xtrim('e', { minId: dIds[500]!, approximate: true });
      assert.ok(belowMin <= 500, `~ MINID removes no entry at or above the threshold (removed ${belowMin})`);
      await redis.xadd('e', { n: 'last' }, { trim: { maxLen: 0, approximate: true, limit: 100 } });

      assert.equal(await redis.xadd('none', { a: 1 }, { noMkStream: true }), null);
      assert.equal(await redis.exists('none'), 0, 'NOMKSTREAM created nothing');
      assert.equal(typeof (await redis.xadd('a', { a: 1 }, { noMkStream: true })), 'string');
    },
  },
  {
    slug: 'groups-read-acknowledge-and-list-pending',
    name: 'xgroupCreate (MKSTREAM, BUSYGROUP), xreadgroup > and history (deleted entries listed apart), xpending summary and ranges, xack, xinfo groups and consumers, create/delete consumer, setid, destroy',
    async run({ redis }) {
      await rejectsWith(redis.xgroupCreate('g', 'grp'), RedisReplyError, 'a group on a missing stream');
      assert.equal(await redis.xgroupCreate('g', 'grp', '$', { mkStream: true }), true);
      const busy = await rejectsWith(redis.xgroupCreate('g', 'grp'), RedisReplyError, 'the group again');
      assert.equal(busy.prefix, 'BUSYGROUP');
      const ids: string[] = [];
      for (let n = 0; n < 6; n++) ids.push(await redis.xadd('g', { n }));

      const alice = await redis.xreadgroup('grp', 'alice', { g: '>' }, { count: 4 });
      assert.deepEqual(
        alice.map((read) => [read.stream, read.entries.map((entry) => entry.id), read.deletedIds]),
        [['g', ids.slice(0, 4), []]],
      );
      assert.deepEqual(alice[0]?.entries[0]?.fields, { n: '0' });
      const bob = await redis.xreadgroup('grp', 'bob', { g: '>' });
      assert.deepEqual(
        bob[0]?.entries.map((entry) => entry.id),
        ids.slice(4),
      );
      assert.deepEqual(await redis.xreadgroup('grp', 'bob', { g: '>' }), [], 'nothing new');

      assert.deepEqual(await redis.xpending('g', 'grp'), {
        count: 6,
        smallestId: ids[0],
        greatestId: ids[5],
        consumers: [
          { name: 'alice', pending: 4 },
          { name: 'bob', pending: 2 },
        ],
      });
      const bobs = await redis.xpending('g', 'grp', { count: 10, consumer: 'bob' });
      assert.deepEqual(
        bobs.map((entry) => [entry.id, entry.consumer, entry.deliveryCount]),
        [
          [ids[4], 'bob', 1],
          [ids[5], 'bob', 1],
        ],
      );
      assert.ok(bobs.every((entry) => entry.idleMs >= 0));
      assert.equal((await redis.xpending('g', 'grp', { start: ids[1], end: ids[2], count: 10 })).length, 2);
      assert.deepEqual(await redis.xpending('g', 'grp', { count: 10, minIdleMs: 3_600_000 }), []);

      assert.equal(await redis.xack('g', 'grp', ids[0]!, ids[1]!, ids[0]!), 2);
      assert.equal(await redis.xack('g', 'grp', ids[0]!), 0, 'acknowledged already');
      const [group] = await redis.xinfoGroups('g');
      assert.equal(group?.name, 'grp');
      assert.equal(group?.consumers, 2);
      assert.equal(group?.pending, 4);
      assert.equal(group?.lastDeliveredId, ids[5]);
      if (group?.lag !== undefined) assert.equal(group.lag, 0, 'everything was delivered');
      const consumers = await redis.xinfoConsumers('g', 'grp');
      assert.deepEqual(
        consumers.map((consumer) => [consumer.name, consumer.pending]),
        [
          ['alice', 2],
          ['bob', 2],
        ],
      );

      const history = await redis.xreadgroup('grp', 'alice', { g: '0' });
      assert.deepEqual(
        history[0]?.entries.map((entry) => entry.id),
        [ids[2], ids[3]],
      );
      await redis.xdel('g', ids[2]!);
      const afterDelete = await redis.xreadgroup('grp', 'alice', { g: '0' });
      assert.deepEqual(
        afterDelete[0]?.entries.map((entry) => entry.id),
        [ids[3]],
      );
      assert.deepEqual(afterDelete[0]?.deletedIds, [ids[2]], 'a deleted pending entry is listed apart');

      assert.equal(await redis.xgroupCreateConsumer('g', 'grp', 'carol'), true);
      assert.equal(await redis.xgroupCreateConsumer('g', 'grp', 'carol'), false);
      assert.equal(await redis.xgroupDelConsumer('g', 'grp', 'bob'), 2, 'bob held two');
      assert.equal(await redis.xgroupSetId('g', 'grp', '0'), true);
      const again = await redis.xreadgroup('grp', 'carol', { g: '>' });
      assert.deepEqual(
        again[0]?.entries.map((entry) => entry.id),
        ids.filter((id) => id !== ids[2]),
        'SETID 0 delivers the stream again',
      );
      assert.equal(await redis.xgroupDestroy('g', 'grp'), true);
      assert.equal(await redis.xgroupDestroy('g', 'grp'), false);
      assert.deepEqual(await redis.xinfoGroups('g'), []);
    },
  },
  {
    slug: 'claims-move-pending-entries',
    name: 'xclaim (JUSTID, IDLE, RETRYCOUNT, FORCE, min idle) and xautoclaim (COUNT, cursor, JUSTID, deleted entries) move pending entries between consumers',
    async run({ redis }) {
      await redis.xgroupCreate('c', 'grp', '0', { mkStream: true });
      const ids: string[] = [];
      for (let n = 0; n < 6; n++) ids.push(await redis.xadd('c', { n }));
      await redis.xreadgroup('grp', 'alice', { c: '>' });
      const claimed = await redis.xclaim('c', 'grp', 'bob', 0, [ids[0]!, ids[1]!]);
      assert.deepEqual(claimed, [
        { id: ids[0], fields: { n: '0' } },
        { id: ids[1], fields: { n: '1' } },
      ]);
      const deliveries = async (id: string) =>
        (await redis.xpending('c', 'grp', { start: id, end: id, count: 1 }))[0];
      assert.deepEqual(
        [(await deliveries(ids[0]!))?.consumer, (await deliveries(ids[0]!))?.deliveryCount],
        ['bob', 2],
      );
      assert.deepEqual(await redis.xclaim('c', 'grp', 'bob', 0, [ids[2]!], { justId: true }), [ids[2]]);
      assert.equal((await deliveries(ids[2]!))?.deliveryCount, 1, 'JUSTID leaves the count alone');
      assert.deepEqual(
        await redis.xclaim('c', 'grp', 'bob', 3_600_000, [ids[3]!]),
        [],
        'not idle long enough',
      );
      await redis.xclaim('c', 'grp', 'bob', 0, [ids[3]!], { idleMs: 60_000, retryCount: 7 });
      const set = await deliveries(ids[3]!);
      assert.equal(set?.deliveryCount, 7);
      assert.ok((set?.idleMs ?? 0) >= 60_000, 'IDLE set the idle time');
      await redis.xack('c', 'grp', ids[4]!);
      assert.deepEqual(await redis.xclaim('c', 'grp', 'bob', 0, [ids[4]!], { justId: true }), []);
      assert.deepEqual(
        await redis.xclaim('c', 'grp', 'bob', 0, [ids[4]!], { justId: true, force: true }),
        [ids[4]],
        'FORCE makes an acknowledged entry pending again',
      );

      await redis.xdel('c', ids[5]!);
      const seen: string[] = [];
      const deleted: string[] = [];
      let cursor = '0-0';
      let calls = 0;
      do {
        const page = await redis.xautoclaim('c', 'grp', 'carol', 0, cursor, { count: 2 });
        seen.push(...page.entries.map((entry) => entry.id));
        deleted.push(...page.deletedIds);
        cursor = page.nextId;
        calls++;
      } while (cursor !== '0-0' && calls < 20);
      assert.equal(cursor, '0-0', 'the scan came round');
      assert.deepEqual(seen, ids.slice(0, 5), 'every live pending entry was claimed, in order');
      assert.deepEqual(deleted, [ids[5]], 'the deleted one is reported and dropped');
      assert.equal((await redis.xpending('c', 'grp')).count, 5);
      const justIds = await redis.xautoclaim('c', 'grp', 'dave', 0, '0-0', { justId: true });
      assert.deepEqual(justIds, { nextId: '0-0', ids: ids.slice(0, 5), deletedIds: [] });
    },
  },
  {
    slug: 'reads-without-a-group',
    name: 'xread reads several streams after the given ids, with COUNT; $ and missing streams give []',
    async run({ redis }) {
      const one = [
        await redis.xadd('r1', { a: 1 }),
        await redis.xadd('r1', { a: 2 }),
        await redis.xadd('r1', { a: 3 }),
      ];
      const two = [await redis.xadd('r2', { b: 1 }), await redis.xadd('r2', { b: 2 })];
      const reads = await redis.xread({ r1: '0', r2: '0' });
      assert.deepEqual(
        reads.map((read) => [read.stream, read.entries.map((entry) => entry.id)]),
        [
          ['r1', one],
          ['r2', two],
        ],
      );
      assert.deepEqual(await redis.xread({ r1: one[1]! }, { count: 1 }), [
        { stream: 'r1', entries: [{ id: one[2], fields: { a: '3' } }] },
      ]);
      assert.deepEqual(await redis.xread({ r1: '$' }), []);
      assert.deepEqual(await redis.xread({ missing: '0' }), []);
    },
  },
  {
    slug: 'blocking-reads-wait-on-a-dedicated-connection',
    name: 'xread / xreadgroup with blockMs wait on a dedicated connection (the shared one keeps serving), get what is added, time out with [], and an abort unblocks them',
    requires: ['blocking'],
    timeoutMs: 60_000,
    async run(ctx) {
      const redis = await ctx.createService();
      const baseline = await blockedClients(redis);
      const waiting = redis.xread({ b: '$' }, { blockMs: 0 });
      await eventually(async () => (await blockedClients(redis)) > baseline, 'the read blocks', {
        timeoutMs: GUARD_MS,
      });
      await redis.set('k', 'v');
      assert.equal(await redis.get('k'), 'v', 'the shared connection serves while the read blocks');
      const id = await redis.xadd('b', { a: 1 });
      assert.deepEqual(await waiting, [{ stream: 'b', entries: [{ id, fields: { a: '1' } }] }]);
      assert.deepEqual(await redis.xread({ b: '$' }, { blockMs: 50 }), [], 'the server timeout gives []');

      await redis.xgroupCreate('b', 'grp', '$');
      const controller = new AbortController();
      const groupRead = redis.xreadgroup('grp', 'c', { b: '>' }, { blockMs: 0, signal: controller.signal });
      await eventually(async () => (await blockedClients(redis)) > baseline, 'the group read blocks', {
        timeoutMs: GUARD_MS,
      });
      controller.abort();
      await rejectsWith(groupRead, RedisAbortedError, 'an aborted group read');
      assert.equal((await redis.xpending('b', 'grp')).count, 0, 'the aborted read took nothing');
      assert.equal(redis.dedicatedStats.inUse, 0);
      await rejectsWith(
        redis.xread({ b: '$' }, { signal: new AbortController().signal }),
        RedisValidationError,
        'a signal without blockMs',
      );
    },
  },
  {
    slug: 'json-and-model-entries',
    name: 'xaddJson / xaddModel write one json field; xrange with json or schema decodes it; a bad write writes nothing; an entry that fails on read gives RedisStreamEntryError naming the stream and the id',
    async run({ redis }) {
      const id = await redis.xaddJson('j', { kind: 'order', qty: 2 });
      assert.deepEqual(await redis.xrange('j', '-', '+', { json: true }), [
        { id, fields: { json: '{"kind":"order","qty":2}' }, value: { kind: 'order', qty: 2 } },
      ]);
      const modelId = await redis.xaddModel('m', userSchema, ada);
      assert.deepEqual(
        (await redis.xrevrange('m', '+', '-', { schema: asyncUserSchema })).map((entry) => [
          entry.id,
          entry.value,
        ]),
        [[modelId, ada]],
      );
      await rejectsWith(
        redis.xaddModel('m', userSchema, unchecked(invalidUser)),
        RedisValidationError,
        'an invalid model',
      );
      await rejectsWith(redis.xaddJson('j', undefined), RedisValidationError, 'undefined as JSON');
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      await rejectsWith(redis.xaddJson('j', circular), RedisSerializationError, 'circular JSON');
      assert.equal(await redis.xlen('m'), 1, 'the invalid model was not written');
      assert.equal(await redis.xlen('j'), 1, 'the bad JSON values were not written');

      const notJson = await redis.xadd('m', { json: '{not json' });
      const broken = await rejectsWith(
        redis.xrange('m', '-', '+', { schema: userSchema }),
        RedisStreamEntryError,
        'an entry that is not JSON',
      );
      assert.equal(broken.stream, 'm');
      assert.equal(broken.key, 'm');
      assert.equal(broken.id, notJson);
      assert.ok(broken.message.includes(notJson) && broken.message.includes("'m'"), broken.message);

      const failing = await redis.xaddJson('m2', invalidUser);
      const invalid = await rejectsWith(
        redis.xrange('m2', '-', '+', { schema: userSchema }),
        RedisStreamEntryError,
        'an entry that fails its schema',
      );
      assert.ok(invalid instanceof RedisValidationError, 'a RedisValidationError like getModel gives');
      assert.equal(invalid.id, failing);
      assert.deepEqual(
        invalid.issues.map((issue) => issue.path),
        [['age']],
      );
      const noField = await redis.xadd('m3', { other: 'x' });
      const missing = await rejectsWith(
        redis.xrange('m3', '-', '+', { json: true }),
        RedisStreamEntryError,
        'an entry without a json field',
      );
      assert.equal(missing.id, noField);
    },
  },
  {
    slug: 'batches-record-stream-commands',
    name: 'stream commands queue in pipelines and transactions with typed results; a blocking option there is refused before sending',
    requires: ['transactions'],
    async run({ redis }) {
      const [added, addedJson, length, range] = await redis.pipeline((p) => [
        p.xadd('p', { n: 1 }),
        p.xaddJson('p', { n: 2 }),
        p.xlen('p'),
        p.xrange('p'),
      ]);
      const first = settledValue(added, 'xadd');
      const second = settledValue(addedJson, 'xaddJson');
      assert.equal(settledValue(length, 'xlen'), 2);
      assert.deepEqual(
        settledValue(range, 'xrange').map((entry) => entry.id),
        [first, second],
      );
      const [created, read, pending, busy] = await redis.transaction((tx) => [
        tx.xgroupCreate('p', 'grp', '0'),
        tx.xreadgroup('grp', 'c', { p: '>' }),
        tx.xpending('p', 'grp'),
        tx.xgroupCreate('p', 'grp', '0'),
      ]);
      assert.equal(settledValue(created, 'xgroupCreate'), true);
      assert.equal(settledValue(read, 'xreadgroup')[0]?.entries.length, 2);
      assert.equal(settledValue(pending, 'xpending').count, 2);
      assert.equal(settledError(busy, RedisReplyError, 'the same group again').prefix, 'BUSYGROUP');
      await rejectsWith(
        redis.pipeline((p) => [p.xlen('p'), p.xread({ p: '$' }, unchecked({ blockMs: 10 }))]),
        RedisValidationError,
        'a blocking read in a pipeline',
      );
      assert.equal(await redis.xlen('p'), 2);
    },
  },
  {
    slug: 'info-describes-the-stream',
    name: 'xinfoStream gives length, ids, first and last entries and group count; a missing stream is a RedisReplyError',
    async run({ redis }) {
      const first = await redis.xadd('i', { a: 1 });
      const last = await redis.xadd('i', { b: 2 });
      await redis.xgroupCreate('i', 'grp');
      const info = await redis.xinfoStream('i');
      assert.equal(info.length, 2);
      assert.equal(info.lastGeneratedId, last);
      assert.equal(info.groups, 1);
      assert.deepEqual(info.firstEntry, { id: first, fields: { a: '1' } });
      assert.deepEqual(info.lastEntry, { id: last, fields: { b: '2' } });
      assert.ok(info.radixTreeKeys >= 1 && info.radixTreeNodes >= 1);
      if (info.entriesAdded !== undefined) assert.equal(info.entriesAdded, 2);
      await redis.xtrim('i', { maxLen: 0 });
      const empty = await redis.xinfoStream('i');
      assert.equal(empty.length, 0);
      assert.equal(empty.firstEntry, null);
      await rejectsWith(redis.xinfoStream('missing'), RedisReplyError, 'xinfo on a missing stream');
    },
  },
  {
    slug: 'bad-input-is-refused-before-anything-is-sent',
    name: 'bad ids, empty or invalid fields, contradictory trims, zero counts, wrong special ids and missing ids reject with RedisValidationError and write nothing',
    async run({ redis }) {
      const refused: [string, () => Promise<unknown>][] = [
        ['no fields', () => redis.xadd('bad', {})],
        ['an empty field name', () => redis.xadd('bad', { '': 'x' })],
        ['an undefined value', () => redis.xadd('bad', { a: unchecked(undefined) })],
        ['a NaN value', () => redis.xadd('bad', { a: Number.NaN })],
        ['fields as an array', () => redis.xadd('bad', unchecked(['a', 'b']))],
        ['a malformed id', () => redis.xadd('bad', { a: 1 }, { id: 'abc' })],
        ['an id of three parts', () => redis.xadd('bad', { a: 1 }, { id: '1-2-3' })],
        [
          'a trim without a threshold',
          () => redis.xadd('bad', { a: 1 }, { trim: unchecked<StreamTrim>({}) }),
        ],
        [
          'a trim with both thresholds',
          () => redis.xadd('bad', { a: 1 }, { trim: unchecked<StreamTrim>({ maxLen: 1, minId: '1' }) }),
        ],
        ['a negative maxLen', () => redis.xadd('bad', { a: 1 }, { trim: { maxLen: -1 } })],
        ['LIMIT without ~', () => redis.xadd('bad', { a: 1 }, { trim: { maxLen: 1, limit: 10 } })],
        ['a malformed minId', () => redis.xtrim('bad', { minId: 'x' })],
        ['a malformed range bound', () => redis.xrange('bad', 'abc')],
        ['an exclusive bound without exclusive: true', () => redis.xrange('bad', unchecked({ id: '1' }))],
        ['count 0', () => redis.xrange('bad', '-', '+', { count: 0 })],
        ['xread of no stream', () => redis.xread({})],
        ['xread from >', () => redis.xread({ bad: '>' })],
        ['xreadgroup from $', () => redis.xreadgroup('g', 'c', { bad: '$' })],
        ['xreadgroup without a group', () => redis.xreadgroup('', 'c', { bad: '>' })],
        ['a negative blockMs', () => redis.xread({ bad: '$' }, { blockMs: -1 })],
        ['xack of no id', () => redis.xack('bad', 'g')],
        ['xdel of a malformed id', () => redis.xdel('bad', 'x')],
        ['a group starting at >', () => redis.xgroupCreate('bad', 'g', '>', { mkStream: true })],
        [
          'a negative entriesRead',
          () => redis.xgroupCreate('bad', 'g', '$', { mkStream: true, entriesRead: -1 }),
        ],
        ['xpending count 0', () => redis.xpending('bad', 'g', { count: 0 })],
        [
          'xclaim with idleMs and timeMs',
          () => redis.xclaim('bad', 'g', 'c', 0, ['1-0'], { idleMs: 1, timeMs: 1 }),
        ],
        ['xclaim with a negative min idle', () => redis.xclaim('bad', 'g', 'c', -1, ['1-0'])],
        ['xclaim of no id', () => redis.xclaim('bad', 'g', 'c', 0, [])],
        ['xautoclaim from a malformed id', () => redis.xautoclaim('bad', 'g', 'c', 0, 'x')],
        ['an empty stream name', () => redis.xlen('')],
      ];
      for (const [what, call] of refused) await rejectsWith(call(), RedisValidationError, what);
      const consumeRefusals: [string, () => unknown][] = [
        ['consume without a consumer', () => redis.consume('bad', unchecked({ group: 'g' }))],
        [
          'maxDeliveries without a dead-letter stream',
          () => redis.consume('bad', { group: 'g', consumer: 'c', maxDeliveries: 3 }),
        ],
        ['consume with count 0', () => redis.consume('bad', { group: 'g', consumer: 'c', count: 0 })],
        [
          'consume with claimIdleMs 0',
          () => redis.consume('bad', { group: 'g', consumer: 'c', claimIdleMs: 0 }),
        ],
        [
          'consume with a bad readMode',
          () => redis.consume('bad', { group: 'g', consumer: 'c', readMode: unchecked('push') }),
        ],
        [
          'consume with a bad schema',
          () => redis.consume('bad', { group: 'g', consumer: 'c', schema: unchecked({}) }),
        ],
      ];
      for (const [what, call] of consumeRefusals) {
        assert.throws(call, RedisValidationError, what);
      }
      assert.equal(await redis.exists('bad'), 0, 'nothing was written');
    },
  },
]);
