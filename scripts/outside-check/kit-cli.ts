import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The kit's command-line tool, when the packed kit has one. */
export const KIT_CLI = 'redis-service-conformance';

/**
 * HOOK (kit CLI): the arguments that run the kit's CLI against the custom adapter of the scratch
 * project, `out/src/counting-adapter.js`, export `countingAdapter`. The CLI is not on this branch,
 * so its interface is unknown here: once it is, return them, e.g.
 * `['--module', adapterModule, '--export', 'countingAdapter']`. While this returns undefined and
 * the packed kit ships the CLI, the outside check fails, so the CLI is never silently left out.
 */
export function kitCliArguments(_adapterModule: string): readonly string[] | undefined {
  return undefined;
}

/** Whether the kit installed in `projectDir` declares the CLI in its `bin`. */
export function kitHasCli(projectDir: string): boolean {
  const manifestFile = join(projectDir, 'node_modules/@redis-service/conformance/package.json');
  if (!existsSync(manifestFile)) return false;
  const { bin } = JSON.parse(readFileSync(manifestFile, 'utf8')) as { bin?: string | Record<string, string> };
  return typeof bin === 'string' || (typeof bin === 'object' && bin !== null && KIT_CLI in bin);
}
