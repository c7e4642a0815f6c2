import type { Capability } from '@redis-service/core';
import type { IntegrationCase, IntegrationContext, Topology } from '../../../case.js';

/** What one case of a group declares; the group fills in `id`, `group` and `tier`. */
export interface CaseSpec {
  /** The part of the id after `group/`: lowercase words joined by dashes. */
  readonly slug: string;
  /** What the case proves, in a sentence. */
  readonly name: string;
  readonly requires?: readonly Capability[];
  readonly timeoutMs?: number;
  readonly topologies?: readonly Topology[];
  /** Why the case cannot apply to a Redis Cluster, when it cannot (skipped there with this reason). */
  readonly skipOnCluster?: string;
  run(ctx: IntegrationContext): Promise<void>;
}

/** Turns the specs of one report group into integration cases with ids `group/slug`. */
export function defineCases(group: string, specs: readonly CaseSpec[]): IntegrationCase[] {
  return specs.map(({ slug, run, ...rest }) => ({
    ...rest,
    id: `${group}/${slug}`,
    group,
    tier: 'integration',
    run,
  }));
}
