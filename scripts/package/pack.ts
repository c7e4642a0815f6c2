import { execFileSync } from 'node:child_process';

/** What `pnpm pack --json` reports about the tarball it wrote. */
interface PackReport {
  readonly name: string;
  readonly version: string;
  readonly filename: string;
}

/**
 * Packs the package in `packageDir` with pnpm, as `pnpm publish` would (workspace ranges resolved,
 * `publishConfig` applied), into `destination`, and returns the tarball's path.
 */
export function packPackage(packageDir: string, destination: string): PackReport {
  const output = execFileSync('pnpm', ['pack', '--json', '--pack-destination', destination], {
    cwd: packageDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // pnpm may print lifecycle output before the JSON report; the report is the last JSON object.
  const report = JSON.parse(output.slice(output.indexOf('{\n'))) as PackReport;
  return { name: report.name, version: report.version, filename: report.filename };
}
