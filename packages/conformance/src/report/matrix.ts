import { type CaseResult, RUN_GROUPS } from '../runner/outcome.js';
import type { ConformanceReport } from '../runner/run-conformance.js';

/** The matrix row of a result: `tier/group`, except the self-check and the run's own failures, which span tiers. */
function rowOf(result: CaseResult): string {
  return RUN_GROUPS.has(result.group) ? result.group : `${result.tier}/${result.group}`;
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

/**
 * The adapter x group matrix of one or more reports (what `pnpm conformance` and the CLI print):
 * a row per `tier/group` with pass / fail / skipped counts, then each adapter's totals and the
 * conformance level it earned.
 */
export function formatMatrix(reports: readonly ConformanceReport[]): string {
  const groups = [...new Set(reports.flatMap((report) => report.results.map(rowOf)))];
  const header = ['group', ...reports.map((report) => report.adapter)];
  const rows = groups.map((group) => [
    group,
    ...reports.map((report) => cell(report.results.filter((result) => rowOf(result) === group))),
  ]);
  const totals = [
    'total',
    ...reports.map((report) => `${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`),
  ];
  const levels = ['level', ...reports.map((report) => report.verdict.level.toUpperCase())];
  const all = [header, ...rows, totals, levels];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  const line = (row: readonly string[]) =>
    row
      .map((text, column) => text.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(header), rule, ...rows.map(line), rule, line(totals), line(levels)].join('\n');
}

function errorLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.name}: ${error.cause.message})` : '';
  return `${error.name}: ${error.message}${cause}`;
}

/**
 * Per adapter: the level with what the next one needs, every note a case left (`ctx.note`), every
 * skip with its reason, every failure with its error.
 */
export function formatDetails(reports: readonly ConformanceReport[]): string {
  const out: string[] = [];
  for (const report of reports) {
    out.push(`\n${report.adapter}: conformance level ${report.verdict.summary}`);
    const noted = report.results.filter((result) => (result.notes ?? []).length > 0);
    if (noted.length > 0) {
      out.push(`${report.adapter}: notes`);
      for (const result of noted)
        for (const note of result.notes ?? []) out.push(`  - ${result.id}: ${note}`);
    }
    const skipped = report.results.filter((result) => result.status === 'skipped');
    if (skipped.length > 0) {
      out.push(`${report.adapter}: skipped, with reasons`);
      for (const result of skipped) out.push(`  - ${result.id}: ${result.reason ?? 'no reason given'}`);
    }
    const failed = report.results.filter((result) => result.status === 'failed');
    if (failed.length > 0) {
      out.push(`${report.adapter}: FAILED`);
      for (const result of failed) out.push(`  - ${result.id}: ${errorLine(result.error)}`);
    }
  }
  return out.join('\n');
}
