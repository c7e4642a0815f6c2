/**
 * The text a numeric command argument is sent as, the same from every adapter: a number in
 * JavaScript's shortest exact decimal form (`String()`, which also turns `-0` into `0`), the
 * infinities as Redis spells them (`+inf`, `-inf`), a bigint as its digits.
 */
export function numericArgText(value: number | bigint): string {
  if (typeof value === 'bigint') return value.toString();
  if (value === Number.POSITIVE_INFINITY) return '+inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  return String(value);
}
