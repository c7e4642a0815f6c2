import { RedisService, RedisValidationError } from '@redis-service/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { FakeDriver } from '../support/fake-driver.js';
import {
  type ArgvCase,
  type BadCase,
  itRefusesBeforeSending,
  itSendsAndDecodes,
  loose,
} from '../support/table-cases.js';

const at = new Date(Date.UTC(2030, 0, 1, 0, 0, 1, 999));

const cases: readonly ArgvCase[] = [
  // keys
  { name: 'unlink', run: (r) => r.unlink('a', 'b'), argv: ['UNLINK', 'app:a', 'app:b'], reply: 2, result: 2 },
  { name: 'type', run: (r) => r.type('a'), argv: ['TYPE', 'app:a'], reply: 'zset', result: 'zset' },
  {
    name: 'rename',
    run: (r) => r.rename('a', 'b'),
    argv: ['RENAME', 'app:a', 'app:b'],
    reply: 'OK',
    result: true,
  },
  {
    name: 'renamenx',
    run: (r) => r.renamenx('a', 'b'),
    argv: ['RENAMENX', 'app:a', 'app:b'],
    reply: 0,
    result: false,
  },
  {
    name: 'copy replace',
    run: (r) => r.copy('a', 'b', { replace: true }),
    argv: ['COPY', 'app:a', 'app:b', 'REPLACE'],
    reply: 1,
    result: true,
  },
  { name: 'touch', run: (r) => r.touch('a'), argv: ['TOUCH', 'app:a'], reply: 1, result: 1 },
  {
    name: 'expireat a Date',
    run: (r) => r.expireat('a', at, { nx: true }),
    argv: ['EXPIREAT', 'app:a', 1893456001, 'NX'],
    reply: 1,
    result: true,
  },
  {
    name: 'pexpireat a Date',
    run: (r) => r.pexpireat('a', at),
    argv: ['PEXPIREAT', 'app:a', 1893456001999],
    reply: 1,
    result: true,
  },
  { name: 'expiretime', run: (r) => r.expiretime('a'), argv: ['EXPIRETIME', 'app:a'], reply: 99, result: 99 },
  {
    name: 'expiretime without one',
    run: (r) => r.expiretime('a'),
    argv: ['EXPIRETIME', 'app:a'],
    reply: -1,
    result: 'no-expiry',
  },
  {
    name: 'pexpiretime missing',
    run: (r) => r.pexpiretime('a'),
    argv: ['PEXPIRETIME', 'app:a'],
    reply: -2,
    result: 'missing',
  },
  // strings
  { name: 'getdel', run: (r) => r.getdel('a'), argv: ['GETDEL', 'app:a'], reply: 'v', result: 'v' },
  {
    name: 'getex exAt',
    run: (r) => r.getex('a', { expireAt: at }),
    argv: ['GETEX', 'app:a', 'EXAT', 1893456001],
    reply: 'v',
    result: 'v',
  },
  {
    name: 'getex persist',
    run: (r) => r.getex('a', { persist: true }),
    argv: ['GETEX', 'app:a', 'PERSIST'],
    reply: null,
    result: null,
  },
  {
    name: 'getex ttl',
    run: (r) => r.getex('a', { ttl: 5 }),
    argv: ['GETEX', 'app:a', 'EX', 5],
    reply: 'v',
    result: 'v',
  },
  {
    name: 'getrange',
    run: (r) => r.getrange('a', 0, -1),
    argv: ['GETRANGE', 'app:a', 0, -1],
    reply: '',
    result: '',
  },
  {
    name: 'setrange',
    run: (r) => r.setrange('a', 2, 'x'),
    argv: ['SETRANGE', 'app:a', 2, 'x'],
    reply: 3,
    result: 3,
  },
  { name: 'append', run: (r) => r.append('a', 'x'), argv: ['APPEND', 'app:a', 'x'], reply: 4, result: 4 },
  { name: 'strlen', run: (r) => r.strlen('a'), argv: ['STRLEN', 'app:a'], reply: 0, result: 0 },
  {
    name: 'incrByFloat',
    run: (r) => r.incrByFloat('a', 0.1),
    argv: ['INCRBYFLOAT', 'app:a', 0.1],
    reply: '10.6',
    result: 10.6,
  },
  // hashes
  {
    name: 'hsetnx',
    run: (r) => r.hsetnx('h', 'f', 1),
    argv: ['HSETNX', 'app:h', 'f', 1],
    reply: 1,
    result: true,
  },
  {
    name: 'hincrByFloat',
    run: (r) => r.hincrByFloat('h', 'f', -1.5),
    argv: ['HINCRBYFLOAT', 'app:h', 'f', -1.5],
    reply: '-0.5',
    result: -0.5,
  },
  { name: 'hvals', run: (r) => r.hvals('h'), argv: ['HVALS', 'app:h'], reply: ['1'], result: ['1'] },
  { name: 'hstrlen', run: (r) => r.hstrlen('h', 'f'), argv: ['HSTRLEN', 'app:h', 'f'], reply: 3, result: 3 },
  {
    name: 'hrandfield',
    run: (r) => r.hrandfield('h'),
    argv: ['HRANDFIELD', 'app:h'],
    reply: null,
    result: null,
  },
  {
    name: 'hrandfield withValues',
    run: (r) => r.hrandfield('h', -2, { withValues: true }),
    argv: ['HRANDFIELD', 'app:h', -2, 'WITHVALUES'],
    reply: ['f', '1', 'f', '1'],
    result: [
      { field: 'f', value: '1' },
      { field: 'f', value: '1' },
    ],
  },
  // lists
  { name: 'lindex', run: (r) => r.lindex('l', -1), argv: ['LINDEX', 'app:l', -1], reply: 'z', result: 'z' },
  {
    name: 'lset',
    run: (r) => r.lset('l', 0, 'a'),
    argv: ['LSET', 'app:l', 0, 'a'],
    reply: 'OK',
    result: true,
  },
  { name: 'lrem', run: (r) => r.lrem('l', -2, 'a'), argv: ['LREM', 'app:l', -2, 'a'], reply: 1, result: 1 },
  {
    name: 'linsert',
    run: (r) => r.linsert('l', 'BEFORE', 'p', 'v'),
    argv: ['LINSERT', 'app:l', 'BEFORE', 'p', 'v'],
    reply: -1,
    result: -1,
  },
  {
    name: 'lpos',
    run: (r) => r.lpos('l', 'a', { rank: -1, maxlen: 10 }),
    argv: ['LPOS', 'app:l', 'a', 'RANK', -1, 'MAXLEN', 10],
    reply: 4,
    result: 4,
  },
  {
    name: 'lpos count',
    run: (r) => r.lpos('l', 'a', { count: 0 }),
    argv: ['LPOS', 'app:l', 'a', 'COUNT', 0],
    reply: [0, 3],
    result: [0, 3],
  },
  {
    name: 'lmove',
    run: (r) => r.lmove('a', 'b', 'RIGHT', 'LEFT'),
    argv: ['LMOVE', 'app:a', 'app:b', 'RIGHT', 'LEFT'],
    reply: null,
    result: null,
  },
  // sets
  {
    name: 'sinter',
    run: (r) => r.sinter('a', 'b'),
    argv: ['SINTER', 'app:a', 'app:b'],
    reply: ['x'],
    result: ['x'],
  },
  {
    name: 'sdiffStore',
    run: (r) => r.sdiffStore('d', 'a', 'b'),
    argv: ['SDIFFSTORE', 'app:d', 'app:a', 'app:b'],
    reply: 1,
    result: 1,
  },
  {
    name: 'smismember',
    run: (r) => r.smismember('s', 'a', 'b'),
    argv: ['SMISMEMBER', 'app:s', 'a', 'b'],
    reply: [1, 0],
    result: [true, false],
  },
  { name: 'spop count', run: (r) => r.spop('s', 2), argv: ['SPOP', 'app:s', 2], reply: ['a'], result: ['a'] },
  {
    name: 'srandmember -3',
    run: (r) => r.srandmember('s', -3),
    argv: ['SRANDMEMBER', 'app:s', -3],
    reply: ['a', 'a', 'a'],
    result: ['a', 'a', 'a'],
  },
  {
    name: 'smove',
    run: (r) => r.smove('a', 'b', 'm'),
    argv: ['SMOVE', 'app:a', 'app:b', 'm'],
    reply: 1,
    result: true,
  },
  // sorted sets
  {
    name: 'zcount',
    run: (r) => r.zcount('z', { value: 1, exclusive: true }, Number.POSITIVE_INFINITY),
    argv: ['ZCOUNT', 'app:z', '(1', '+inf'],
    reply: 2,
    result: 2,
  },
  {
    name: 'zrevrank',
    run: (r) => r.zrevrank('z', 'm'),
    argv: ['ZREVRANK', 'app:z', 'm'],
    reply: null,
    result: null,
  },
  {
    name: 'zpopmin',
    run: (r) => r.zpopmin('z'),
    argv: ['ZPOPMIN', 'app:z'],
    reply: ['a', '1.5'],
    result: { member: 'a', score: 1.5 },
  },
  { name: 'zpopmin empty', run: (r) => r.zpopmin('z'), argv: ['ZPOPMIN', 'app:z'], reply: [], result: null },
  {
    name: 'zpopmax count',
    run: (r) => r.zpopmax('z', 2),
    argv: ['ZPOPMAX', 'app:z', 2],
    reply: ['b', 'inf', 'a', '1'],
    result: [
      { member: 'b', score: Number.POSITIVE_INFINITY },
      { member: 'a', score: 1 },
    ],
  },
  {
    name: 'zremRangeByScore',
    run: (r) => r.zremRangeByScore('z', Number.NEGATIVE_INFINITY, 2),
    argv: ['ZREMRANGEBYSCORE', 'app:z', '-inf', '2'],
    reply: 3,
    result: 3,
  },
  {
    name: 'zremRangeByRank',
    run: (r) => r.zremRangeByRank('z', 0, -2),
    argv: ['ZREMRANGEBYRANK', 'app:z', 0, -2],
    reply: 1,
    result: 1,
  },
  {
    name: 'zmscore',
    run: (r) => r.zmscore('z', 'a', 'nobody'),
    argv: ['ZMSCORE', 'app:z', 'a', 'nobody'],
    reply: ['2.5', null],
    result: [2.5, null],
  },
  {
    name: 'zrangeByLex rev limit',
    run: (r) =>
      r.zrangeByLex('z', '-', { value: 'c', exclusive: true }, { rev: true, limit: { offset: 1, count: 2 } }),
    argv: ['ZRANGE', 'app:z', '(c', '-', 'BYLEX', 'REV', 'LIMIT', 1, 2],
    reply: ['b'],
    result: ['b'],
  },
  {
    name: 'zrangeByLex inclusive',
    run: (r) => r.zrangeByLex('z', 'a', '+'),
    argv: ['ZRANGE', 'app:z', '[a', '+', 'BYLEX'],
    reply: ['a', 'b'],
    result: ['a', 'b'],
  },
  {
    name: 'zunion weights withScores',
    run: (r) => r.zunion(['a', 'b'], { weights: [1, 2], aggregate: 'max', withScores: true }),
    argv: ['ZUNION', 2, 'app:a', 'app:b', 'WEIGHTS', 1, 2, 'AGGREGATE', 'MAX', 'WITHSCORES'],
    reply: ['m', '4'],
    result: [{ member: 'm', score: 4 }],
  },
  {
    name: 'zinterStore',
    run: (r) => r.zinterStore('d', ['a', 'b']),
    argv: ['ZINTERSTORE', 'app:d', 2, 'app:a', 'app:b'],
    reply: 1,
    result: 1,
  },
  // HyperLogLog, bitmaps
  {
    name: 'pfadd',
    run: (r) => r.pfadd('h', 'a', 1),
    argv: ['PFADD', 'app:h', 'a', 1],
    reply: 1,
    result: true,
  },
  {
    name: 'pfcount',
    run: (r) => r.pfcount('h', 'i'),
    argv: ['PFCOUNT', 'app:h', 'app:i'],
    reply: 3,
    result: 3,
  },
  {
    name: 'pfmerge',
    run: (r) => r.pfmerge('d', 'h'),
    argv: ['PFMERGE', 'app:d', 'app:h'],
    reply: 'OK',
    result: true,
  },
  { name: 'setbit', run: (r) => r.setbit('b', 7, 1), argv: ['SETBIT', 'app:b', 7, 1], reply: 0, result: 0 },
  { name: 'getbit', run: (r) => r.getbit('b', 7), argv: ['GETBIT', 'app:b', 7], reply: 1, result: 1 },
  {
    name: 'bitcount bits',
    run: (r) => r.bitcount('b', { start: 0, end: 9, unit: 'bit' }),
    argv: ['BITCOUNT', 'app:b', 0, 9, 'BIT'],
    reply: 1,
    result: 1,
  },
  // geo
  {
    name: 'geoadd',
    run: (r) => r.geoadd('g', { member: 'a', longitude: 13.4, latitude: 52.5 }, { ch: true }),
    argv: ['GEOADD', 'app:g', 'CH', 13.4, 52.5, 'a'],
    reply: 1,
    result: 1,
  },
  {
    name: 'geodist',
    run: (r) => r.geodist('g', 'a', 'b', 'km'),
    argv: ['GEODIST', 'app:g', 'a', 'b', 'km'],
    reply: '1.2345',
    result: 1.2345,
  },
  {
    name: 'geosearch members',
    run: (r) => r.geosearch('g', { from: { member: 'a' }, by: { width: 2, height: 3, unit: 'mi' } }),
    argv: ['GEOSEARCH', 'app:g', 'FROMMEMBER', 'a', 'BYBOX', 2, 3, 'mi'],
    reply: ['a'],
    result: [{ member: 'a' }],
  },
  {
    name: 'geosearch with everything',
    run: (r) =>
      r.geosearch('g', {
        from: { longitude: 13, latitude: 52 },
        by: { radius: 5, unit: 'km' },
        order: 'asc',
        count: 2,
        any: true,
        withCoord: true,
        withDist: true,
        withHash: true,
      }),
    argv: [
      'GEOSEARCH',
      'app:g',
      'FROMLONLAT',
      13,
      52,
      'BYRADIUS',
      5,
      'km',
      'ASC',
      'COUNT',
      2,
      'ANY',
      'WITHCOORD',
      'WITHDIST',
      'WITHHASH',
    ],
    reply: [['a', '0.4123', 3673983950397063, ['13.00000160932540894', '51.99999881535917319']]],
    result: [
      {
        member: 'a',
        distance: 0.4123,
        hash: 3673983950397063,
        coordinates: { longitude: Number('13.00000160932540894'), latitude: Number('51.99999881535917319') },
      },
    ],
  },
];

describe('the new command groups: argv and reply decoding', () => {
  itSendsAndDecodes(cases);

  it('types a geosearch hit from the options it was given', () => {
    const redis = new RedisService(new FakeDriver().reply([], [], []));
    const by = { radius: 1, unit: 'km' } as const;
    const plain = redis.geosearch('g', { from: { member: 'a' }, by });
    const withDist = redis.geosearch('g', { from: { member: 'a' }, by, withDist: true, withCoord: false });
    const maybe = redis.geosearch('g', { from: { member: 'a' }, by, withHash: Math.random() > 2 });
    type Hit<P> = Awaited<P> extends (infer H)[] ? H : never;
    expectTypeOf<Hit<typeof plain>>().toHaveProperty('member');
    expectTypeOf<Hit<typeof plain>>().not.toHaveProperty('distance');
    expectTypeOf<Hit<typeof withDist>['distance']>().toEqualTypeOf<number>();
    expectTypeOf<Hit<typeof withDist>>().not.toHaveProperty('coordinates');
    expectTypeOf<Hit<typeof maybe>['hash']>().toEqualTypeOf<number | undefined>();
    return Promise.all([plain, withDist, maybe]);
  });

  it('hscan, sscan and zscan follow the cursor and yield typed items', async () => {
    const driver = new FakeDriver().reply(
      ['7', ['f', '1']],
      ['0', ['g', '2']],
      ['0', ['m']],
      ['0', ['a', '1.5']],
    );
    const redis = new RedisService(driver, { keyPrefix: 'app:' });
    const fields = [];
    for await (const field of redis.hscan('h', { match: 'f*', count: 10 })) fields.push(field);
    const members = [];
    for await (const member of redis.sscan('s')) members.push(member);
    const scored = [];
    for await (const item of redis.zscan('z')) scored.push(item);
    expect(fields).toEqual([
      { field: 'f', value: '1' },
      { field: 'g', value: '2' },
    ]);
    expect(members).toEqual(['m']);
    expect(scored).toEqual([{ member: 'a', score: 1.5 }]);
    expect(driver.sent).toEqual([
      ['HSCAN', 'app:h', '0', 'MATCH', 'f*', 'COUNT', 10],
      ['HSCAN', 'app:h', '7', 'MATCH', 'f*', 'COUNT', 10],
      ['SSCAN', 'app:s', '0', 'COUNT', 100],
      ['ZSCAN', 'app:z', '0', 'COUNT', 100],
    ]);
  });
});

const refused: readonly BadCase[] = [
  { name: 'unlink()', run: (r) => r.unlink() },
  { name: 'rename to an empty key', run: (r) => r.rename('a', '') },
  { name: 'expireat an invalid date', run: (r) => r.expireat('a', new Date(Number.NaN)) },
  { name: 'expireat -1', run: (r) => r.expireat('a', -1) },
  { name: 'pexpireat 1.5', run: (r) => r.pexpireat('a', 1.5) },
  { name: 'getex ttl and persist', run: (r) => r.getex('a', { ttl: 1, persist: true }) },
  { name: 'getex expireAt and expireAtMs', run: (r) => r.getex('a', { expireAt: 1, expireAtMs: 1 }) },
  { name: 'setrange offset -1', run: (r) => r.setrange('a', -1, 'x') },
  { name: 'append undefined', run: (r) => r.append('a', loose(undefined)) },
  { name: 'incrByFloat NaN', run: (r) => r.incrByFloat('a', Number.NaN) },
  { name: 'incrByFloat Infinity', run: (r) => r.incrByFloat('a', Number.POSITIVE_INFINITY) },
  { name: 'hsetnx null', run: (r) => r.hsetnx('h', 'f', loose(null)) },
  { name: 'hincrByFloat a string', run: (r) => r.hincrByFloat('h', 'f', loose('1')) },
  { name: 'hrandfield 1.5', run: (r) => r.hrandfield('h', 1.5) },
  { name: 'lindex 0.5', run: (r) => r.lindex('l', 0.5) },
  { name: 'linsert somewhere', run: (r) => r.linsert('l', loose('middle'), 'p', 'v') },
  { name: 'lpos rank 0', run: (r) => r.lpos('l', 'a', { rank: 0 }) },
  { name: 'lpos count -1', run: (r) => r.lpos('l', 'a', { count: -1 }) },
  { name: 'lmove up', run: (r) => r.lmove('a', 'b', loose('up'), 'LEFT') },
  { name: 'sinter()', run: (r) => r.sinter() },
  { name: 'sunionStore without sources', run: (r) => r.sunionStore('d') },
  { name: 'smismember no members', run: (r) => r.smismember('s') },
  { name: 'spop 0', run: (r) => r.spop('s', 0) },
  { name: 'smove an object', run: (r) => r.smove('a', 'b', loose({})) },
  { name: 'zcount NaN', run: (r) => r.zcount('z', Number.NaN, 1) },
  { name: 'zpopmin 0', run: (r) => r.zpopmin('z', 0) },
  { name: 'zmscore a number', run: (r) => r.zmscore('z', loose(1)) },
  { name: 'zrangeByLex a number', run: (r) => r.zrangeByLex('z', loose(1), '+') },
  { name: 'zunion([])', run: (r) => r.zunion([]) },
  { name: 'zunion weights of the wrong length', run: (r) => r.zunion(['a', 'b'], { weights: [1] }) },
  { name: 'zinterStore aggregate avg', run: (r) => r.zinterStore('d', ['a'], { aggregate: loose('avg') }) },
  { name: 'pfcount()', run: (r) => r.pfcount() },
  { name: 'pfadd undefined', run: (r) => r.pfadd('h', loose(undefined)) },
  { name: 'setbit 2', run: (r) => r.setbit('b', 0, loose(2)) },
  { name: 'getbit -1', run: (r) => r.getbit('b', -1) },
  { name: 'getbit 2^32', run: (r) => r.getbit('b', 2 ** 32) },
  { name: 'bitcount unit word', run: (r) => r.bitcount('b', { start: 0, end: 1, unit: loose('word') }) },
  { name: 'geoadd no members', run: (r) => r.geoadd('g', []) },
  { name: 'geoadd longitude 181', run: (r) => r.geoadd('g', { member: 'a', longitude: 181, latitude: 0 }) },
  { name: 'geoadd latitude 86', run: (r) => r.geoadd('g', { member: 'a', longitude: 0, latitude: 86 }) },
  {
    name: 'geoadd nx and xx',
    run: (r) => r.geoadd('g', { member: 'a', longitude: 0, latitude: 0 }, { nx: true, xx: true }),
  },
  { name: 'geodist in yards', run: (r) => r.geodist('g', 'a', 'b', loose('yd')) },
  {
    name: 'geosearch radius 0',
    run: (r) => r.geosearch('g', { from: { member: 'a' }, by: { radius: 0, unit: 'm' } }),
  },
  { name: 'geosearch without by', run: (r) => r.geosearch('g', loose({ from: { member: 'a' } })) },
  {
    name: 'geosearch any without count',
    run: (r) => r.geosearch('g', { from: { member: 'a' }, by: { radius: 1, unit: 'm' }, any: true }),
  },
  {
    name: 'geosearch NaN longitude',
    run: (r) =>
      r.geosearch('g', { from: { longitude: Number.NaN, latitude: 0 }, by: { radius: 1, unit: 'm' } }),
  },
];

describe('the new command groups refuse bad input before anything reaches the driver', () => {
  itRefusesBeforeSending(refused);

  it('a scan with a bad count sends nothing', async () => {
    const driver = new FakeDriver();
    const redis = new RedisService(driver);
    const drain = async () => {
      for await (const _ of redis.zscan('z', { count: -1 })) {
        // nothing to do
      }
    };
    await expect(drain()).rejects.toBeInstanceOf(RedisValidationError);
    expect(driver.calls).toEqual([]);
  });
});
