import { parseArgs } from 'node:util';
import type { Tier } from '../case.js';
import type { CleanupCommand } from './cleanup-command.js';
import { parseDuration } from './duration.js';
import type { RunCommand } from './run-command.js';

/** A parsed command line. */
export type Command =
  | { readonly kind: 'run'; readonly run: RunCommand }
  | { readonly kind: 'cleanup'; readonly cleanup: CleanupCommand }
  | { readonly kind: 'help' }
  | { readonly kind: 'usage-error'; readonly message: string };

const TIERS: readonly Tier[] = ['unit', 'integration'];

/** Reads the command line (without `node` and the script). */
export function parseCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Command {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    return { kind: 'usage-error', message: error instanceof Error ? error.message : String(error) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  const [first, ...rest] = positionals;
  const exportName = values.export ?? 'default';
  if (first === 'cleanup') {
    if (rest.length > 0) return { kind: 'usage-error', message: `unexpected argument: ${rest[0]}` };
    const url = values.url ?? env.REDIS_URL;
    if (!url) return { kind: 'usage-error', message: 'cleanup needs --url (or REDIS_URL)' };
    if (values.run === undefined && values['older-than'] === undefined) {
      return { kind: 'usage-error', message: 'cleanup needs --run <prefix> or --older-than <age>' };
    }
    const olderThanMs = values['older-than'] === undefined ? undefined : parseDuration(values['older-than']);
    if (values['older-than'] !== undefined && olderThanMs === undefined) {
      return { kind: 'usage-error', message: `not an age: '${values['older-than']}' (try 90s, 15m, 2h, 1d)` };
    }
    return {
      kind: 'cleanup',
      cleanup: { url, run: values.run, olderThanMs, adapterModule: values.adapter, exportName },
    };
  }
  const module = first === 'run' ? rest[0] : first;
  const extra = first === 'run' ? rest.slice(1) : rest;
  if (!module) return { kind: 'usage-error', message: 'name the adapter module to test' };
  if (extra.length > 0) return { kind: 'usage-error', message: `unexpected argument: ${extra[0]}` };
  const tiers = (values.tier ?? 'unit,integration').split(',').map((tier) => tier.trim());
  const unknown = tiers.filter((tier) => !TIERS.includes(tier as Tier));
  if (unknown.length > 0 || tiers.length === 0) {
    return { kind: 'usage-error', message: `unknown tier '${unknown[0] ?? ''}' (unit, integration)` };
  }
  return {
    kind: 'run',
    run: {
      module,
      exportName,
      url: values.url,
      tiers: [...new Set(tiers)] as Tier[],
      casePrefixes: values.case ?? [],
      selfCheck: !values['no-self-check'],
      json: values.json,
      quiet: values.quiet ?? false,
    },
  };
}

function parseOptions(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      export: { type: 'string' },
      url: { type: 'string' },
      tier: { type: 'string' },
      case: { type: 'string', multiple: true },
      'no-self-check': { type: 'boolean' },
      json: { type: 'string' },
      quiet: { type: 'boolean' },
      run: { type: 'string' },
      'older-than': { type: 'string' },
      adapter: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
