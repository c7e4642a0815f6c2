import { commandInfo, keyPositions, type RedisCommand } from '@redis-service/core';
import { describe, expect, it } from 'vitest';

// The table is checked against the server itself (COMMAND GETKEYS) in
// packages/command-table-generator; these pin the behaviours callers rely on, without a server.
describe('keyPositions', () => {
  it.each<[RedisCommand, number[] | undefined]>([
    [['GET', 'k'], [1]],
    [['get', 'k'], [1]],
    [
      ['MSET', 'a', 1, 'b', 2],
      [1, 3],
    ],
    [
      ['BLPOP', 'a', 'b', 0],
      [1, 2],
    ],
    [
      ['EVAL', 's', 2, 'a', 'b', 'x'],
      [3, 4],
    ],
    [['EVAL', 's', 0], []],
    [['FCALL', 'f', 1, 'a'], [3]],
    [
      ['ZINTERSTORE', 'd', 2, 'a', 'b'],
      [1, 3, 4],
    ],
    [
      ['XREAD', 'COUNT', 1, 'STREAMS', 'a', 'b', 'c', '0', '0', '0'],
      [4, 5, 6],
    ],
    [['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', '>'], [5]],
    [['XINFO', 'STREAM', 's'], [2]],
    [
      ['SORT', 'l', 'STORE', 'd'],
      [1, 3],
    ],
    [['MIGRATE', 'h', 1, 'k', 0, 5], [3]],
    [['SPUBLISH', 'c', 'm'], []],
    [['PING'], []],
    [['EVAL', 's', 3, 'a'], []],
    [['NO.SUCH.COMMAND', 'k'], undefined],
  ])('%j -> %j', (argv, positions) => {
    expect(keyPositions(argv)).toEqual(positions);
  });

  it('includes shard channels when asked, for slot routing', () => {
    expect(keyPositions(['SPUBLISH', 'c', 'm'], { includeNotKeys: true })).toEqual([1]);
    expect(keyPositions(['SSUBSCRIBE', 'a', 'b'], { includeNotKeys: true })).toEqual([1, 2]);
  });

  it('reads the legacy positions and flags from the table', () => {
    expect(commandInfo('get')).toMatchObject({
      arity: 2,
      firstKey: 1,
      lastKey: 1,
      keyStep: 1,
      group: 'string',
    });
    expect(commandInfo('blpop')?.flags).toContain('blocking');
    expect(commandInfo('xread')?.blockingToken).toBe('BLOCK');
    expect(commandInfo('set')?.aclCategories).toContain('write');
  });
});
