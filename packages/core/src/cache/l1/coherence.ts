import type { L1Coherence } from './l1-options.js';
import type { WrittenKeys } from './written-keys.js';

/**
 * What keeps an L1 coherent with Redis: it switches the store to serving once it can hear of
 * every change (and back, emptying it, whenever it may have missed one), and evicts what it hears
 * of. One per L1; see `TrackingCoherence`, `BusCoherence`, `TtlCoherence`.
 */
export interface Coherence {
  readonly kind: L1Coherence;
  /** The server's id of the connection that receives invalidations, while there is one (tracking). */
  readonly clientId: number | undefined;
  /** Starts (or restarts, after a loss) what makes the store serve; cheap when already under way. */
  ensure(): void;
  /** Resolves once the store serves; rejects with the reason when the coherence could not start. */
  ready(): Promise<void>;
  /** This service's own write settled: tell the other processes, where they depend on it (bus). */
  announce(written: WrittenKeys): void;
  /** Stops for good: the store stops serving. */
  close(): Promise<void>;
}
