import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { findFreePort } from '@redis-service/conformance/harness';
import { build } from 'esbuild';
import type { EdgeCheck } from './project/worker/edge-worker.js';

// The workerd package's main export is the path of the runtime binary it ships for this platform.
const workerd = createRequire(import.meta.url)('workerd') as { default: string; compatibilityDate: string };

/** Where the worker reaches the REST endpoint, and the key prefix it writes under. */
export interface EdgeTarget {
  readonly restUrl: string;
  readonly token: string;
  readonly keyPrefix: string;
}

/**
 * Bundles `worker/edge-worker.ts` of the scratch project the way Workers tooling does (esbuild,
 * worker conditions, the project's own node_modules; nothing may stay outside the bundle), runs it
 * in workerd with no Node compatibility flag, sends it one request and returns its checks. workerd
 * is stopped before this returns.
 */
export async function runInWorkerd(projectDir: string, target: EdgeTarget): Promise<EdgeCheck[]> {
  const outDir = join(projectDir, 'out-edge');
  const { metafile } = await build({
    entryPoints: [join(projectDir, 'worker/edge-worker.ts')],
    outfile: join(outDir, 'worker.js'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    logLevel: 'warning',
    metafile: true,
  });
  // Everything is in the bundle: an import left outside it (a `node:` module) would not load here.
  const external = Object.values(metafile.outputs).flatMap((output) =>
    output.imports.map((entry) => entry.path),
  );
  if (external.length > 0)
    throw new Error(`the worker bundle imports ${external.join(', ')} from outside itself`);
  const port = await findFreePort();
  const text = (value: string) => JSON.stringify(value);
  writeFileSync(
    join(outDir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .edgeWorker),
    (name = "loopback", network = (allow = ["local", "private", "public"])),
  ],
  sockets = [(name = "http", address = ${text(`127.0.0.1:${port}`)}, http = (), service = "main")],
);
const edgeWorker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = ${text(workerd.compatibilityDate)},
  bindings = [
    (name = "UPSTASH_REDIS_REST_URL", text = ${text(target.restUrl)}),
    (name = "UPSTASH_REDIS_REST_TOKEN", text = ${text(target.token)}),
    (name = "KEY_PREFIX", text = ${text(target.keyPrefix)}),
  ],
  globalOutbound = "loopback",
);
`,
  );
  const child = spawn(workerd.default, ['serve', 'config.capnp'], {
    cwd: outDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    const response = await requestWhenListening(`http://127.0.0.1:${port}/`, child, () => output);
    const body = (await response.json()) as { checks: EdgeCheck[] };
    return body.checks;
  } finally {
    await stop(child);
  }
}

// Hang guards, not timings: workerd compiles the bundle before it listens.
const START_DEADLINE_MS = 30_000;
const REQUEST_DEADLINE_MS = 60_000;

async function requestWhenListening(
  url: string,
  child: ChildProcess,
  output: () => string,
): Promise<Response> {
  const deadline = Date.now() + START_DEADLINE_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`workerd exited with ${child.exitCode}:\n${output()}`);
    try {
      return await fetch(url, { signal: AbortSignal.timeout(REQUEST_DEADLINE_MS) });
    } catch (error) {
      const refused = (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
      if (!refused || Date.now() > deadline)
        throw new Error(`workerd did not answer: ${String(error)}\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

// workerd drains open connections on SIGTERM; past this grace it is killed.
const STOP_GRACE_MS = 5000;

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
