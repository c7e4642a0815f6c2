/**
 * `pnpm conformance`: runs the conformance kit against every adapter of this repo, on a private
 * redis-server the kit starts itself, and again on a primary with a replica under three sentinels
 * for the adapters that support it (the `<adapter>/sentinel` columns), and prints the adapter x
 * group matrix. Exits non-zero when any case fails. `REDIS_URL` points the single-server columns at
 * another server instead (only the run's keys are touched). `--adapter=<name>` runs one adapter
 * (`--adapter=ioredis/sentinel` one column), `--topology=single|sentinel` one topology.
 */
import { type CaseResult, type ConformanceReport, runConformance } from '@redis-service/conformance';
import { conformanceTargets } from './adapters.js';

const argument = (name: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(`--${name}=`.length);
const onlyAdapter = argument('adapter');
const onlyTopology = argument('topology');
const selected = conformanceTargets.filter(
  (target) =>
    (!onlyAdapter || target.adapter.name === onlyAdapter || target.label === onlyAdapter) &&
    (!onlyTopology || target.topology === onlyTopology),
);
if (selected.length === 0) {
  console.error(
    `nothing matches --adapter=${onlyAdapter ?? ''} --topology=${onlyTopology ?? ''} (known: ${conformanceTargets.map((target) => target.label).join(', ')})`,
  );
  process.exit(2);
}

const reports: ConformanceReport[] = [];
for (const { label, adapter, topology } of selected) {
  process.stdout.write(`running the kit against ${label} `);
  const report = await runConformance(adapter, {
    topology,
    onResult: (result) =>
      process.stdout.write(result.status === 'passed' ? '.' : result.status === 'skipped' ? 's' : 'F'),
  });
  process.stdout.write(` ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped\n`);
  reports.push({ ...report, adapter: label });
}

printMatrix(reports);
printDetails(reports);

const failed = reports.reduce((sum, report) => sum + report.failed, 0);
const passed = reports.reduce((sum, report) => sum + report.passed, 0);
const skipped = reports.reduce((sum, report) => sum + report.skipped, 0);
console.log(`\nconformance: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);

/** The matrix row of a result: `tier/group`, except the self-check, which spans tiers. */
function rowOf(result: CaseResult): string {
  return result.group === 'self-check' ? 'self-check' : `${result.tier}/${result.group}`;
}

function cell(results: readonly CaseResult[]): string {
  if (results.length === 0) return '-';
  const failed = results.filter((result) => result.status === 'failed').length;
  const skipped = results.filter((result) => result.status === 'skipped').length;
  const passed = results.length - failed - skipped;
  if (failed > 0) return `FAIL ${failed}/${results.length}`;
  if (passed === 0) return `skipped ${skipped}`;
  return skipped > 0 ? `pass ${passed} (+${skipped} skipped)` : `pass ${passed}`;
}

function printMatrix(all: readonly ConformanceReport[]): void {
  const groups = [...new Set(all.flatMap((report) => report.results.map(rowOf)))];
  const header = ['group', ...all.map((report) => report.adapter)];
  const rows = groups.map((group) => [
    group,
    ...all.map((report) => cell(report.results.filter((result) => rowOf(result) === group))),
  ]);
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column]!.length)));
  const line = (row: readonly string[]) => row.map((text, column) => text.padEnd(widths[column]!)).join('  ');
  console.log(`\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}`);
  for (const row of rows) console.log(line(row));
}

function printDetails(all: readonly ConformanceReport[]): void {
  for (const report of all) {
    const noted = report.results.filter((result) => (result.notes ?? []).length > 0);
    if (noted.length > 0) {
      console.log(`\n${report.adapter}: notes`);
      for (const result of noted) for (const note of result.notes!) console.log(`  - ${result.id}: ${note}`);
    }
    const skipped = report.results.filter((result) => result.status === 'skipped');
    if (skipped.length > 0) {
      console.log(`\n${report.adapter}: skipped, with reasons`);
      for (const result of skipped) console.log(`  - ${result.id}: ${result.reason}`);
    }
    const failed = report.results.filter((result) => result.status === 'failed');
    if (failed.length > 0) {
      console.log(`\n${report.adapter}: FAILED`);
      for (const result of failed) {
        const error =
          result.error instanceof Error
            ? `${result.error.name}: ${result.error.message}`
            : String(result.error);
        console.log(`  - ${result.id}: ${error}`);
      }
    }
  }
}
