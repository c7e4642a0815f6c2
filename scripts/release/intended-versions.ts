import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A bump a changeset can ask for. */
export type BumpType = 'patch' | 'minor' | 'major';

const RANK: Record<BumpType, number> = { patch: 1, minor: 2, major: 3 };

/** One pending changeset: which packages it bumps, and how. */
export interface PendingChangeset {
  readonly file: string;
  readonly releases: ReadonlyMap<string, BumpType>;
  readonly summary: string;
}

/** Reads the pending changesets of `.changeset/` (their front matter: `"name": type` lines). */
export function readChangesets(changesetDir: string): PendingChangeset[] {
  return readdirSync(changesetDir)
    .filter((file) => file.endsWith('.md') && file !== 'README.md')
    .sort()
    .map((file) => {
      const text = readFileSync(join(changesetDir, file), 'utf8');
      const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
      if (!match) throw new Error(`${file}: no front matter`);
      const releases = new Map<string, BumpType>();
      for (const line of (match[1] ?? '').split('\n')) {
        if (line.trim() === '') continue;
        const entry = /^\s*["']?([^"':]+)["']?\s*:\s*(patch|minor|major)\s*$/.exec(line);
        if (!entry) throw new Error(`${file}: cannot read the release line '${line}'`);
        releases.set(entry[1] as string, entry[2] as BumpType);
      }
      return { file, releases, summary: (match[2] ?? '').trim() };
    });
}

/**
 * The versions the pending changesets ask for: each package bumped by the largest type any
 * changeset gives it, and every package of a `fixed` group bumped together to one version (the
 * group's highest version, bumped by the largest type in the group), as changesets documents.
 * Nothing here follows dependency edges: a release the changesets do not ask for is unintended.
 */
export function intendedVersions(
  current: ReadonlyMap<string, string>,
  changesets: readonly PendingChangeset[],
  fixed: readonly (readonly string[])[],
): Map<string, string> {
  const bump = new Map<string, BumpType>();
  for (const changeset of changesets) {
    for (const [name, type] of changeset.releases) {
      if (!current.has(name)) throw new Error(`${changeset.file} names the unknown package ${name}`);
      bump.set(name, larger(bump.get(name), type));
    }
  }
  const next = new Map<string, string>();
  for (const [name, type] of bump) next.set(name, increment(current.get(name) as string, type));
  for (const patterns of fixed) {
    const members = [...current.keys()].filter((name) =>
      patterns.some((pattern) => globMatch(pattern, name)),
    );
    const types = members.map((name) => bump.get(name)).filter((type) => type !== undefined);
    if (types.length === 0) continue;
    const type = types.reduce<BumpType>((a, b) => larger(a, b), 'patch');
    const highest = members
      .map((name) => current.get(name) as string)
      .sort(compareVersions)
      .at(-1) as string;
    for (const name of members) next.set(name, increment(highest, type));
  }
  return next;
}

function larger(a: BumpType | undefined, b: BumpType): BumpType {
  return a !== undefined && RANK[a] >= RANK[b] ? a : b;
}

function increment(version: string, type: BumpType): string {
  const [major, minor, patch] = parseVersion(version);
  if (type === 'major') return `${major + 1}.0.0`;
  if (type === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

function parseVersion(version: string): [number, number, number] {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!match) throw new Error(`cannot read the version ${version} (pre-releases are not handled here)`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function compareVersions(a: string, b: string): number {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

function globMatch(pattern: string, name: string): boolean {
  const source = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${source}$`).test(name);
}
