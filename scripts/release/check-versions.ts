/**
 * The release check (part of `pnpm test`): runs `changeset version` in a scratch copy of the
 * workspace's manifests and changesets, and fails unless every package gets exactly the version its
 * pending changesets ask for (no unintended major, nothing released that no changeset names) and a
 * CHANGELOG.md with that version and every changeset's summary. The workspace itself is not touched.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { intendedVersions, readChangesets } from './intended-versions.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const packageDirs = readdirSync(join(root, 'packages')).filter((dir) =>
  existsSync(join(root, 'packages', dir, 'package.json')),
);

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
}

const readManifest = (base: string, dir: string): Manifest =>
  JSON.parse(readFileSync(join(base, 'packages', dir, 'package.json'), 'utf8')) as Manifest;

const current = new Map(
  packageDirs.map((dir) => [readManifest(root, dir).name, readManifest(root, dir).version]),
);
const config = JSON.parse(readFileSync(join(root, '.changeset/config.json'), 'utf8')) as {
  fixed?: string[][];
};
const changesets = readChangesets(join(root, '.changeset'));
const intended = intendedVersions(current, changesets, config.fixed ?? []);

const scratch = mkdtempSync(join(tmpdir(), 'redis-service-release-'));
const problems: string[] = [];
try {
  for (const file of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(root, file), join(scratch, file));
  cpSync(join(root, '.changeset'), join(scratch, '.changeset'), { recursive: true });
  for (const dir of packageDirs) {
    mkdirSync(join(scratch, 'packages', dir), { recursive: true });
    for (const file of ['package.json', 'CHANGELOG.md']) {
      const from = join(root, 'packages', dir, file);
      if (existsSync(from)) cpSync(from, join(scratch, 'packages', dir, file));
    }
  }
  // The changelog generator named in the config resolves from the scratch copy's node_modules.
  symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  execFileSync(join(root, 'node_modules/.bin/changeset'), ['version'], { cwd: scratch, stdio: 'pipe' });

  console.log('package                            now     next    intended');
  for (const dir of packageDirs) {
    const { name, version: before } = readManifest(root, dir);
    const after = readManifest(scratch, dir).version;
    const wanted = intended.get(name) ?? before;
    console.log(`${name.padEnd(34)} ${before.padEnd(7)} ${after.padEnd(7)} ${wanted}`);
    if (after !== wanted) {
      problems.push(`${name}: changeset version makes it ${after}, the changesets ask for ${wanted}`);
    }
    if (after === before) continue;
    const changelogFile = join(scratch, 'packages', dir, 'CHANGELOG.md');
    const changelog = existsSync(changelogFile) ? readFileSync(changelogFile, 'utf8') : '';
    if (!changelog.includes(`## ${after}\n`))
      problems.push(`${name}: CHANGELOG.md has no '## ${after}' section`);
    for (const changeset of changesets.filter((entry) => entry.releases.has(name))) {
      const firstLine = changeset.summary.split('\n')[0] ?? '';
      if (!changelog.includes(firstLine)) {
        problems.push(`${name}: CHANGELOG.md lacks the summary of ${changeset.file}`);
      }
    }
  }
  const left = readdirSync(join(scratch, '.changeset')).filter(
    (file) => file.endsWith('.md') && file !== 'README.md',
  );
  if (left.length > 0) problems.push(`changeset version left ${left.join(', ')} behind`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`release check failed:\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}
console.log(
  `release check: ${changesets.length} changesets give every package its intended version and changelog`,
);
