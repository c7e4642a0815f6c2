import type { DriverCapabilities } from '@redis-service/core';
import type { Tier } from '../case.js';
import type { CaseStatus } from '../runner/outcome.js';
import type { ConformanceReport } from '../runner/run-conformance.js';
import type { ConformanceVerdict } from './profiles.js';

/** An error as the JSON report carries it. */
export interface JsonError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly stack?: string;
  readonly cause?: JsonError;
}

/** The machine-readable form of a `ConformanceReport` (what the CLI writes with `--json`). */
export interface JsonReport {
  /** Bumped when a field changes meaning. */
  readonly format: 1;
  readonly adapter: string;
  readonly ok: boolean;
  readonly verdict: ConformanceVerdict;
  readonly capabilities: DriverCapabilities | null;
  readonly tiers: readonly Tier[];
  readonly totals: { readonly passed: number; readonly failed: number; readonly skipped: number };
  readonly results: readonly {
    readonly id: string;
    readonly group: string;
    readonly tier: Tier;
    readonly name: string;
    readonly status: CaseStatus;
    readonly durationMs: number;
    readonly reason?: string;
    /** What the case noted (`ctx.note`): measurements and remarks, never asserted on. */
    readonly notes?: readonly string[];
    readonly error?: JsonError;
  }[];
}

function jsonError(error: unknown, depth = 0): JsonError {
  if (!(error instanceof Error)) return { name: typeof error, message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(error.stack ? { stack: error.stack } : {}),
    ...(error.cause !== undefined && depth < 3 ? { cause: jsonError(error.cause, depth + 1) } : {}),
  };
}

/** Turns a report into plain JSON data: errors become name, message, code, stack and cause. */
export function toJsonReport(report: ConformanceReport): JsonReport {
  return {
    format: 1,
    adapter: report.adapter,
    ok: report.failed === 0,
    verdict: report.verdict,
    capabilities: report.capabilities ?? null,
    tiers: report.tiers,
    totals: { passed: report.passed, failed: report.failed, skipped: report.skipped },
    results: report.results.map((result) => ({
      id: result.id,
      group: result.group,
      tier: result.tier,
      name: result.name,
      status: result.status,
      durationMs: Math.round(result.durationMs),
      ...(result.reason === undefined ? {} : { reason: result.reason }),
      ...(result.notes === undefined ? {} : { notes: result.notes }),
      ...(result.status === 'failed' ? { error: jsonError(result.error) } : {}),
    })),
  };
}
