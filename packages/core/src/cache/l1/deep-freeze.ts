/**
 * Freezes a plain value in place, all the way down (plain objects and arrays; class instances,
 * such as a schema's `Date`, are left as they are): an L1 hands every caller the same object, so
 * a caller's mutation must throw rather than change what the next caller reads.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}
