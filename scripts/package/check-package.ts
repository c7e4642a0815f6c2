/**
 * `pnpm check:package` in a package directory: packs the package as `pnpm publish` would and checks
 * the tarball itself (not the directory): its contents and manifest (`inspectTarball`), publint
 * --strict, and arethetypeswrong's ESM-only profile.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectTarball } from './inspect-tarball.js';
import { packPackage } from './pack.js';

const destination = mkdtempSync(join(tmpdir(), 'redis-service-pack-'));
try {
  const { name, filename } = packPackage(process.cwd(), destination);
  const { problems, files } = inspectTarball(filename);
  if (problems.length > 0) {
    console.error(`${name}: the packed tarball is not fit to publish:\n  - ${problems.join('\n  - ')}`);
    process.exitCode = 1;
  } else {
    console.log(`${name}: ${files.length} files, contents and exports as published: ok`);
  }
  execFileSync('publint', ['run', '--strict', filename], { stdio: 'inherit' });
  execFileSync('attw', ['--profile', 'esm-only', filename], { stdio: 'inherit' });
} finally {
  rmSync(destination, { recursive: true, force: true });
}
