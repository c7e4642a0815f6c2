import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');

describe('the adapter source', () => {
  // Edge runtimes (Cloudflare Workers, Vercel Edge) have fetch, TextEncoder and atob, not Node.
  it('uses no Node module or Node global', () => {
    for (const file of readdirSync(SRC).filter((name) => name.endsWith('.ts'))) {
      const text = readFileSync(join(SRC, file), 'utf8');
      expect(text, file).not.toMatch(/from ['"]node:|require\(|\bBuffer\b|\bprocess\./);
    }
  });

  it('imports @upstash/redis for types only', () => {
    for (const file of readdirSync(SRC).filter((name) => name.endsWith('.ts'))) {
      const text = readFileSync(join(SRC, file), 'utf8');
      expect(text, file).not.toMatch(/^import \{[^}]*\} from '@upstash\/redis'/m);
    }
  });
});
