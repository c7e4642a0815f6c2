/**
 * Passes a value the types forbid, as a JavaScript caller (or a bad `as` cast) would: bad-input
 * cases use it to reach the runtime checks the types normally make unreachable.
 */
export function unchecked<T>(value: unknown): T {
  return value as T;
}
