import { tarballFiles, tarballText } from './tarball.js';

/** The files a published package may hold: its build, and the documents users look for. */
const ALLOWED_FILE = /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/.+\.(js|d\.ts|js\.map))$/;
const REQUIRED_FILES = ['package.json', 'README.md', 'LICENSE'];
const DEPENDENCY_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'] as const;
// The conditions a published `exports` map may use: the ones bundlers and TypeScript agree on.
const KNOWN_CONDITIONS = new Set(['types', 'import', 'default']);

interface PublishedManifest {
  readonly name?: string;
  readonly license?: string;
  readonly main?: string;
  readonly types?: string;
  readonly exports?: unknown;
  readonly [field: string]: unknown;
}

/** What a packed tarball holds, and every way it breaks the rules for a published package. */
export interface TarballInspection {
  readonly manifest: PublishedManifest;
  readonly files: readonly string[];
  readonly problems: readonly string[];
}

/**
 * Checks a packed tarball the way a user's tools will see it: only the build, README, LICENSE and
 * CHANGELOG inside; `exports`, `main` and `types` pointing at files that are shipped, never at
 * TypeScript sources and never through a condition other than `types`/`import`/`default`; no
 * `workspace:` range left; and no internal member (`@internal`, `protected`) in the declarations.
 */
export function inspectTarball(tarball: string): TarballInspection {
  const files = tarballFiles(tarball);
  const shipped = new Set(files);
  const problems: string[] = [];
  const manifest = JSON.parse(tarballText(tarball, 'package.json')) as PublishedManifest;

  for (const file of files) {
    if (!ALLOWED_FILE.test(file)) problems.push(`ships ${file}, which a user does not need`);
  }
  for (const file of REQUIRED_FILES) {
    if (!shipped.has(file)) problems.push(`does not ship ${file}`);
  }
  if (manifest.license !== 'MIT') problems.push(`license is ${String(manifest.license)}, expected MIT`);

  const targets: { where: string; target: string }[] = [];
  if (manifest.main) targets.push({ where: 'main', target: manifest.main });
  if (manifest.types) targets.push({ where: 'types', target: manifest.types });
  if (manifest.exports === undefined) problems.push('has no exports map');
  collectTargets(manifest.exports, 'exports', targets, problems);
  for (const { where, target } of targets) {
    const file = target.replace(/^\.\//, '');
    if (!shipped.has(file)) problems.push(`${where} points at ${target}, which is not in the tarball`);
    if (/\.(ts|tsx|mts|cts)$/.test(file) && !/\.d\.(ts|mts|cts)$/.test(file)) {
      problems.push(`${where} points at the TypeScript source ${target}`);
    }
  }

  for (const field of DEPENDENCY_FIELDS) {
    const ranges = (manifest[field] ?? {}) as Record<string, string>;
    for (const [dependency, range] of Object.entries(ranges)) {
      if (range.startsWith('workspace:')) problems.push(`${field}.${dependency} is still ${range}`);
    }
  }

  for (const file of files.filter((name) => name.endsWith('.d.ts'))) {
    tarballText(tarball, file)
      .split('\n')
      .forEach((line, index) => {
        if (line.includes('@internal') || /^\s*protected\s/.test(line)) {
          problems.push(`${file}:${index + 1} declares an internal member: ${line.trim()}`);
        }
      });
  }
  for (const file of files.filter((name) => name.endsWith('.js.map'))) {
    const map = JSON.parse(tarballText(tarball, file)) as { sources?: unknown[]; sourcesContent?: unknown[] };
    // The sources are not shipped, so a map is only useful with their text inlined.
    if ((map.sourcesContent?.length ?? 0) !== (map.sources?.length ?? 0)) {
      problems.push(`${file} maps to sources it does not inline`);
    }
  }
  return { manifest, files, problems };
}

function collectTargets(
  value: unknown,
  where: string,
  targets: { where: string; target: string }[],
  problems: string[],
): void {
  if (typeof value === 'string') {
    targets.push({ where, target: value });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, inner] of Object.entries(value)) {
    const isSubpath = key.startsWith('.');
    if (!isSubpath && !KNOWN_CONDITIONS.has(key)) problems.push(`${where} uses the condition '${key}'`);
    collectTargets(inner, `${where}[${JSON.stringify(key)}]`, targets, problems);
  }
}
