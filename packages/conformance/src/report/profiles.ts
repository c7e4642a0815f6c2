import type { Capability, DriverCapabilities } from '@redis-service/core';

/** A conformance level, highest first: what an adapter that passes the whole kit can claim. */
export type ConformanceLevel = 'full' | 'standard' | 'core';

/** What one level asks of an adapter, besides passing every case the kit runs against it. */
export interface ConformanceProfile {
  readonly level: ConformanceLevel;
  /** Capabilities the driver must declare (and so pass the cases that need them). */
  readonly capabilities: readonly Capability[];
  /** Whether the adapter must have a `worker` entry, so the multi-process cases (locks, rate limits, process exit) run. */
  readonly worker: boolean;
  /** What the level means, for reports and docs. */
  readonly description: string;
}

/**
 * The levels, highest first. A new capability (a cluster one, say) is a new entry or a new item in
 * a list here; nothing else in the kit names levels. `search` belongs to no level: it depends on
 * the server's modules, and its cases skip themselves (with that reason) on a server without them.
 */
export const conformanceProfiles: readonly ConformanceProfile[] = [
  {
    level: 'full',
    capabilities: ['transactions', 'scripting', 'pubsub', 'exactIntegers', 'binary', 'blocking'],
    worker: true,
    description: 'everything the port offers: standard, plus binary-safe values and blocking commands',
  },
  {
    level: 'standard',
    capabilities: ['transactions', 'scripting', 'pubsub', 'exactIntegers'],
    worker: true,
    description:
      'what an HTTP/edge driver can reach: core, plus transactions, Lua scripts, pub/sub, exact integers and the multi-process cases',
  },
  {
    level: 'core',
    capabilities: [],
    worker: false,
    description:
      'every case that needs no capability: all command groups, pipelines, errors, the limiter, timeouts, close and fail-fast',
  },
];

/** What a run of the kit covered, for judging its level. */
export interface VerdictInput {
  /** The capabilities the adapter declared (undefined when the run could not start). */
  readonly capabilities: DriverCapabilities | undefined;
  /** Whether the adapter has a `worker` entry. */
  readonly hasWorker: boolean;
  readonly failed: number;
  /** Why the run does not cover the whole kit (a tier left out, a filter, no self-check), if it does not. */
  readonly partial: readonly string[];
}

/** The level a run earned, and why not a higher one. */
export interface ConformanceVerdict {
  /** `'none'` when a case failed or the run did not cover the whole kit. */
  readonly level: ConformanceLevel | 'none';
  /** One line for a report: `full`, `standard (full also needs: binary, blocking)`, `none: 2 case(s) failed`. */
  readonly summary: string;
  /** What the next level up asks for that this adapter lacks (empty at `full`). */
  readonly missingForNext: readonly string[];
}

/** What `profile` asks for that an adapter with `capabilities` (and a worker entry or not) lacks. */
export function missingFor(
  profile: ConformanceProfile,
  capabilities: DriverCapabilities,
  hasWorker: boolean,
): string[] {
  const missing: string[] = profile.capabilities.filter((capability) => capabilities[capability] !== true);
  if (profile.worker && !hasWorker) missing.push("a 'worker' entry");
  return missing;
}

/**
 * Judges a run: no failure and the whole kit covered, then the highest level whose requirements
 * the adapter meets. A run that declares fewer capabilities passes only at a lower level, and the
 * summary says what the next level needs.
 */
export function conformanceVerdict(input: VerdictInput): ConformanceVerdict {
  if (input.failed > 0) {
    return { level: 'none', summary: `none: ${input.failed} case(s) failed`, missingForNext: [] };
  }
  if (input.partial.length > 0 || !input.capabilities) {
    const why = input.capabilities ? input.partial.join('; ') : 'the run did not start';
    return { level: 'none', summary: `not rated (a partial run: ${why})`, missingForNext: [] };
  }
  const { capabilities } = input;
  const index = conformanceProfiles.findIndex(
    (profile) => missingFor(profile, capabilities, input.hasWorker).length === 0,
  );
  // The last profile asks for nothing, so some profile always matches.
  const reached = conformanceProfiles[index === -1 ? conformanceProfiles.length - 1 : index]!;
  const next = conformanceProfiles[conformanceProfiles.indexOf(reached) - 1];
  if (!next) return { level: reached.level, summary: reached.level, missingForNext: [] };
  const missing = missingFor(next, capabilities, input.hasWorker);
  return {
    level: reached.level,
    summary: `${reached.level} (${next.level} also needs: ${missing.join(', ')})`,
    missingForNext: missing,
  };
}
