/**
 * Resources a broken driver leaks on purpose (a timer, a socket it never closes). In a child
 * process they keep the event loop alive, which is the fault the exit case catches; in the kit's
 * own process the self-check releases them after each broken run, so the kit leaks nothing itself.
 */
const held = new Set<() => void>();

/** Keeps a resource alive until the kit releases leaked resources; `release` frees it. */
export function leakResource(release: () => void): void {
  held.add(release);
}

/** Frees every resource broken drivers leaked so far in this process. */
export function releaseLeakedResources(): void {
  for (const release of [...held]) {
    held.delete(release);
    try {
      release();
    } catch {
      // Already gone.
    }
  }
}
