import { redactText, redactUrl } from '@redis-service/core';
import { describe, expect, it } from 'vitest';

describe('redactUrl', () => {
  it('removes the password and username from redis and rediss URLs', () => {
    const redacted = redactUrl('redis://user:pa55@host:6379/0');
    expect(redacted).not.toContain('pa55');
    expect(redacted).not.toContain('user');
    expect(redacted).toBe('redis://***@host:6379/0');
    expect(redactUrl('rediss://:s3cret@cache.example.com:6380')).toBe('rediss://***@cache.example.com:6380');
    expect(redactUrl('https://default:tok@eu1.upstash.io')).toBe('https://***@eu1.upstash.io');
  });

  it('leaves a URL without credentials unchanged', () => {
    for (const url of ['redis://localhost:6379/0', 'rediss://host:6380', 'redis://host/0?name=a@b']) {
      expect(redactUrl(url)).toBe(url);
    }
  });

  it('leaves no part of a password that contains an unescaped @', () => {
    const redacted = redactUrl('redis://user:p@ss@host:6379');
    expect(redacted).toBe('redis://***@host:6379');
    expect(redacted).not.toContain('ss');
  });
});

describe('redactText', () => {
  it('masks every URL credential inside a longer text', () => {
    const text = 'connect redis://u:pa55@a:1 failed; fallback rediss://:other@b:2 too (see redis://c:3)';
    const redacted = redactText(text);
    expect(redacted).not.toContain('pa55');
    expect(redacted).not.toContain('other');
    expect(redacted).toBe('connect redis://***@a:1 failed; fallback rediss://***@b:2 too (see redis://c:3)');
  });

  it('leaves text without credentials unchanged', () => {
    const text = 'ECONNREFUSED 127.0.0.1:6379 (redis://localhost:6379)';
    expect(redactText(text)).toBe(text);
  });

  it('masks a password with an unescaped @ completely', () => {
    expect(redactText('url redis://u:p@ss@host:1 down')).toBe('url redis://***@host:1 down');
  });
});
