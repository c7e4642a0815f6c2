/**
 * The outside check (`pnpm outside-check`, part of `pnpm test`): proves the packages as a user gets
 * them. It builds and packs every package, checks each tarball, installs the tarballs with npm into
 * scratch projects in a temp dir (no workspace, no links), and from there:
 *
 * - type-checks a project that uses every package (`skipLibCheck: false`, so the published
 *   declarations are checked too) and runs the README's marked code blocks, each against a private
 *   redis-server (and a local REST bridge, and a TLS server with an ACL user and a private CA),
 *   checking that each prints what its comments promise;
 * - runs every case of the conformance kit against a custom adapter through `describeConformance`,
 *   and the whole kit (self-check included) through the kit's CLI, checking its matrix and JSON report;
 * - does the same type-check and blocks with the lowest supported driver versions, and runs the
 *   driver-facing part of the kit against the published adapters over them;
 * - runs core and the Upstash adapter inside workerd against the kit's REST bridge.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startUpstashBridge } from '@redis-service/conformance/bridge';
import { startRedisServer } from '@redis-service/conformance/harness';
import { inspectTarball } from '../package/inspect-tarball.js';
import { packPackage } from '../package/pack.js';
import { runInWorkerd } from './edge-runtime.js';
import { expectedOutput } from './expected-output.js';
import { checkKitCliRun, KIT_CLI, kitCliArguments, kitHasCli } from './kit-cli.js';
import { type MarkedBlock, markedBlocks } from './readme-blocks.js';
import { runCommand } from './run-command.js';
import { createScratchProject, npmEnvironment } from './scratch-project.js';
import { startTlsRedis, type TlsRedis } from './tls-redis.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PACKAGES = ['core', 'adapter-ioredis', 'adapter-node-redis', 'adapter-upstash', 'conformance'];
// The lowest version each driver peer range admits (ioredis ^6.0.0 has no other release yet).
const LOWEST_DRIVERS = { ioredis: '6.0.0', redis: '6.0.0', '@upstash/redis': '1.38.0' };
// Hang guards only.
const BUILD_DEADLINE_MS = 600_000;
const TSC_DEADLINE_MS = 300_000;
const BLOCK_DEADLINE_MS = 60_000;
const KIT_DEADLINE_MS = 600_000;

type Outcome = { readonly status: 'passed' | 'failed' | 'skipped'; readonly detail?: string };
const outcomes: { name: string; outcome: Outcome; ms: number }[] = [];

async function step(name: string, run: () => Promise<unknown>): Promise<boolean> {
  const started = performance.now();
  let outcome: Outcome;
  try {
    const skipped = await run();
    outcome = typeof skipped === 'string' ? { status: 'skipped', detail: skipped } : { status: 'passed' };
  } catch (error) {
    outcome = { status: 'failed', detail: error instanceof Error ? error.message : String(error) };
  }
  const ms = performance.now() - started;
  outcomes.push({ name, outcome, ms });
  const mark = outcome.status === 'passed' ? 'ok  ' : outcome.status === 'skipped' ? 'skip' : 'FAIL';
  console.log(
    `[outside-check] ${mark} ${name} (${(ms / 1000).toFixed(1)} s)${outcome.detail ? `\n${indent(outcome.detail)}` : ''}`,
  );
  return outcome.status !== 'failed';
}

const started = performance.now();
const work = mkdtempSync(join(tmpdir(), 'redis-service-outside-'));
const keep = process.env.OUTSIDE_CHECK_KEEP === '1';
let tls: TlsRedis | undefined;
try {
  await main();
} finally {
  await tls?.server.stop();
  if (keep) console.log(`[outside-check] kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

const failed = outcomes.filter(({ outcome }) => outcome.status === 'failed').length;
const passed = outcomes.filter(({ outcome }) => outcome.status === 'passed').length;
const skipped = outcomes.length - failed - passed;
console.log(`[outside-check] done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(`outside check: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);

async function main(): Promise<void> {
  const tarballs = new Map<string, string>();
  const built = await step('build every package', async () => {
    await runCommand('pnpm', ['build', '--output-logs=errors-only'], {
      cwd: root,
      timeoutMs: BUILD_DEADLINE_MS,
    });
  });
  if (!built) return;
  const tarballDir = join(work, 'tarballs');
  mkdirSync(tarballDir);
  for (const dir of PACKAGES) {
    await step(`pack ${dir}: only dist, README, LICENSE, CHANGELOG; exports as published`, async () => {
      const { name, filename } = packPackage(join(root, 'packages', dir), tarballDir);
      tarballs.set(name, filename);
      const { problems } = inspectTarball(filename);
      if (problems.length > 0) throw new Error(problems.join('\n'));
    });
  }
  if (tarballs.size !== PACKAGES.length) return;

  const blocks = markedBlocks(readFileSync(join(root, 'README.md'), 'utf8'));
  const blocksFound = await step('the README marks its quick start, Upstash and TLS blocks', async () => {
    const files = blocks.map((block) => block.file);
    for (const wanted of [
      'quick-start.ts',
      'quick-start-plain.mjs',
      'upstash.ts',
      'upstash-local.ts',
      'failure-policy.ts',
      'tls.ts',
    ]) {
      if (!files.includes(wanted))
        throw new Error(`no block marked <!-- outside-check: ${wanted} --> (found: ${files.join(', ')})`);
    }
    for (const block of blocks) expectedOutput(block.file, block.code);
  });
  if (!blocksFound) return;

  const latest = join(work, 'latest');
  const lowest = join(work, 'lowest');
  const tools = toolVersions();
  const [latestInstalled, lowestInstalled] = await Promise.all([
    step('npm install the tarballs with the drivers this repo tests (the newest)', () =>
      createScratchProject({
        name: 'outside-check-latest',
        dir: latest,
        tarballs,
        dependencies: pick(tools, ['ioredis', 'redis', '@upstash/redis', 'zod']),
        devDependencies: pick(tools, ['typescript', 'vitest', '@types/node']),
        blocks,
      }),
    ),
    step(`npm install the tarballs with the lowest supported drivers (${describe(LOWEST_DRIVERS)})`, () =>
      createScratchProject({
        name: 'outside-check-lowest',
        dir: lowest,
        tarballs,
        dependencies: { ...LOWEST_DRIVERS, ...pick(tools, ['zod']) },
        devDependencies: pick(tools, ['typescript', 'vitest', '@types/node']),
        blocks,
      }),
    ),
  ]);

  const [latestTyped, lowestTyped] = await Promise.all([
    latestInstalled &&
      step('tsc: the project, README blocks and published declarations type-check (newest drivers)', () =>
        tsc(latest),
      ),
    lowestInstalled && step('tsc: the same with the lowest drivers', () => tsc(lowest)),
  ]);

  await step('start a TLS redis-server with an ACL user and a private CA', async () => {
    mkdirSync(join(work, 'tls'));
    tls = await startTlsRedis(join(work, 'tls'));
  });
  for (const [project, typed, label] of [
    [latest, latestTyped, 'newest'],
    [lowest, lowestTyped, 'lowest'],
  ] as const) {
    if (!typed) continue;
    for (const block of blocks) {
      await step(`README ${block.file} prints what it promises (${label} drivers)`, () =>
        runBlock(project, block),
      );
    }
  }

  // One kit run at a time: the kit's cases must hold on a busy machine; this check does not add to it.
  if (latestTyped) {
    await step('every kit case against a custom adapter, through describeConformance', () =>
      vitest(latest, 'custom-adapter'),
    );
  }
  if (lowestTyped) {
    await step('the driver-facing kit cases against the published adapters on the lowest drivers', () =>
      vitest(lowest, 'lowest-drivers'),
    );
  }

  if (latestTyped) {
    await step(`the kit's CLI (${KIT_CLI}) against the custom adapter, self-check included`, () =>
      kitCli(latest),
    );
    await step('core and the Upstash adapter inside workerd, against the REST bridge', () => edgeRun(latest));
  }
}

async function tsc(project: string): Promise<void> {
  await runCommand(join(project, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], {
    cwd: project,
    timeoutMs: TSC_DEADLINE_MS,
  });
}

async function vitest(project: string, filter: string): Promise<void> {
  await runCommand(join(project, 'node_modules/.bin/vitest'), ['run', filter], {
    cwd: project,
    env: npmEnvironment(),
    timeoutMs: KIT_DEADLINE_MS,
  });
}

/** Runs one README block (compiled, or as it is for plain JavaScript) on a fresh server and bridge. */
async function runBlock(project: string, block: MarkedBlock): Promise<void> {
  const server = await startRedisServer();
  const bridge = await startUpstashBridge({ redisUrl: server.url });
  try {
    const script = block.file.endsWith('.ts')
      ? join('out/src', block.file.replace(/\.ts$/, '.js'))
      : join('src', block.file);
    const stdout = await runCommand(process.execPath, [script], {
      cwd: project,
      timeoutMs: BLOCK_DEADLINE_MS,
      env: {
        ...npmEnvironment(),
        REDIS_URL: server.url,
        UPSTASH_REDIS_REST_URL: bridge.url,
        UPSTASH_REDIS_REST_TOKEN: bridge.token,
        REDIS_TLS_URL: tls?.tlsUrl ?? '',
        REDIS_CA_FILE: tls?.caFile ?? '',
      },
    });
    const printed = stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.trim());
    const promised = expectedOutput(block.file, block.code);
    if (JSON.stringify(printed) !== JSON.stringify(promised)) {
      throw new Error(`printed:  ${JSON.stringify(printed)}\npromised: ${JSON.stringify(promised)}`);
    }
  } finally {
    await bridge.close();
    await server.stop();
  }
}

async function kitCli(project: string): Promise<void> {
  if (!kitHasCli(project)) throw new Error(`the packed @redis-service/conformance has no '${KIT_CLI}' bin`);
  const reportFile = join(project, 'kit-cli-report.json');
  const stdout = await runCommand(
    join(project, 'node_modules/.bin', KIT_CLI),
    kitCliArguments(join(project, 'out/src/counting-adapter.js'), reportFile),
    { cwd: project, env: npmEnvironment(), timeoutMs: KIT_DEADLINE_MS },
  );
  checkKitCliRun(stdout, reportFile);
}

async function edgeRun(project: string): Promise<void> {
  const server = await startRedisServer();
  const bridge = await startUpstashBridge({ redisUrl: server.url });
  try {
    const checks = await runInWorkerd(project, {
      restUrl: bridge.url,
      token: bridge.token,
      keyPrefix: 'edge:',
    });
    const failures = checks.filter((check) => !check.ok);
    console.log(
      `[outside-check] in workerd: ${checks.map((check) => `${check.ok ? 'ok' : 'FAIL'} ${check.name}`).join(', ')}`,
    );
    if (checks.length === 0) throw new Error('the worker reported no checks');
    if (failures.length > 0) {
      throw new Error(
        failures.map((check) => `${check.name}: got ${check.got}, expected ${check.expected}`).join('\n'),
      );
    }
  } finally {
    await bridge.close();
    await server.stop();
  }
}

/** The exact versions this workspace installed, so the scratch projects test what the repo tests. */
function toolVersions(): Record<string, string> {
  const version = (manifest: string) =>
    (JSON.parse(readFileSync(join(root, manifest), 'utf8')) as { version: string }).version;
  const names = ['ioredis', 'redis', '@upstash/redis', 'typescript', 'vitest', '@types/node'];
  return {
    ...Object.fromEntries(names.map((name) => [name, version(`node_modules/${name}/package.json`)])),
    zod: version('packages/core/node_modules/zod/package.json'),
  };
}

function pick(all: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, all[name] as string]));
}

function describe(versions: Record<string, string>): string {
  return Object.entries(versions)
    .map(([name, version]) => `${name}@${version}`)
    .join(', ');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
