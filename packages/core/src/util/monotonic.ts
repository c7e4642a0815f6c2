/**
 * A monotonic clock for deadlines and waits (never the wall clock, which can jump). Read once: in
 * Node `performance` is a lazy global getter, too slow to touch per command.
 */
export const monotonic: { now(): number } = globalThis.performance ?? Date;
