/** Prints ops/s per contender and each ratio with its target. */
export function report(
  title: string,
  results: Record<string, number>,
  ratios: readonly (readonly [string, string, number])[],
): void {
  console.log(title);
  for (const [name, ops] of Object.entries(results)) {
    console.log(`  ${name.padEnd(26)} ${Math.round(ops).toLocaleString('en-US').padStart(10)} ops/s`);
  }
  for (const [ours, theirs, target] of ratios) {
    const ratio = results[ours]! / results[theirs]!;
    console.log(`  ratio ${ours} / ${theirs}: ${ratio.toFixed(3)} (target >= ${target})`);
  }
  console.log('');
}
