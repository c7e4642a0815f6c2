/**
 * Big replies, big pipelines and big bodies through the kit's local Upstash REST bridge:
 *
 *   pnpm build && pnpm exec tsx scripts/bench/bridge-size.ts
 *
 * It prints wall times (GET of a 40 MB and a 100 MB value, text and base64; a 100k-command
 * `/pipeline` against the same commands as one raw ioredis pipeline) and the bridge's peak RSS
 * after a 100 MB request body. The bridge runs in a child process of its own, so that its peak
 * RSS is not the client's. The numbers are for reading and for the notes, never a pass/fail.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { startRedisServer } from '@redis-service/conformance/harness';
import { Redis } from 'ioredis';

const MB = 1024 * 1024;
const PIPELINE = 100_000;

interface BridgeProcess {
  readonly url: string;
  readonly token: string;
  readonly pid: number;
  readonly stop: () => void;
}

/** Starts the built bridge in a child process and reads its URL and token from its first line. */
async function startBridgeProcess(redisUrl: string): Promise<BridgeProcess> {
  const entry = import.meta.resolve('@redis-service/conformance/bridge');
  const code = `
    const { startUpstashBridge } = await import(${JSON.stringify(entry)});
    const bridge = await startUpstashBridge({ redisUrl: ${JSON.stringify(redisUrl)} });
    console.log(JSON.stringify({ url: bridge.url, token: bridge.token }));
    process.stdin.on('end', () => bridge.close().then(() => process.exit(0)));
    process.stdin.resume();
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the bridge process exited with ${code}`)));
  });
  const { url, token } = JSON.parse(first) as { url: string; token: string };
  return { url, token, pid: child.pid!, stop: () => child.stdin!.end() };
}

/** A process's peak resident set size in MB (Linux: VmHWM). */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
  return Math.round(kb / 1024);
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: Math.round(performance.now() - started), value };
}

async function post(bridge: BridgeProcess, path: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${bridge.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, text: await response.text() };
}

const server = await startRedisServer();
const raw = new Redis(server.url);
const bridge = await startBridgeProcess(server.url);
try {
  console.log(`redis-server on ${server.url}; node ${process.version}; bridge pid ${bridge.pid}\n`);
  for (const size of [40, 100]) {
    await raw.set(`big:${size}`, Buffer.alloc(size * MB, 'x'));
    for (const encoding of ['text', 'base64'] as const) {
      const headers: Record<string, string> = encoding === 'base64' ? { 'upstash-encoding': 'base64' } : {};
      const { ms, value } = await timed(() =>
        post(bridge, '', JSON.stringify(['GET', `big:${size}`]), headers).catch((error: Error) => ({
          status: 0,
          text: error.message,
        })),
      );
      const length = value.status === 200 ? (JSON.parse(value.text) as { result: string }).result.length : 0;
      console.log(`GET ${size} MB (${encoding}): ${ms} ms, HTTP ${value.status}, result length ${length}`);
    }
    await raw.del(`big:${size}`);
  }
  console.log(`bridge peak RSS after the big GETs: ${peakRssMb(bridge.pid)} MB\n`);

  const commands = Array.from({ length: PIPELINE }, (_, i) =>
    i % 2 === 0 ? ['SET', `pipe:${i % 1000}`, `value-${i}`] : ['GET', `pipe:${(i - 1) % 1000}`],
  );
  for (let round = 0; round < 3; round++) {
    const viaIoredis = await timed(async () => {
      const pipeline = raw.pipeline();
      for (const [name, ...args] of commands) pipeline.call(name!, ...args);
      return pipeline.exec();
    });
    const viaBridge = await timed(async () => {
      const { status, text } = await post(bridge, '/pipeline', JSON.stringify(commands));
      return { status, items: (JSON.parse(text) as unknown[]).length };
    });
    console.log(
      `pipeline of ${PIPELINE} (round ${round + 1}): bridge ${viaBridge.ms} ms (HTTP ${viaBridge.value.status}, ` +
        `${viaBridge.value.items} items), ioredis ${viaIoredis.ms} ms, ratio ${(viaBridge.ms / viaIoredis.ms).toFixed(2)}`,
    );
  }
  console.log(`bridge peak RSS after the pipelines: ${peakRssMb(bridge.pid)} MB\n`);

  // A fresh bridge, so that its peak RSS shows the body alone.
  const fresh = await startBridgeProcess(server.url);
  try {
    const before = peakRssMb(fresh.pid);
    const body = JSON.stringify(['SET', 'big:body', 'y'.repeat(100 * MB)]);
    const refused = await timed(() =>
      post(fresh, '', body).catch((error: Error) => ({ status: 0, text: error.message })),
    );
    console.log(
      `POST of a 100 MB body: HTTP ${refused.value.status} ${refused.value.text.slice(0, 80)} in ${refused.ms} ms; ` +
        `bridge peak RSS ${before} MB before, ${peakRssMb(fresh.pid)} MB after`,
    );
  } finally {
    fresh.stop();
  }
} finally {
  bridge.stop();
  raw.disconnect();
  await server.stop();
}
