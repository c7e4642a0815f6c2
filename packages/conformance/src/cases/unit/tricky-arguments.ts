import type { RedisArg } from '@redis-service/core';

/**
 * Strings that break a driver which joins arguments into a command line or trims, splits or
 * re-encodes them: each must arrive as one argument, byte for byte.
 */
export const DELICATE_STRINGS: readonly string[] = [
  'key with spaces',
  'line 1\r\nline 2',
  `she said "hi" and 'bye'`,
  '*3\r\n$3\r\nDEL\r\n$1\r\nx\r\n',
  '',
  ' leading and trailing ',
  'tab\there',
  'héllo wörld ✓ 🚀',
  '\\n is not a newline',
];

/** Numbers and bigints with the decimal text each must arrive as. */
export const NUMBERS: readonly (readonly [RedisArg, string])[] = [
  [42, '42'],
  [-7, '-7'],
  [0, '0'],
  [3.25, '3.25'],
  [-0.5, '-0.5'],
  [9007199254740991, '9007199254740991'],
  [9007199254740993n, '9007199254740993'],
  [-9223372036854775808n, '-9223372036854775808'],
];
