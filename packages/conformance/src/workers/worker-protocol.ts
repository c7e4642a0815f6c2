import type { SentinelEndpoint } from '../case.js';

/** What the parent tells a worker process at fork time (JSON in `argv[2]`). */
export interface WorkerStartup {
  /** The adapter module's URL or absolute path. */
  readonly module: string;
  /** The export of that module holding the `AdapterUnderTest`. */
  readonly export: string;
  /** The URL the adapter connects to. */
  readonly url: string;
  /** For a cluster adapter: every seed node's URL. */
  readonly nodes?: readonly string[];
  /** On the `sentinel` topology: the sentinels the adapter finds the primary through. */
  readonly sentinel?: SentinelEndpoint;
  /** The key prefix of the worker's service. */
  readonly prefix: string;
  readonly workerIndex: number;
  readonly workerCount: number;
  /** The worker's service command timeout (ms). */
  readonly commandTimeoutMs: number;
}

/** Parent -> worker messages. */
export type ToWorker =
  | { readonly type: 'run'; readonly id: number; readonly job: string; readonly params: unknown }
  | { readonly type: 'close' };

/** An error as it crosses the process boundary. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly stack?: string;
}

/** Worker -> parent messages. */
export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'failed-to-start'; readonly error: SerializedError }
  | { readonly type: 'result'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'result'; readonly id: number; readonly ok: false; readonly error: SerializedError };

/** Turns anything thrown into a `SerializedError`. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      ...(typeof code === 'string' ? { code } : {}),
      ...(error.stack === undefined ? {} : { stack: error.stack }),
    };
  }
  return { name: 'Error', message: String(error) };
}
