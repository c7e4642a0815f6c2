interface Fanout {
  readonly callbacks: Set<{ readonly run: () => void }>;
  readonly dispatch: () => void;
  /** Set once the signal fired: its once-listener is gone, nothing to remove. */
  fired: boolean;
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
      created.fired = true;
      fanouts.delete(signal);
      for (const entry of callbacks) entry.run();
      callbacks.clear();
    };
    const created: Fanout = { callbacks, dispatch, fired: false };
    fanout = created;
    fanouts.set(signal, fanout);
    signal.addEventListener('abort', dispatch, { once: true });
  }
  const registered = fanout;
  const entry = { run: callback };
  registered.callbacks.add(entry);
  return () => {
    if (!registered.callbacks.delete(entry) || registered.callbacks.size > 0 || registered.fired) return;
    // The last callback left before the signal fired: the signal carries nothing of ours any more.
    fanouts.delete(signal);
    signal.removeEventListener('abort', registered.dispatch);
  };
}
