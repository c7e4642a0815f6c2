/** Orders stream entry ids (`<ms>-<seq>`) as Redis does, for sorting what cases collected. */
export function compareIds(a: string, b: string): number {
  const [aMs = '0', aSeq = '0'] = a.split('-');
  const [bMs = '0', bSeq = '0'] = b.split('-');
  const byMs = BigInt(aMs) - BigInt(bMs);
  const diff = byMs === 0n ? BigInt(aSeq) - BigInt(bSeq) : byMs;
  return diff === 0n ? 0 : diff < 0n ? -1 : 1;
}
