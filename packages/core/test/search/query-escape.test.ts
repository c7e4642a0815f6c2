import { escapeQueryValue, RedisValidationError } from '@redis-service/core';
import { describe, expect, it } from 'vitest';

describe('escapeQueryValue', () => {
  it('leaves letters, digits and non-ASCII characters alone', () => {
    expect(escapeQueryValue('abcXYZ019', 'v')).toBe('abcXYZ019');
    expect(escapeQueryValue('héllo🌍', 'v')).toBe('héllo🌍');
  });

  it('backslash-escapes every ASCII character that is not a letter or digit', () => {
    const punctuation = ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
    const escaped = escapeQueryValue(punctuation, 'v');
    expect(escaped).toBe([...punctuation].map((char) => `\\${char}`).join(''));
  });

  it('turns an injection attempt into one literal value', () => {
    expect(escapeQueryValue('sci-fi} | @title:(x', 'v')).toBe('sci\\-fi\\}\\ \\|\\ \\@title\\:\\(x');
  });

  it('escapes line breaks and tabs too', () => {
    expect(escapeQueryValue('a\nb\tc', 'v')).toBe('a\\\nb\\\tc');
  });

  it('refuses empty strings, non-strings and NUL', () => {
    expect(() => escapeQueryValue('', 'v')).toThrow(RedisValidationError);
    expect(() => escapeQueryValue(5, 'v')).toThrow(RedisValidationError);
    expect(() => escapeQueryValue('a\u0000b', 'v')).toThrow(RedisValidationError);
  });
});
