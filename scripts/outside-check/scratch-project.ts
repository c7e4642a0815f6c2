import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MarkedBlock } from './readme-blocks.js';
import { runCommand } from './run-command.js';

/** What a scratch project is made of. */
export interface ScratchProjectSpec {
  readonly name: string;
  /** Where the project goes (created). */
  readonly dir: string;
  /** The packed tarballs, by package name: installed from the files, not from a workspace. */
  readonly tarballs: ReadonlyMap<string, string>;
  /** Everything else, from the npm registry, pinned. */
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
  /** The README's marked blocks, written to `src/`. */
  readonly blocks: readonly MarkedBlock[];
}

const FIXTURES = new URL('./project/', import.meta.url);
const INSTALL_DEADLINE_MS = 300_000;

/**
 * Lays out a project the way a user would have it (the fixtures of `project/` plus the README's
 * blocks) and installs it with npm: no workspace, no links, only the tarballs and the registry.
 */
export async function createScratchProject(spec: ScratchProjectSpec): Promise<void> {
  mkdirSync(spec.dir, { recursive: true });
  cpSync(FIXTURES, spec.dir, { recursive: true });
  for (const block of spec.blocks) writeFileSync(join(spec.dir, 'src', block.file), block.code);
  const tarballDependencies = Object.fromEntries(
    [...spec.tarballs].map(([name, file]) => [name, `file:${file}`]),
  );
  const manifest = {
    name: spec.name,
    private: true,
    type: 'module',
    dependencies: { ...tarballDependencies, ...spec.dependencies },
    devDependencies: spec.devDependencies,
  };
  writeFileSync(join(spec.dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await runCommand('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: spec.dir,
    env: npmEnvironment(),
    timeoutMs: INSTALL_DEADLINE_MS,
  });
}

/**
 * The environment for npm, without the `npm_*` settings pnpm exports to the scripts it runs (they
 * would configure npm as pnpm is configured here), except where npm gets its packages from.
 */
export function npmEnvironment(): NodeJS.ProcessEnv {
  const kept = new Set(['npm_config_registry', 'npm_config_cache', 'npm_config_userconfig']);
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.toLowerCase().startsWith('npm_') || kept.has(name.toLowerCase()),
    ),
  );
}
