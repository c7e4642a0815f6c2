import assert from 'node:assert/strict';
import {
  type Capability,
  type RedisCommand,
  type RedisReply,
  RedisSerializationError,
} from '@redis-service/core';
import type { UnitCase } from '../../case.js';
import { type RespValue, reply } from '../../fake/resp-value.js';
import { assertReply, commandsNamed, PROMPT_FAILURE_MS, rejectsWithin, scenario } from './unit-support.js';

/** One row of the table: the server sends `sends` for `command`, the port must yield `yields`. */
interface ReplyRow {
  readonly slug: string;
  readonly name: string;
  readonly command: RedisCommand;
  readonly sends: RespValue;
  readonly yields: RedisReply;
  readonly binary?: boolean;
}

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);
const bytes = (text: string) => new TextEncoder().encode(text);

const rows: readonly ReplyRow[] = [
  {
    slug: 'simple-ok',
    name: '+OK yields the string OK',
    command: ['SET', 'k', 'v'],
    sends: reply.ok(),
    yields: 'OK',
  },
  {
    slug: 'simple-string',
    name: 'a simple string yields its text',
    command: ['TYPE', 'k'],
    sends: reply.simple('string'),
    yields: 'string',
  },
  {
    slug: 'bulk-utf8',
    name: 'a bulk string is decoded as UTF-8',
    command: ['GET', 'k'],
    sends: reply.bulk('héllo wörld ✓ 🚀'),
    yields: 'héllo wörld ✓ 🚀',
  },
  {
    slug: 'bulk-empty',
    name: 'an empty bulk string yields the empty string, not null',
    command: ['GET', 'k'],
    sends: reply.bulk(''),
    yields: '',
  },
  {
    slug: 'bulk-with-crlf',
    name: 'a bulk string containing CRLF is read by its length, whole',
    command: ['GET', 'k'],
    sends: reply.bulk('line 1\r\n+OK\r\nline 3'),
    yields: 'line 1\r\n+OK\r\nline 3',
  },
  {
    slug: 'nil-bulk',
    name: 'a nil bulk string yields null',
    command: ['GET', 'k'],
    sends: reply.nil(),
    yields: null,
  },
  {
    slug: 'integer',
    name: 'an integer yields a number',
    command: ['INCRBY', 'k', 42],
    sends: reply.int(42),
    yields: 42,
  },
  {
    slug: 'integer-negative',
    name: 'a negative integer yields a negative number',
    command: ['DECRBY', 'k', 7],
    sends: reply.int(-7),
    yields: -7,
  },
  {
    slug: 'integer-zero',
    name: 'the integer 0 yields 0',
    command: ['EXISTS', 'k'],
    sends: reply.int(0),
    yields: 0,
  },
  {
    slug: 'integer-max-safe',
    name: 'the largest safe integer (2^53 - 1) yields a number',
    command: ['INCRBY', 'k', 1],
    sends: reply.int(9007199254740991),
    yields: 9007199254740991,
  },
  {
    slug: 'integer-min-safe',
    name: 'the smallest safe integer (-(2^53 - 1)) yields a number',
    command: ['DECRBY', 'k', 1],
    sends: reply.int(-9007199254740991),
    yields: -9007199254740991,
  },
  {
    slug: 'integer-beyond-safe',
    name: 'an integer above 2^53 yields the exact bigint, never a rounded number',
    command: ['INCRBY', 'k', 1],
    sends: reply.int(9007199254740993n),
    yields: 9007199254740993n,
  },
  {
    slug: 'integer-below-safe',
    name: 'an integer below -2^53 yields the exact bigint',
    command: ['DECRBY', 'k', 1],
    sends: reply.int(-9007199254740993n),
    yields: -9007199254740993n,
  },
  {
    slug: 'integer-int64-max',
    name: 'the largest 64-bit integer yields the exact bigint',
    command: ['INCRBY', 'k', 1],
    sends: reply.int(9223372036854775807n),
    yields: 9223372036854775807n,
  },
  {
    slug: 'array-nested-mixed',
    name: 'nested arrays of mixed types, nils included, are normalized all the way down',
    command: ['EVAL', 'return 0', 0],
    sends: reply.array([
      reply.bulk('a'),
      reply.int(1),
      reply.nil(),
      reply.array([
        reply.bulk(''),
        reply.int(-9007199254740991),
        reply.array([]),
        reply.nilArray(),
        reply.simple('OK'),
      ]),
      reply.int(9007199254740991),
    ]),
    yields: ['a', 1, null, ['', -9007199254740991, [], null, 'OK'], 9007199254740991],
  },
  {
    slug: 'array-nested-big-integer',
    name: 'integers beyond 2^53 nested in arrays yield exact bigints beside the numbers',
    command: ['EVAL', 'return 0', 0],
    sends: reply.array([
      reply.int(1),
      reply.array([reply.int(-9007199254740993n), reply.bulk('x')]),
      reply.int(9223372036854775807n),
    ]),
    yields: [1, [-9007199254740993n, 'x'], 9223372036854775807n],
  },
  {
    slug: 'array-empty',
    name: 'an empty array yields []',
    command: ['LRANGE', 'k', 0, -1],
    sends: reply.array([]),
    yields: [],
  },
  {
    slug: 'array-nil',
    name: 'a nil array yields null',
    command: ['XREAD', 'COUNT', 1, 'STREAMS', 'k', '0'],
    sends: reply.nilArray(),
    yields: null,
  },
  // Replies whose shape RESP3 changes (doubles, nested pairs): the adapters pin RESP2, so the port
  // must yield these flat RESP2 shapes, which the typed commands decode.
  {
    slug: 'zmscore-scores-and-nil',
    name: 'ZMSCORE: scores as bulk strings beside nils yield strings and nulls (RESP3 would send doubles)',
    command: ['ZMSCORE', 'k', 'a', 'b', 'c'],
    sends: reply.array([reply.bulk('1.5'), reply.nil(), reply.bulk('-inf')]),
    yields: ['1.5', null, '-inf'],
  },
  {
    slug: 'zpopmin-flat-pairs',
    name: 'ZPOPMIN with a count: a flat member/score array stays flat (RESP3 would nest pairs)',
    command: ['ZPOPMIN', 'k', 2],
    sends: reply.array([reply.bulk('a'), reply.bulk('1'), reply.bulk('b'), reply.bulk('2.5')]),
    yields: ['a', '1', 'b', '2.5'],
  },
  {
    slug: 'hrandfield-withvalues-flat-pairs',
    name: 'HRANDFIELD WITHVALUES: a flat field/value array stays flat (RESP3 would nest pairs)',
    command: ['HRANDFIELD', 'k', -2, 'WITHVALUES'],
    sends: reply.array([reply.bulk('f'), reply.bulk('1'), reply.bulk('f'), reply.bulk('1')]),
    yields: ['f', '1', 'f', '1'],
  },
  {
    slug: 'geosearch-withcoord-nested',
    name: 'GEOSEARCH WITHDIST WITHHASH WITHCOORD: nested hits keep distance and coordinates as text and the hash as an integer',
    command: [
      'GEOSEARCH',
      'k',
      'FROMLONLAT',
      15,
      37,
      'BYRADIUS',
      200,
      'km',
      'WITHCOORD',
      'WITHDIST',
      'WITHHASH',
    ],
    sends: reply.array([
      reply.array([
        reply.bulk('Catania'),
        reply.bulk('56.4413'),
        reply.int(3479447370796909),
        reply.array([reply.bulk('15.08726745843887329'), reply.bulk('37.50266842333162032')]),
      ]),
    ]),
    yields: [['Catania', '56.4413', 3479447370796909, ['15.08726745843887329', '37.50266842333162032']]],
  },
  {
    slug: 'binary-bulk',
    name: 'with { binary: true }, a bulk string of all 256 byte values yields the identical bytes',
    command: ['GET', 'k'],
    sends: reply.bulk(ALL_BYTES),
    yields: ALL_BYTES,
    binary: true,
  },
  {
    slug: 'binary-array',
    name: 'with { binary: true }, bulk strings inside an array yield bytes; integers and nils stay as they are',
    command: ['LRANGE', 'k', 0, -1],
    sends: reply.array([
      reply.bulk(Uint8Array.of(0, 255, 13, 10)),
      reply.bulk('héllo'),
      reply.nil(),
      reply.int(5),
    ]),
    yields: [Uint8Array.of(0, 255, 13, 10), bytes('héllo'), null, 5],
    binary: true,
  },
];

/** Whether a reply holds a `bigint` anywhere: only a driver with exact integers can yield it. */
function holdsBigint(value: RedisReply): boolean {
  if (typeof value === 'bigint') return true;
  return Array.isArray(value) && value.some(holdsBigint);
}

function replyCase(row: ReplyRow): UnitCase {
  const requires: Capability[] = [];
  if (row.binary) requires.push('binary');
  // Derived, not declared per row, so that no big-integer row can forget it.
  if (holdsBigint(row.yields)) requires.push('exactIntegers');
  const [name] = row.command;
  return {
    id: `replies/${row.slug}`,
    group: 'replies',
    name: row.name,
    tier: 'unit',
    requires,
    async run(ctx) {
      const { server, driver } = await scenario(ctx, (command) =>
        command[0] === name ? row.sends : undefined,
      );
      const actual = await driver.send(row.command, row.binary ? { binary: true } : undefined);
      assertReply(actual, row.yields, `${String(name)} answered with a scripted ${row.sends.type}`);
      assert.equal(commandsNamed(server, String(name)).length, 1, `the server received ${String(name)} once`);
    },
  };
}

/**
 * The other half of the `exactIntegers` contract, for every driver: an integer beyond 2^53 either
 * arrives exact (a driver that declares `exactIntegers`) or is refused with
 * `RedisSerializationError` (one that does not); a rounded number is never an answer.
 */
const bigIntegerExactOrRefused: UnitCase = {
  id: 'replies/big-integer-exact-or-refused',
  group: 'replies',
  name: 'an integer beyond 2^53 yields the exact bigint, or RedisSerializationError without exactIntegers; never a rounded number',
  tier: 'unit',
  async run(ctx) {
    const { driver } = await scenario(ctx, (command) => {
      if (command[0] === 'INCRBY') return reply.int(9007199254740993n);
      return command[0] === 'GET' ? reply.bulk('after') : undefined;
    });
    const what = 'INCRBY answered with 9007199254740993';
    if (driver.capabilities.exactIntegers) {
      assertReply(await driver.send(['INCRBY', 'k', 1]), 9007199254740993n, what);
    } else {
      await rejectsWithin(driver.send(['INCRBY', 'k', 1]), RedisSerializationError, PROMPT_FAILURE_MS, what);
    }
    assert.equal(await driver.send(['GET', 'k']), 'after', 'the next command gets its own reply');
  },
};

/** Server sends X -> the port yields Y, for every reply type of RESP2. */
export const replyCases: readonly UnitCase[] = [...rows.map(replyCase), bigIntegerExactOrRefused];
