import { describe, expect, it } from 'vitest';
import { blockingTimeoutMs } from '../../src/command-table/blocking-timeout.js';
import { RedisValidationError } from '../../src/errors/redis-error.js';

describe('blockingTimeoutMs', () => {
  it.each([
    [['BLPOP', 'a', 'b', 2], 2000],
    [['brpop', 'a', '0.5'], 500],
    [['BRPOPLPUSH', 'a', 'b', 0], 0],
    [['BLMOVE', 'a', 'b', 'LEFT', 'RIGHT', 1.5], 1500],
    [['BZPOPMIN', 'z', 3], 3000],
    [['BLMPOP', 4, 2, 'a', 'b', 'LEFT'], 4000],
    [['BZMPOP', 0, 1, 'z', 'MIN', 'COUNT', 2], 0],
    [['WAIT', 1, 250], 250],
    [['WAITAOF', 1, 0, 100], 100],
    [['XREAD', 'COUNT', 5, 'BLOCK', 1200, 'STREAMS', 's', '$'], 1200],
    [['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>'], 0],
  ] as const)('%j waits %d ms on the server', (argv, expected) => {
    expect(blockingTimeoutMs(argv)).toBe(expected);
  });

  it.each([
    [['BLPOP', 'a', -1]],
    [['BLPOP', 'a', 'soon']],
    [['BLPOP', 'a', ' ']],
    [['BLMPOP']],
    [['XREAD', 'STREAMS', 's', '$']],
    [['XREAD', 'BLOCK']],
    [['GET', 'k']],
  ] as const)('refuses %j with RedisValidationError', (argv) => {
    expect(() => blockingTimeoutMs(argv)).toThrow(RedisValidationError);
  });
});
