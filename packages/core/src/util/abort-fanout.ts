interface Fanout {
  readonly callbacks: Set<{ readonly run: () => void }>;
  readonly dispatch: () => void;
}

// One 'abort' listener per signal, however many callers share it. Weakly held: a signal nobody
// references any more takes its entry with it.
const fanouts = new WeakMap<AbortSignal, Fanout>();

/**
 * Runs `callback` once when `signal` aborts (at once if it already has) and returns the function
 * that cancels it, in O(1). However many callbacks wait on one signal, the signal itself carries a
 * single listener, so sharing one `AbortSignal` across thousands of commands neither triggers
 * Node's `MaxListenersExceededWarning` nor makes each removal scan a listener list.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  if (signal.aborted) {
    callback();
    return () => {};
  }
  let fanout = fanouts.get(signal);
  if (!fanout) {
    const callbacks = new Set<{ readonly run: () => void }>();
    const dispatch = () => {
      fanouts.delete(signal);
      for (const entry of callbacks) entry.run();
      callbacks.clear();
    };
    fanout = { callbacks, dispatch };
    fanouts.set(signal, fanout);
    signal.addEventListener('abort', dispatch, { once: true });
  }
  const { callbacks, dispatch } = fanout;
  const entry = { run: callback };
  callbacks.add(entry);
  return () => {
    if (!callbacks.delete(entry) || callbacks.size > 0) return;
    // The last callback left: the signal carries nothing of ours any more.
    if (fanouts.get(signal)?.callbacks === callbacks) fanouts.delete(signal);
    signal.removeEventListener('abort', dispatch);
  };
}
