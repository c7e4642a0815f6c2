import { hashTag, keySlot, RedisValidationError, SLOT_COUNT, slotName } from '@redis-service/core';
import { describe, expect, it } from 'vitest';

describe('hashTag', () => {
  it('is {name} for a name without a closing brace', () => {
    expect(hashTag('user:1')).toBe('{user:1}');
    expect(hashTag('a{b')).toBe('{a{b}');
  });

  it.each(['user:1', 'a}b', '}', '{x}y', '{}x}', 'ünï}cödé', '😀}'])(
    'co-locates with the name itself: keySlot(hashTag(%j) + suffix) === keySlot(name)',
    (name) => {
      const tag = hashTag(name);
      for (const suffix of ['', ':a', ':b}', '{c}']) expect(keySlot(`${tag}${suffix}`)).toBe(keySlot(name));
    },
  );

  it('spreads names with a closing brace over many slots instead of the slot of their first part', () => {
    const slots = new Set(Array.from({ length: 200 }, (_, i) => keySlot(hashTag(`user}${i}`))));
    expect(slots.size).toBeGreaterThan(150);
  });

  it('refuses an empty or non-string name', () => {
    expect(() => hashTag('')).toThrow(RedisValidationError);
    expect(() => hashTag(7 as unknown as string)).toThrow(RedisValidationError);
  });
});

describe('slotName', () => {
  it('names every slot with letters and digits only, hashing back to that slot', () => {
    const wrong: string[] = [];
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      const name = slotName(slot);
      if (!/^[0-9a-zA-Z]{1,4}$/.test(name) || keySlot(name) !== slot) wrong.push(`${slot}: ${name}`);
    }
    expect(wrong).toEqual([]);
  });

  it('is stable: the same names in every process and release', () => {
    expect([0, 1, 866, 12182, 16383].map(slotName)).toMatchInlineSnapshot(`
      [
        "06S",
        "Qi",
        "CX",
        "9Le",
        "6ZJ",
      ]
    `);
  });

  it('refuses what is not a slot', () => {
    expect(() => slotName(16384)).toThrow(RangeError);
    expect(() => slotName(-1)).toThrow(RangeError);
    expect(() => slotName(1.5)).toThrow(RangeError);
  });
});
