import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AdapterUnderTest, SentinelEndpoint } from '../case.js';
import type { FromWorker, SerializedError, ToWorker, WorkerStartup } from './worker-protocol.js';

/** Options of `WorkerPool.start`. */
export interface WorkerPoolOptions {
  /** The adapter each worker rebuilds; it must have a `worker` entry (see `workerSkipReason`). */
  readonly adapter: AdapterUnderTest;
  /** The URL the adapter connects to (the bridge URL for REST adapters). */
  readonly url: string;
  /** For a cluster adapter: every seed node's URL. */
  readonly nodes?: readonly string[];
  /** On the `sentinel` topology: the sentinels the workers find the primary through. */
  readonly sentinel?: SentinelEndpoint;
  /** The key prefix of every worker's service (use the case's prefix). */
  readonly prefix: string;
  /** How many processes. */
  readonly size: number;
  /** The workers' service command timeout (ms). Default 10 000. */
  readonly commandTimeoutMs?: number;
  /** How long a worker may take to load the adapter and connect (ms). Default 30 000. */
  readonly startTimeoutMs?: number;
}

/** Thrown in the parent when a job failed in a worker; carries the worker-side error's name and message. */
export class WorkerJobError extends Error {
  /** The name of the error class in the worker (e.g. `RedisReplyError`). */
  readonly remoteName: string;
  /** The worker-side `code`, when it had one (e.g. `ERR_REDIS_REPLY`). */
  readonly remoteCode: string | undefined;

  constructor(worker: number, job: string, error: SerializedError) {
    super(`worker ${worker}: job '${job}' failed: ${error.name}: ${error.message}`);
    this.name = 'WorkerJobError';
    this.remoteName = error.name;
    this.remoteCode = error.code;
    if (error.stack) this.stack = `${this.stack ?? ''}\n--- in the worker ---\n${error.stack}`;
  }
}

/** Why `adapter` cannot run multi-process cases, or undefined when it can. */
export function workerSkipReason(adapter: AdapterUnderTest): string | undefined {
  return adapter.worker
    ? undefined
    : `${adapter.name} has no 'worker' entry, so the kit cannot rebuild it in another process`;
}

const DEFAULT_START_TIMEOUT_MS = 60_000;
const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;
const CLOSE_GRACE_MS = 2_000;
const STDERR_TAIL = 4_000;

// The worker entry sits next to this module: `.ts` when the kit runs from src, `.js` from dist.
const WORKER_MAIN = fileURLToPath(
  new URL(`./worker-main${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
);

interface Pending {
  readonly job: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** One child process of the pool. */
class Worker {
  readonly index: number;
  readonly child: ChildProcess;
  #pending = new Map<number, Pending>();
  #nextId = 0;
  #stderr = '';
  #exited: Promise<void>;
  #gone = false;

  constructor(index: number, child: ChildProcess) {
    this.index = index;
    this.child = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-STDERR_TAIL);
    });
    child.on('message', (message: FromWorker) => {
      if (message.type !== 'result') return;
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      if (message.ok) pending.resolve(message.value);
      else pending.reject(new WorkerJobError(this.index, pending.job, message.error));
    });
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#gone = true;
        const error = new Error(
          `worker ${index} exited (code ${String(code)}, signal ${String(signal)})${this.stderrNote()}`,
        );
        for (const pending of this.#pending.values()) pending.reject(error);
        this.#pending.clear();
        resolve();
      });
    });
  }

  stderrNote(): string {
    return this.#stderr ? `; its stderr ends with:\n${this.#stderr}` : '';
  }

  /** Resolves on `ready`, rejects on a start failure, an exit or the time limit. */
  ready(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`worker ${this.index} did not start within ${timeoutMs} ms${this.stderrNote()}`));
      }, timeoutMs);
      const onMessage = (message: FromWorker) => {
        if (message.type === 'ready') {
          cleanup();
          resolve();
        } else if (message.type === 'failed-to-start') {
          cleanup();
          reject(new WorkerJobError(this.index, '<startup>', message.error));
        }
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(
          new Error(
            `worker ${this.index} exited before it was ready (code ${String(code)})${this.stderrNote()}`,
          ),
        );
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
    });
  }

  run(job: string, params: unknown): Promise<unknown> {
    if (this.#gone) return Promise.reject(new Error(`worker ${this.index} has exited${this.stderrNote()}`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { job, resolve, reject });
      const message: ToWorker = { type: 'run', id, job, params };
      this.child.send(message, (error) => {
        if (!error) return;
        this.#pending.delete(id);
        reject(error);
      });
    });
  }

  /** Asks the worker to close its service and exit; kills it if it has not exited after a grace period. */
  async close(): Promise<void> {
    if (this.#gone) return;
    if (this.child.connected) this.child.send({ type: 'close' } satisfies ToWorker, () => {});
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), CLOSE_GRACE_MS);
    });
    const outcome = await Promise.race([this.#exited, grace]);
    clearTimeout(timer);
    if (outcome === 'late' && !this.#gone) {
      this.child.kill('SIGKILL');
      await this.#exited;
    }
  }
}

/**
 * A pool of child processes, each holding its own driver (built from `adapter.worker`) and
 * `RedisService` with the given key prefix. Jobs are named functions of the kit's job catalog
 * (`job-catalog.ts`); params and results travel as JSON.
 *
 * ```ts
 * const pool = await WorkerPool.start({ adapter, url, prefix, size: 4 });
 * try {
 *   const perWorker = await pool.runAll('ping', {});
 * } finally {
 *   await pool.close();
 * }
 * ```
 *
 * In a case, prefer `startCaseWorkers(ctx, size)`: it skips without `adapter.worker` and closes
 * the pool after the case.
 */
export class WorkerPool implements AsyncDisposable {
  readonly #workers: readonly Worker[];
  #closing: Promise<void> | undefined;

  private constructor(workers: readonly Worker[]) {
    this.#workers = workers;
  }

  /**
   * Forks `size` workers with the adapter's `execArgv` and waits until every one has connected.
   * If one fails to start, all are killed and the error says why (with the worker's stderr tail).
   */
  static async start(options: WorkerPoolOptions): Promise<WorkerPool> {
    const entry = options.adapter.worker;
    if (!entry) throw new Error(workerSkipReason(options.adapter));
    if (!Number.isInteger(options.size) || options.size < 1) {
      throw new Error(`a worker pool needs a positive integer size, got ${String(options.size)}`);
    }
    const workers: Worker[] = [];
    for (let index = 0; index < options.size; index++) {
      const startup: WorkerStartup = {
        module: entry.module,
        export: entry.export,
        url: options.url,
        ...(options.nodes ? { nodes: options.nodes } : {}),
        ...(options.sentinel
          ? {
              sentinel: {
                sentinels: [...options.sentinel.sentinels],
                masterName: options.sentinel.masterName,
              },
            }
          : {}),
        prefix: options.prefix,
        workerIndex: index,
        workerCount: options.size,
        commandTimeoutMs: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      };
      const child = fork(WORKER_MAIN, [JSON.stringify(startup)], {
        execArgv: [...(entry.execArgv ?? [])],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        serialization: 'json',
      });
      workers.push(new Worker(index, child));
    }
    const pool = new WorkerPool(workers);
    try {
      await Promise.all(
        workers.map((worker) => worker.ready(options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS)),
      );
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** How many workers the pool has. */
  get size(): number {
    return this.#workers.length;
  }

  /** The workers' process ids. */
  get pids(): readonly (number | undefined)[] {
    return this.#workers.map((worker) => worker.child.pid);
  }

  /** Runs `job` in worker `index` and resolves with its JSON result; a failed job rejects with `WorkerJobError`. */
  run<T = unknown>(index: number, job: string, params: unknown = {}): Promise<T> {
    const worker = this.#workers[index];
    if (!worker) return Promise.reject(new Error(`no worker ${index} in a pool of ${this.size}`));
    return worker.run(job, params) as Promise<T>;
  }

  /**
   * Runs `job` in every worker at once (params may depend on the worker index) and resolves with
   * the results in worker order. Rejects with the first failure, after all have settled.
   */
  async runAll<T = unknown>(
    job: string,
    params: unknown | ((workerIndex: number) => unknown) = {},
  ): Promise<T[]> {
    const settled = await Promise.allSettled(
      this.#workers.map((worker) =>
        worker.run(
          job,
          typeof params === 'function' ? (params as (index: number) => unknown)(worker.index) : params,
        ),
      ),
    );
    const failed = settled.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((outcome) => (outcome as PromiseFulfilledResult<T>).value);
  }

  /** Closes every worker (graceful, then SIGKILL after a grace period). Idempotent. */
  close(): Promise<void> {
    this.#closing ??= Promise.all(this.#workers.map((worker) => worker.close())).then(() => undefined);
    return this.#closing;
  }

  /** Lets `await using pool = ...` close the pool at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
