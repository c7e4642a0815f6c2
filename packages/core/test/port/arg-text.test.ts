import { describe, expect, it } from 'vitest';
import { numericArgText } from '../../src/port/arg-text.js';

describe('numericArgText', () => {
  it('spells numbers the way every adapter sends them', () => {
    expect(numericArgText(42)).toBe('42');
    expect(numericArgText(-7)).toBe('-7');
    expect(numericArgText(1.5)).toBe('1.5');
    expect(numericArgText(-0)).toBe('0');
    expect(numericArgText(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(numericArgText(Number.POSITIVE_INFINITY)).toBe('+inf');
    expect(numericArgText(Number.NEGATIVE_INFINITY)).toBe('-inf');
    expect(numericArgText(9007199254740993n)).toBe('9007199254740993');
    expect(numericArgText(-9007199254740993n)).toBe('-9007199254740993');
  });
});
