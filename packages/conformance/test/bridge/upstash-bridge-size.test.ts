import { describe, expect, it } from 'vitest';
import { rawClient, useBridge } from './bridge-fixture.js';

/**
 * Big replies and big pipelines through the bridge, at sizes that took the old, quadratic parser
 * tens of seconds (a 40 MB GET: 23 s). No timing is asserted: the generous timeouts are hang
 * guards, and the numbers live in `scripts/bench/bridge-size.ts`.
 */
const HANG_GUARD_MS = 120_000;
const MiB = 1024 * 1024;

const fixture = useBridge();

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const { bridge } = fixture;
  const response = await fetch(`${bridge.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bridge.token}`, ...headers },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return response.json();
}

/** Builds `unit` repeated `times` times in Redis with one small request. */
async function setRepeated(key: string, unit: string, times: number): Promise<void> {
  const script = "return redis.call('SET', KEYS[1], string.rep(ARGV[1], tonumber(ARGV[2])))";
  expect(await post('', ['EVAL', script, '1', key, unit, String(times)])).toEqual({ result: 'OK' });
}

describe('the Upstash REST bridge with big replies', () => {
  it(
    'answers a 32 MiB GET exactly, as text and as base64',
    async () => {
      const unit = 'abcdefghijklmnopqrstuvwxyz012345';
      const times = (32 * MiB) / unit.length;
      await setRepeated('size:plain', unit, times);
      const expected = unit.repeat(times);
      expect(await post('', ['GET', 'size:plain'])).toEqual({ result: expected });
      const base64 = (await post('', ['GET', 'size:plain'], { 'upstash-encoding': 'base64' })) as {
        result: string;
      };
      expect(base64.result).toBe(Buffer.from(expected).toString('base64'));
      await post('', ['DEL', 'size:plain']);
    },
    HANG_GUARD_MS,
  );

  it(
    'answers a 16 MiB GET of text that needs escaping, through @upstash/redis',
    async () => {
      const unit = `"quoted" \\ back\nslash\t日本語 🚀 ${'x'.repeat(1000)}`;
      const times = Math.ceil((16 * MiB) / Buffer.byteLength(unit));
      await setRepeated('size:escaped', unit, times);
      const redis = rawClient(fixture.bridge);
      const expected = unit.repeat(times);
      expect(await redis.get('size:escaped')).toBe(expected);
      const text = rawClient(fixture.bridge, { responseEncoding: false });
      expect(await text.get('size:escaped')).toBe(expected);
      await redis.del('size:escaped');
    },
    HANG_GUARD_MS,
  );

  it(
    'answers big values inside a pipeline and a transaction',
    async () => {
      await setRepeated('size:a', 'a', 8 * MiB);
      await setRepeated('size:b', 'b', 8 * MiB);
      const items = [{ result: 'a'.repeat(8 * MiB) }, { result: 'b'.repeat(8 * MiB) }];
      expect(
        await post('/pipeline', [
          ['GET', 'size:a'],
          ['GET', 'size:b'],
        ]),
      ).toEqual(items);
      expect(
        await post('/multi-exec', [
          ['GET', 'size:a'],
          ['GET', 'size:b'],
        ]),
      ).toEqual(items);
      await post('', ['DEL', 'size:a', 'size:b']);
    },
    HANG_GUARD_MS,
  );
});

describe('the Upstash REST bridge with big pipelines', () => {
  it(
    'runs a 100k-command pipeline, one result per command in order',
    async () => {
      const count = 100_000;
      const commands = Array.from({ length: count }, (_, i) =>
        i % 2 === 0 ? ['SET', `size:p${i % 1000}`, `value-${i}`] : ['GET', `size:p${(i - 1) % 1000}`],
      );
      const results = (await post('/pipeline', commands)) as { result: unknown }[];
      expect(results).toHaveLength(count);
      results.forEach((item, i) => {
        if (item.result !== (i % 2 === 0 ? 'OK' : `value-${i - 1}`)) {
          expect.fail(`command ${i} answered ${JSON.stringify(item)}`);
        }
      });
      await post(
        '/pipeline',
        Array.from({ length: 1000 }, (_, i) => ['DEL', `size:p${i}`]),
      );
    },
    HANG_GUARD_MS,
  );

  it(
    'runs a 20k-command transaction',
    async () => {
      const count = 20_000;
      const commands = Array.from({ length: count }, () => ['INCR', 'size:counter']);
      const results = (await post('/multi-exec', commands)) as { result: number }[];
      expect(results.map((item) => item.result)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
      await post('', ['DEL', 'size:counter']);
    },
    HANG_GUARD_MS,
  );
});
