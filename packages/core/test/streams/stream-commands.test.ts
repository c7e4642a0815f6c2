import {
  RedisCapabilityError,
  type RedisReply,
  RedisSerializationError,
  RedisService,
  RedisStreamEntryError,
  RedisValidationError,
} from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DedicatedFakeDriver } from '../support/fake-dedicated.js';
import { FakeDriver } from '../support/fake-driver.js';
import { type ArgvCase, itSendsAndDecodes } from '../support/table-cases.js';

const entry = (id: string, ...fields: string[]): RedisReply => [id, fields];

const cases: readonly ArgvCase[] = [
  {
    name: 'xadd',
    run: (r) => r.xadd('s', { a: 'x', n: 2 }),
    argv: ['XADD', 'app:s', '*', 'a', 'x', 'n', 2],
    reply: '1-0',
    result: '1-0',
  },
  {
    name: 'xadd with an id, NOMKSTREAM and an approximate MAXLEN with LIMIT',
    run: (r) =>
      r.xadd(
        's',
        { a: 'x' },
        { id: '5-*', noMkStream: true, trim: { maxLen: 100, approximate: true, limit: 10 } },
      ),
    argv: ['XADD', 'app:s', 'NOMKSTREAM', 'MAXLEN', '~', 100, 'LIMIT', 10, '5-*', 'a', 'x'],
    reply: null,
    result: null,
  },
  {
    name: 'xadd with an exact MINID',
    run: (r) => r.xadd('s', { a: 'x' }, { trim: { minId: '7-0' } }),
    argv: ['XADD', 'app:s', 'MINID', '7-0', '*', 'a', 'x'],
    reply: '8-0',
    result: '8-0',
  },
  {
    name: 'xaddJson',
    run: (r) => r.xaddJson('s', { a: [1] }),
    argv: ['XADD', 'app:s', '*', 'json', '{"a":[1]}'],
    reply: '1-0',
    result: '1-0',
  },
  {
    name: 'xaddModel',
    run: (r) => r.xaddModel('s', z.object({ a: z.number() }), { a: 1 }, { trim: { maxLen: 5 } }),
    argv: ['XADD', 'app:s', 'MAXLEN', 5, '*', 'json', '{"a":1}'],
    reply: '1-0',
    result: '1-0',
  },
  {
    name: 'xrange with defaults',
    run: (r) => r.xrange('s'),
    argv: ['XRANGE', 'app:s', '-', '+'],
    reply: [entry('1-0', 'a', 'x'), entry('2-0', 'b', 'y', 'c', 'z')],
    result: [
      { id: '1-0', fields: { a: 'x' } },
      { id: '2-0', fields: { b: 'y', c: 'z' } },
    ],
  },
  {
    name: 'xrange with exclusive bounds and COUNT',
    run: (r) => r.xrange('s', { id: '1-0', exclusive: true }, { id: '9', exclusive: true }, { count: 2 }),
    argv: ['XRANGE', 'app:s', '(1-0', '(9', 'COUNT', 2],
    reply: [],
    result: [],
  },
  {
    name: 'xrevrange as JSON',
    run: (r) => r.xrevrange('s', '+', '-', { json: true }),
    argv: ['XREVRANGE', 'app:s', '+', '-'],
    reply: [entry('2-0', 'json', '{"v":2}')],
    result: [{ id: '2-0', fields: { json: '{"v":2}' }, value: { v: 2 } }],
  },
  { name: 'xlen', run: (r) => r.xlen('s'), argv: ['XLEN', 'app:s'], reply: 3, result: 3 },
  {
    name: 'xdel',
    run: (r) => r.xdel('s', '1-0', '2'),
    argv: ['XDEL', 'app:s', '1-0', '2'],
    reply: 1,
    result: 1,
  },
  {
    name: 'xtrim',
    run: (r) => r.xtrim('s', { minId: '5', approximate: true }),
    argv: ['XTRIM', 'app:s', 'MINID', '~', '5'],
    reply: 4,
    result: 4,
  },
  {
    name: 'xread of two streams',
    run: (r) => r.xread({ a: '0', b: '$' }, { count: 5 }),
    argv: ['XREAD', 'COUNT', 5, 'STREAMS', 'app:a', 'app:b', '0', '$'],
    reply: [['app:a', [entry('1-0', 'f', 'v')]]],
    result: [{ stream: 'a', entries: [{ id: '1-0', fields: { f: 'v' } }] }],
  },
  {
    name: 'xread with nothing new',
    run: (r) => r.xread({ a: '$' }),
    argv: ['XREAD', 'STREAMS', 'app:a', '$'],
    reply: null,
    result: [],
  },
  {
    name: 'xreadgroup history with a deleted entry',
    run: (r) => r.xreadgroup('g', 'c', { a: '0' }, { count: 2, noAck: true }),
    argv: ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', 2, 'NOACK', 'STREAMS', 'app:a', '0'],
    reply: [['app:a', [entry('1-0', 'f', 'v'), ['2-0', null]]]],
    result: [{ stream: 'a', entries: [{ id: '1-0', fields: { f: 'v' } }], deletedIds: ['2-0'] }],
  },
  {
    name: 'xack',
    run: (r) => r.xack('s', 'g', '1-0', '2-0'),
    argv: ['XACK', 'app:s', 'g', '1-0', '2-0'],
    reply: 2,
    result: 2,
  },
  {
    name: 'xgroupCreate with MKSTREAM and ENTRIESREAD',
    run: (r) => r.xgroupCreate('s', 'g', '0', { mkStream: true, entriesRead: 0 }),
    argv: ['XGROUP', 'CREATE', 'app:s', 'g', '0', 'MKSTREAM', 'ENTRIESREAD', 0],
    reply: 'OK',
    result: true,
  },
  {
    name: 'xgroupCreate defaults to $',
    run: (r) => r.xgroupCreate('s', 'g'),
    argv: ['XGROUP', 'CREATE', 'app:s', 'g', '$'],
    reply: 'OK',
    result: true,
  },
  {
    name: 'xgroupDestroy',
    run: (r) => r.xgroupDestroy('s', 'g'),
    argv: ['XGROUP', 'DESTROY', 'app:s', 'g'],
    reply: 1,
    result: true,
  },
  {
    name: 'xgroupCreateConsumer',
    run: (r) => r.xgroupCreateConsumer('s', 'g', 'c'),
    argv: ['XGROUP', 'CREATECONSUMER', 'app:s', 'g', 'c'],
    reply: 0,
    result: false,
  },
  {
    name: 'xgroupDelConsumer',
    run: (r) => r.xgroupDelConsumer('s', 'g', 'c'),
    argv: ['XGROUP', 'DELCONSUMER', 'app:s', 'g', 'c'],
    reply: 3,
    result: 3,
  },
  {
    name: 'xgroupSetId',
    run: (r) => r.xgroupSetId('s', 'g', '$', { entriesRead: 10 }),
    argv: ['XGROUP', 'SETID', 'app:s', 'g', '$', 'ENTRIESREAD', 10],
    reply: 'OK',
    result: true,
  },
  {
    name: 'xpending summary',
    run: (r) => r.xpending('s', 'g'),
    argv: ['XPENDING', 'app:s', 'g'],
    reply: [
      3,
      '1-0',
      '3-0',
      [
        ['alice', '2'],
        ['bob', '1'],
      ],
    ],
    result: {
      count: 3,
      smallestId: '1-0',
      greatestId: '3-0',
      consumers: [
        { name: 'alice', pending: 2 },
        { name: 'bob', pending: 1 },
      ],
    },
  },
  {
    name: 'xpending summary of an empty group',
    run: (r) => r.xpending('s', 'g'),
    argv: ['XPENDING', 'app:s', 'g'],
    reply: [0, null, null, null],
    result: { count: 0, smallestId: null, greatestId: null, consumers: [] },
  },
  {
    name: 'xpending range with IDLE and a consumer',
    run: (r) =>
      r.xpending('s', 'g', {
        minIdleMs: 500,
        start: { id: '1-0', exclusive: true },
        count: 5,
        consumer: 'c',
      }),
    argv: ['XPENDING', 'app:s', 'g', 'IDLE', 500, '(1-0', '+', 5, 'c'],
    reply: [['2-0', 'c', 900, 3]],
    result: [{ id: '2-0', consumer: 'c', idleMs: 900, deliveryCount: 3 }],
  },
  {
    name: 'xclaim with every option',
    run: (r) =>
      r.xclaim('s', 'g', 'c', 1000, ['1-0'], { idleMs: 5, retryCount: 2, force: true, lastId: '9-0' }),
    argv: ['XCLAIM', 'app:s', 'g', 'c', 1000, '1-0', 'IDLE', 5, 'RETRYCOUNT', 2, 'FORCE', 'LASTID', '9-0'],
    reply: [entry('1-0', 'a', 'b')],
    result: [{ id: '1-0', fields: { a: 'b' } }],
  },
  {
    name: 'xclaim JUSTID with TIME',
    run: (r) => r.xclaim('s', 'g', 'c', 0, ['1-0', '2-0'], { justId: true, timeMs: 1700000000000 }),
    argv: ['XCLAIM', 'app:s', 'g', 'c', 0, '1-0', '2-0', 'TIME', 1700000000000, 'JUSTID'],
    reply: ['1-0'],
    result: ['1-0'],
  },
  {
    name: 'xautoclaim (Redis 7 reply)',
    run: (r) => r.xautoclaim('s', 'g', 'c', 60000, '0-0', { count: 10 }),
    argv: ['XAUTOCLAIM', 'app:s', 'g', 'c', 60000, '0-0', 'COUNT', 10],
    reply: ['5-0', [entry('1-0', 'a', 'b')], ['2-0']],
    result: { nextId: '5-0', entries: [{ id: '1-0', fields: { a: 'b' } }], deletedIds: ['2-0'] },
  },
  {
    name: 'xautoclaim (Redis 6.2 reply: deleted entries as [id, nil])',
    run: (r) => r.xautoclaim('s', 'g', 'c', 0),
    argv: ['XAUTOCLAIM', 'app:s', 'g', 'c', 0, '0-0'],
    reply: ['0-0', [entry('1-0', 'a', 'b'), ['2-0', null]]],
    result: { nextId: '0-0', entries: [{ id: '1-0', fields: { a: 'b' } }], deletedIds: ['2-0'] },
  },
  {
    name: 'xautoclaim JUSTID',
    run: (r) => r.xautoclaim('s', 'g', 'c', 0, '3-0', { justId: true }),
    argv: ['XAUTOCLAIM', 'app:s', 'g', 'c', 0, '3-0', 'JUSTID'],
    reply: ['0-0', ['3-0'], []],
    result: { nextId: '0-0', ids: ['3-0'], deletedIds: [] },
  },
  {
    name: 'xinfoStream (Redis 6.2 fields only)',
    run: (r) => r.xinfoStream('s'),
    argv: ['XINFO', 'STREAM', 'app:s'],
    reply: [
      'length',
      1,
      'radix-tree-keys',
      1,
      'radix-tree-nodes',
      2,
      'last-generated-id',
      '1-0',
      'groups',
      0,
      'first-entry',
      entry('1-0', 'a', 'b'),
      'last-entry',
      entry('1-0', 'a', 'b'),
    ],
    result: {
      length: 1,
      radixTreeKeys: 1,
      radixTreeNodes: 2,
      lastGeneratedId: '1-0',
      groups: 0,
      firstEntry: { id: '1-0', fields: { a: 'b' } },
      lastEntry: { id: '1-0', fields: { a: 'b' } },
    },
  },
  {
    name: 'xinfoGroups',
    run: (r) => r.xinfoGroups('s'),
    argv: ['XINFO', 'GROUPS', 'app:s'],
    reply: [
      ['name', 'g', 'consumers', 1, 'pending', 2, 'last-delivered-id', '2-0', 'entries-read', null, 'lag', 0],
    ],
    result: [{ name: 'g', consumers: 1, pending: 2, lastDeliveredId: '2-0', entriesRead: null, lag: 0 }],
  },
  {
    name: 'xinfoConsumers (Redis 7.2 inactive)',
    run: (r) => r.xinfoConsumers('s', 'g'),
    argv: ['XINFO', 'CONSUMERS', 'app:s', 'g'],
    reply: [['name', 'c', 'pending', 2, 'idle', 10, 'inactive', -1]],
    result: [{ name: 'c', pending: 2, idleMs: 10, inactiveMs: -1 }],
  },
];

describe('stream commands: argv and reply decoding', () => {
  itSendsAndDecodes(cases);

  it('keeps a field named __proto__ as an own field, not the prototype', async () => {
    const redis = new RedisService(new FakeDriver().reply([entry('1-0', '__proto__', 'x')]));
    const [read] = await redis.xrange('s');
    expect(Object.getPrototypeOf(read!.fields)).toBe(Object.prototype);
    expect(Object.keys(read!.fields)).toEqual(['__proto__']);
  });

  it('blocking reads go to a dedicated connection with BLOCK; the shared one sees nothing', async () => {
    const driver = new DedicatedFakeDriver();
    driver.prepare = (connection) => {
      connection.answer = (command) =>
        command[0] === 'XREAD'
          ? [['app:a', [entry('1-0', 'f', 'v')]]]
          : [['app:a', [entry('2-0', 'g', 'w')]]];
    };
    const redis = new RedisService(driver, { keyPrefix: 'app:' });
    await expect(redis.xread({ a: '$' }, { blockMs: 0, count: 1 })).resolves.toEqual([
      { stream: 'a', entries: [{ id: '1-0', fields: { f: 'v' } }] },
    ]);
    await expect(redis.xreadgroup('g', 'c', { a: '>' }, { blockMs: 250 })).resolves.toEqual([
      { stream: 'a', entries: [{ id: '2-0', fields: { g: 'w' } }], deletedIds: [] },
    ]);
    expect(driver.opened[0]!.sent).toEqual([
      ['XREAD', 'COUNT', 1, 'BLOCK', 0, 'STREAMS', 'app:a', '$'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', 250, 'STREAMS', 'app:a', '>'],
    ]);
    expect(driver.sent).toEqual([]);
  });

  it('blocking reads are refused inside a batch and without the blocking capability', async () => {
    const driver = new FakeDriver({ capabilities: { blocking: false } });
    const redis = new RedisService(driver);
    await expect(
      redis.pipeline((p) => [p.xread({ a: '$' }, { blockMs: 1 } as never)]),
    ).rejects.toBeInstanceOf(RedisValidationError);
    await expect(redis.xread({ a: '$' }, { blockMs: 1 })).rejects.toBeInstanceOf(RedisCapabilityError);
    expect(() => redis.consume('a', { group: 'g', consumer: 'c', readMode: 'block' })).toThrow(
      RedisCapabilityError,
    );
    expect(redis.consume('a', { group: 'g', consumer: 'c' }).readMode).toBe('poll');
    expect(driver.calls).toEqual([]);
  });
});

const shapes: readonly [string, (redis: RedisService) => Promise<unknown>, RedisReply][] = [
  ['an entry that is not a pair', (r) => r.xrange('s'), [['1-0']]],
  ['odd fields', (r) => r.xrange('s'), [entry('1-0', 'a')]],
  ['a number as a field value', (r) => r.xrange('s'), [['1-0', ['a', 1]]]],
  ['a non-string id from xadd', (r) => r.xadd('s', { a: 1 }), 5],
  ['a non-array xread reply', (r) => r.xread({ a: '0' }), 'x'],
  ['a short xpending summary', (r) => r.xpending('s', 'g'), [0, null, null]],
  ['a bad xpending entry', (r) => r.xpending('s', 'g', { count: 1 }), [['1-0', 'c', 'x', 1]]],
  ['a four-element xautoclaim', (r) => r.xautoclaim('s', 'g', 'c', 0), ['0-0', [], [], []]],
  ['an odd xinfo', (r) => r.xinfoStream('s'), ['length']],
  ['xinfo without a length', (r) => r.xinfoStream('s'), ['groups', 0]],
];

describe('stream commands: unexpected replies', () => {
  it.each(shapes)('%s -> RedisSerializationError', async (_, run, reply) => {
    await expect(run(new RedisService(new FakeDriver().reply(reply)))).rejects.toBeInstanceOf(
      RedisSerializationError,
    );
  });

  it('a JSON entry that is not JSON names the stream and the id', async () => {
    const redis = new RedisService(new FakeDriver().reply([entry('4-0', 'json', '{')]), { keyPrefix: 'p:' });
    const error = await redis.xrange('events', '-', '+', { json: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisStreamEntryError);
    expect(error).toBeInstanceOf(RedisValidationError);
    expect(error).toMatchObject({ stream: 'events', id: '4-0', key: 'events' });
    expect((error as Error).message).toBe(
      "entry 4-0 of stream 'events' holds no valid JSON in its 'json' field",
    );
  });

  it('a model entry that fails its schema lists the issues', async () => {
    const redis = new RedisService(new FakeDriver().reply([entry('4-0', 'json', '{"a":"x"}')]));
    const error = await redis
      .xrange('events', '-', '+', { schema: z.object({ a: z.number() }) })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisStreamEntryError);
    expect((error as RedisStreamEntryError).issues[0]?.path).toEqual(['a']);
    expect((error as Error).message).toMatch(/^entry 4-0 of stream 'events' failed schema validation: a: /);
  });
});
