/**
 * `pnpm conformance`: runs the conformance kit against every adapter of this repo, on a private
 * redis-server the kit starts itself (a Redis Cluster for the `-cluster` columns, a primary with a
 * replica under three sentinels for the `-sentinel` columns), and prints the adapter x group matrix
 * (the same one the kit's CLI prints). Exits non-zero when any case fails. `REDIS_URL` points the
 * single-server columns at another server instead (only the run's keys are touched).
 * `--adapter=<name>` runs one column, e.g. `--adapter=ioredis-sentinel`.
 */
import {
  type ConformanceReport,
  formatDetails,
  formatMatrix,
  runConformance,
} from '@redis-service/conformance';
import { adapters } from './adapters.js';

const onlyAdapter = process.argv.find((arg) => arg.startsWith('--adapter='))?.slice('--adapter='.length);
const selected = adapters.filter((adapter) => !onlyAdapter || adapter.name === onlyAdapter);
if (selected.length === 0) {
  console.error(
    `no adapter named '${onlyAdapter}' (known: ${adapters.map((adapter) => adapter.name).join(', ')})`,
  );
  process.exit(2);
}

const reports: ConformanceReport[] = [];
for (const adapter of selected) {
  process.stdout.write(`running the kit against ${adapter.name} `);
  const report = await runConformance(adapter, {
    onResult: (result) =>
      process.stdout.write(result.status === 'passed' ? '.' : result.status === 'skipped' ? 's' : 'F'),
  });
  process.stdout.write(
    ` ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped: level ${report.verdict.level}\n`,
  );
  reports.push(report);
}

console.log(`\n${formatMatrix(reports)}`);
console.log(formatDetails(reports));

const failed = reports.reduce((sum, report) => sum + report.failed, 0);
const passed = reports.reduce((sum, report) => sum + report.passed, 0);
const skipped = reports.reduce((sum, report) => sum + report.skipped, 0);
console.log(`\nconformance: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
