import { hashTagOf, keySlot, SLOT_COUNT } from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { crc16 } from '../../src/cluster/crc16.js';

// Answers of redis-server 7.0.15's `CLUSTER KEYSLOT` (the kit checks many more keys against a
// live cluster, binary ones included: cluster/key-slot-matches-server).
const SERVER_SLOTS: readonly (readonly [string, number])[] = [
  ['', 0],
  ['foo', 12182],
  ['hello', 866],
  ['123456789', 12739],
  ['{user1000}.following', 3443],
  ['{user1000}.followers', 3443],
  ['foo{}{bar}', 8363],
  ['foo{{bar}}zap', 4015],
  ['foo{bar}{zap}', 5061],
  ['{}', 15257],
  ['{', 4092],
  ['}{', 12793],
  ['}{x}', 16287],
  ['{}x}', 10489],
  ['a{b', 13340],
  ['ünïcödé', 9841],
  ['日本語{キー}', 8582],
  ['😀', 2959],
  ['{😀}x', 2959],
  ['rsk:abc:{tag}:x', 8338],
  ['key:with}brace', 5937],
  ['rl:{user}1}:fw', 5474],
];

describe('keySlot', () => {
  it('is CRC16-XMODEM (the check value of "123456789" is 0x31C3)', () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0x31c3);
  });

  it.each(SERVER_SLOTS)('%j -> slot %i, as CLUSTER KEYSLOT answers', (key, slot) => {
    expect(keySlot(key)).toBe(slot);
    expect(keySlot(new TextEncoder().encode(key))).toBe(slot);
  });

  it('hashes a string as the UTF-8 bytes the drivers send, a lone surrogate as U+FFFD', () => {
    const lone = 'a\ud800b';
    expect(keySlot(lone)).toBe(keySlot(new TextEncoder().encode(lone)));
    expect(keySlot(lone)).toBe(keySlot('a\ufffdb'));
  });

  it('finds the tag in bytes that are not UTF-8', () => {
    const bytes = Uint8Array.from([0xff, 0x7b, 0xfe, 0x00, 0x7d, 0x80]);
    expect(keySlot(bytes)).toBe(crc16(Uint8Array.from([0xfe, 0x00])) % SLOT_COUNT);
  });

  it('hashes a number as its decimal text', () => {
    expect(keySlot(123456789)).toBe(12739);
    expect(keySlot(123456789n)).toBe(12739);
  });

  it('names the tag a key is hashed by, or none', () => {
    expect(hashTagOf('{user1000}.following')).toBe('user1000');
    expect(hashTagOf('foo{}{bar}')).toBeUndefined();
    expect(hashTagOf('foo{{bar}}zap')).toBe('{bar');
    expect(hashTagOf('}{')).toBeUndefined();
  });
});
