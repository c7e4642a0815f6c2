/** Messages between the wake-up scenario and its worker processes. */

/** Which service a worker builds. */
export type WakeUpAdapter = 'ioredis' | 'node-redis' | 'upstash';

/** Parent -> worker. */
export type ToWakeUpWorker =
  | {
      readonly type: 'start';
      readonly adapter: WakeUpAdapter;
      readonly url: string;
      readonly token?: string;
      readonly prefix: string;
    }
  | { readonly type: 'round'; readonly key: string; readonly callers: number }
  | { readonly type: 'close' };

/** Worker -> parent. Times are `process.hrtime.bigint()` in ns as decimal text: CLOCK_MONOTONIC, one clock for every process of the machine. */
export type FromWakeUpWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'waiting' }
  | {
      readonly type: 'woken';
      /** When each caller's promise resolved. */
      readonly resolvedAt: readonly string[];
      /** When this process's own subscription saw the owner's notice (undefined without one). */
      readonly noticeAt: string | undefined;
      readonly errors: readonly string[];
    }
  | { readonly type: 'failed'; readonly message: string };
