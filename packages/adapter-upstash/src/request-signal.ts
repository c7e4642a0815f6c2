/** Why a request's signal fired. */
export type AbortCause = 'closed' | 'aborted' | 'timeout';

/** A signal for one request, what fired it, and how to release what it holds. */
export interface RequestSignal {
  readonly signal: AbortSignal;
  /** Why it fired, once it has. */
  readonly cause: () => AbortCause | undefined;
  /** Fires it (the first cause wins). */
  readonly abort: (cause: AbortCause) => void;
  /** Clears the timer and the listener on the caller's signal; call when the request settles. */
  readonly release: () => void;
}

/**
 * One signal for a request that fires when the caller's signal fires, when `timeoutMs` passes
 * (0: never), or when `abort` is called (the driver closing), and remembers which came first.
 * Built by hand rather than with `AbortSignal.any`: nothing outlives the request, and the driver
 * aborts its requests itself on close instead of hanging a listener per request on one long-lived
 * signal.
 */
export function requestSignal(caller: AbortSignal | undefined, timeoutMs: number): RequestSignal {
  const controller = new AbortController();
  let cause: AbortCause | undefined;
  const abort = (why: AbortCause) => {
    if (cause !== undefined) return;
    cause = why;
    // A reason of our own: no DOMException (and its stack) is built per aborted request.
    controller.abort(why);
  };
  const onCallerAbort = () => abort('aborted');
  if (caller?.aborted) onCallerAbort();
  else caller?.addEventListener('abort', onCallerAbort);
  const timer =
    timeoutMs > 0 && cause === undefined ? setTimeout(() => abort('timeout'), timeoutMs) : undefined;
  return {
    signal: controller.signal,
    cause: () => cause,
    abort,
    release: () => {
      if (timer !== undefined) clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    },
  };
}
