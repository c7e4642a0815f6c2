/**
 * The CLI as a third party runs it: built `dist`, plain Node (no tsx), an adapter module outside
 * the workspace that imports the published adapter package, a private redis-server.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRespDriver } from '../../src/cleanup/resp-driver.js';
import { type RedisServerHandle, startRedisServer } from '../../src/harness/index.js';
import type { JsonReport } from '../../src/index.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CLI = join(ROOT, 'packages/conformance/dist/cli/main.js');

const ADAPTER_MODULE = `import { createIoredisDriverFromUrl } from '@redis-service/adapter-ioredis';
import { wrapped } from './wrap.mjs';

const createDriver = ({ url, commandTimeoutMs }) =>
  createIoredisDriverFromUrl({ url, ...(commandTimeoutMs === undefined ? {} : { commandTimeoutMs }) });

export default {
  name: 'ioredis from outside',
  transport: 'resp',
  worker: { module: import.meta.url, export: 'default' },
  createDriver,
};

/** Answers every integer as text: the kit must fail it. */
export const broken = {
  name: 'ioredis, integers as text',
  createDriver: async (request) => wrapped(await createDriver(request)),
};
`;

const WRAP_MODULE = `const text = (reply) =>
  typeof reply === 'number' ? String(reply) : Array.isArray(reply) ? reply.map(text) : reply;
export const wrapped = (driver) => ({
  name: driver.name,
  capabilities: driver.capabilities,
  send: async (command, options) => text(await driver.send(command, options)),
  batch: (commands, options) => driver.batch(commands, options),
  evalScript: (script, keys, args, options) => driver.evalScript(script, keys, args, options),
  close: () => driver.close(),
});
`;

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let dir: string;
let server: RedisServerHandle;

function cli(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: dir,
      env: { ...process.env, REDIS_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  // The CLI runs from dist: build it and what the adapter module imports.
  const build = spawnSync(
    'pnpm',
    [
      '--filter',
      '@redis-service/core',
      '--filter',
      '@redis-service/conformance',
      '--filter',
      '@redis-service/adapter-ioredis',
      'run',
      'build',
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
  // A project outside the workspace whose only dependency is the adapter package.
  dir = await mkdtemp(join(tmpdir(), 'rsk-cli-'));
  await mkdir(join(dir, 'node_modules/@redis-service'), { recursive: true });
  await symlink(
    join(ROOT, 'packages/adapter-ioredis'),
    join(dir, 'node_modules/@redis-service/adapter-ioredis'),
  );
  await writeFile(join(dir, 'adapter.mjs'), ADAPTER_MODULE);
  await writeFile(join(dir, 'wrap.mjs'), WRAP_MODULE);
  server = await startRedisServer();
}, 240_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('redis-service-conformance', () => {
  it('runs chosen cases of the kit against an adapter module, prints the matrix and writes a JSON report', async () => {
    const result = await cli([
      './adapter.mjs',
      '--url',
      server.url,
      '--tier',
      'unit,integration',
      '--case',
      'replies/',
      '--case',
      'strings/',
      '--case',
      'process/',
      '--no-self-check',
      '--json',
      'report.json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^group +ioredis from outside$/m);
    expect(result.stdout).toMatch(/^unit\/replies +pass \d+$/m);
    expect(result.stdout).toMatch(/^integration\/strings +pass \d+$/m);
    expect(result.stdout).toMatch(/^integration\/process +pass 1$/m);
    expect(result.stdout).toMatch(/^level +NONE$/m);
    expect(result.stdout).toContain('not rated (a partial run: cases were filtered; the self-check was off)');
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as JsonReport;
    expect(report.ok).toBe(true);
    expect(report.totals.failed).toBe(0);
    expect(report.capabilities?.transactions).toBe(true);
    expect(report.results.every((entry) => /^(replies|strings|process)\//.test(entry.id))).toBe(true);
    expect(
      report.results.some((entry) => entry.id === 'process/exits-after-close' && entry.status === 'passed'),
    ).toBe(true);
  }, 240_000);

  it('exits 1 and names the failing cases when the adapter is broken', async () => {
    const result = await cli([
      './adapter.mjs',
      '--export',
      'broken',
      '--url',
      server.url,
      '--case',
      'strings/incr',
      '--no-self-check',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^integration\/strings +FAIL \d+\/\d+$/m);
    expect(result.stdout).toMatch(/^ {2}- strings\/incr-returns-numbers: \w+Error: /m);
  }, 120_000);

  it('exits 2 on bad usage and on a module without the named adapter', async () => {
    const usage = await cli(['--tier', 'everything', './adapter.mjs']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown tier 'everything'/);
    const missing = await cli(['./adapter.mjs', '--export', 'nothing', '--url', server.url]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /has no AdapterUnderTest export named 'nothing'.*adapters it exports: broken, default/,
    );
  }, 60_000);

  it('cleanup deletes one run, or every kit run older than an age, and nothing else', async () => {
    const driver = createRespDriver(server.url);
    try {
      const old = `rsk:${(Date.now() - 3 * 3_600_000).toString(36)}-aaaaaaaaaaaa:`;
      const fresh = `rsk:${Date.now().toString(36)}-bbbbbbbbbbbb:`;
      for (const key of [`${old}a`, `${old}b:c`, `${fresh}a`, 'rsk-lookalike:a', 'app:user:1']) {
        await driver.send(['SET', key, 'v']);
      }
      const byAge = await cli(['cleanup', '--url', server.url, '--older-than', '2h']);
      expect(byAge.code).toBe(0);
      expect(byAge.stdout).toContain(`deleted 2 key(s) of 1 run(s): ${old}`);
      expect(
        await driver.send(['EXISTS', `${old}a`, `${old}b:c`, `${fresh}a`, 'rsk-lookalike:a', 'app:user:1']),
      ).toBe(3);
      const byRun = await cli(['cleanup', '--url', server.url, '--run', fresh]);
      expect(byRun.code).toBe(0);
      expect(await driver.send(['EXISTS', `${fresh}a`, 'rsk-lookalike:a', 'app:user:1'])).toBe(2);
      const refused = await cli(['cleanup', '--url', server.url, '--run', 'app:']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/not a kit run prefix: 'app:'/);
      expect(await driver.send(['EXISTS', 'app:user:1'])).toBe(1);
    } finally {
      await driver.close();
    }
  }, 120_000);
});
