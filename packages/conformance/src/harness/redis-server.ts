import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './free-port.js';

/** A redis-server this process started: private, loopback-only, no persistence. */
export interface RedisServerHandle {
  /** `redis://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** The server's process id (undefined for an external server). */
  readonly pid: number | undefined;
  /** True when `REDIS_URL` pointed the kit at a server it did not start. */
  readonly external: boolean;
  /** Stops the server (by its pid) and removes its temp dir. Idempotent. */
  stop(): Promise<void>;
  /** Stops and starts the server again on the same port (for reconnect cases). */
  restart(): Promise<void>;
}

/** Options of `startRedisServer`. */
export interface StartRedisServerOptions {
  /** The binary to run. Default: `REDIS_SERVER_BIN`, else `redis-server` on PATH. */
  readonly binary?: string;
  /** Extra `--flag value` arguments. */
  readonly args?: readonly string[];
  /** How long to wait for PONG (ms). Default 10 000. */
  readonly readyTimeoutMs?: number;
}

export const INSTALL_HINT =
  'redis-server was not found on PATH. Install it (Debian/Ubuntu: `apt-get install redis-server`; macOS: `brew install redis`), ' +
  'set REDIS_SERVER_BIN to its path, or set REDIS_URL to a server the kit may use (it only touches keys under its own random prefix).';

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test run that dies must not leave servers behind.
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/** Whether a redis-server binary can be run here. */
export function redisServerAvailable(binary = process.env.REDIS_SERVER_BIN ?? 'redis-server'): boolean {
  const probe = spawnSync(binary, ['--version'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

/**
 * Starts a private redis-server on a free loopback port with no persistence in a temp dir, and
 * waits until it answers PING. Stop it with `stop()`; it is killed when this process exits.
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<RedisServerHandle> {
  const binary = options.binary ?? process.env.REDIS_SERVER_BIN ?? 'redis-server';
  if (!redisServerAvailable(binary)) throw new Error(INSTALL_HINT);
  installExitHook();
  const dir = await mkdtemp(join(tmpdir(), 'redis-service-kit-'));
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await findFreePort();
    try {
      let child = await launch(binary, port, dir, options);
      let stopped = false;
      const handle: RedisServerHandle = {
        url: `redis://127.0.0.1:${port}`,
        port,
        get pid() {
          return child.pid;
        },
        external: false,
        async stop() {
          if (stopped) return;
          stopped = true;
          await terminate(child);
          await rm(dir, { recursive: true, force: true });
        },
        async restart() {
          await terminate(child);
          child = await launch(binary, port, dir, options);
        },
      };
      return handle;
    } catch (error) {
      lastError = error; // most likely the port was taken between probe and bind: try another
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(
    `could not start redis-server: ${lastError instanceof Error ? lastError.message : String(lastError)}`,
  );
}

/**
 * The server the kit should use: `REDIS_URL` when set (never flushed, only the kit's own keys are
 * touched), otherwise a private `startRedisServer()`.
 */
export async function useRedisServer(options: StartRedisServerOptions = {}): Promise<RedisServerHandle> {
  const external = process.env.REDIS_URL;
  if (external) {
    const port = Number(new URL(external).port || 6379);
    return {
      url: external,
      port,
      pid: undefined,
      external: true,
      stop: async () => {},
      restart: async () => {
        throw new Error('cannot restart an external server (REDIS_URL)');
      },
    };
  }
  return startRedisServer(options);
}

/** Starts one redis-server process on `port` (no persistence, `dir` as its working dir) and waits for PING. */
export function launch(
  binary: string,
  port: number,
  dir: string,
  options: StartRedisServerOptions,
): Promise<ChildProcess> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
    ...(options.args ?? []),
  ];
  return spawnRedisProcess(binary, args, port, options.readyTimeoutMs ?? 10_000);
}

/**
 * Runs `binary` with `args` (a redis-server, or one in sentinel mode) and resolves once it answers
 * PING on `port`; it is killed when this process exits. Rejects with the process's last output when
 * it exits first or does not answer within `readyTimeoutMs`.
 */
export async function spawnRedisProcess(
  binary: string,
  args: readonly string[],
  port: number,
  readyTimeoutMs: number,
): Promise<ChildProcess> {
  installExitHook();
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  child.once('exit', () => running.delete(child));
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`redis-server exited early (code ${child.exitCode}): ${output.trim()}`);
    }
    if (await answersPing(port)) return child;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await terminate(child);
  throw new Error(`redis-server did not answer PING on port ${port} in time: ${output.trim()}`);
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let data = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (chunk) => {
      data += chunk.toString();
      // -NOAUTH: a server started with --requirepass is up, it just wants a password first;
      // -MASTERDOWN: a replica without its master (replica-serve-stale-data no) is up as well.
      if (data.includes('\r\n')) done(/^(\+PONG|-NOAUTH|-MASTERDOWN)/.test(data));
    });
  });
}

/** Stops a redis-server process (SIGTERM, SIGKILL after 3 s); resolves once it has exited. */
export function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
