import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The kit's command-line tool, as the packed kit declares it in its `bin`. */
export const KIT_CLI = 'redis-service-conformance';

/**
 * The arguments that run the kit's CLI against the custom adapter of the scratch project (the
 * compiled `adapterModule`, export `countingAdapter`): both tiers and the self-check on a private
 * redis-server the CLI starts itself, so the run can earn a level, and the JSON report in
 * `reportFile`.
 */
export function kitCliArguments(adapterModule: string, reportFile: string): readonly string[] {
  return [adapterModule, '--export', 'countingAdapter', '--json', reportFile, '--quiet'];
}

/** Whether the kit installed in `projectDir` declares the CLI in its `bin`. */
export function kitHasCli(projectDir: string): boolean {
  const manifestFile = join(projectDir, 'node_modules/@redis-service/conformance/package.json');
  if (!existsSync(manifestFile)) return false;
  const { bin } = JSON.parse(readFileSync(manifestFile, 'utf8')) as { bin?: string | Record<string, string> };
  return typeof bin === 'string' || (typeof bin === 'object' && bin !== null && KIT_CLI in bin);
}

/**
 * Checks what the CLI printed and wrote: the group matrix with its level row, and a JSON report of
 * a passing run with results from both tiers and the self-check. Throws what is missing.
 */
export function checkKitCliRun(stdout: string, reportFile: string): void {
  const problems: string[] = [];
  if (!/^group\s+counting/m.test(stdout)) problems.push('no group matrix with the adapter as its column');
  if (!/^level\s+\S+/m.test(stdout)) problems.push('no level row in the matrix');
  if (!existsSync(reportFile)) {
    problems.push(`no JSON report at ${reportFile}`);
  } else {
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
      ok?: unknown;
      verdict?: { level?: unknown };
      results?: { tier?: unknown; group?: unknown }[];
    };
    const results = report.results ?? [];
    if (report.ok !== true) problems.push('the JSON report is not ok');
    if (report.verdict?.level === 'none' || report.verdict?.level === undefined)
      problems.push(`the run earned no level (${JSON.stringify(report.verdict)})`);
    for (const tier of ['unit', 'integration'])
      if (!results.some((result) => result.tier === tier)) problems.push(`no ${tier} results`);
    if (!results.some((result) => result.group === 'self-check')) problems.push('no self-check results');
  }
  if (problems.length > 0) throw new Error(`the CLI run: ${problems.join('; ')}\n${stdout}`);
}
