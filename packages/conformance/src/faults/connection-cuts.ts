/**
 * The kit announces here whenever it cuts connections on purpose (restarting the server, dropping
 * every connection through a fault proxy), so that a broken driver can emulate losing what a reconnect
 * should restore: the kit's `no resubscribe after reconnect` fault stops delivering at that moment.
 */
type Listener = () => void;

const listeners = new Set<Listener>();

/** Calls `listener` each time the kit cuts connections; returns the function that stops it. */
export function onConnectionsCut(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tells every listener that the kit just cut connections. */
export function announceConnectionsCut(): void {
  for (const listener of [...listeners]) listener();
}
