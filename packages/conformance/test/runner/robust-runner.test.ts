import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/index.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/robust-run.ts', import.meta.url));

/** Runs one scenario in a child process (tsx, sources) and returns its report and exit status. */
function runScenario(name: string): { report: JsonReport; status: number | null; stderr: string } {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=@redis-service/source', FIXTURE, name],
    { encoding: 'utf8', timeout: 60_000 },
  );
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  if (!line.startsWith('{')) throw new Error(`no report (status ${child.status}): ${child.stderr}`);
  return { report: JSON.parse(line) as JsonReport, status: child.status, stderr: child.stderr };
}

function statusOf(report: JsonReport): Record<string, string> {
  return Object.fromEntries(report.results.map((result) => [result.id, result.status]));
}

describe('runConformance when the adapter misbehaves', () => {
  it('reports a driver whose close() never settles as a failure of the case, and finishes', () => {
    const { report, status } = runScenario('hung-close');
    expect(status).toBe(0);
    expect(statusOf(report)).toEqual({ 'probe/uses-a-driver': 'failed', 'probe/no-driver': 'passed' });
    const failure = report.results[0]?.error;
    expect(failure?.message).toMatch(/cleanup failed: cleanup #1 .* did not finish within 300 ms/);
    expect(report.verdict.level).toBe('none');
  });

  it('fails the case that left an unobserved rejection or an uncaught exception, and goes on', () => {
    const { report, status } = runScenario('unobserved-failures');
    expect(status).toBe(0);
    expect(report.results.map((result) => [result.id, result.status])).toEqual([
      ['probe/uses-a-driver', 'passed'],
      ['probe/unobserved-rejection', 'failed'],
      ['probe/uncaught-exception', 'failed'],
      ['probe/uses-a-driver', 'passed'],
    ]);
    expect(report.results[1]?.error?.message).toMatch(
      /1 unobserved rejection.* while probe\/unobserved-rejection ran; the first: Error: rejected where nobody listens/,
    );
    expect(report.results[2]?.error?.message).toMatch(/the first: Error: thrown from a timer callback/);
  });

  it('fails a case that never ends at its time limit and runs the next one', () => {
    const { report, status } = runScenario('hung-case');
    expect(status).toBe(0);
    expect(statusOf(report)).toEqual({ 'probe/never-ends': 'failed', 'probe/uses-a-driver': 'passed' });
    expect(report.results[0]?.error?.message).toBe('case probe/never-ends did not finish within 300 ms');
  });

  it('reports a run that cannot start instead of throwing', () => {
    const { report, status } = runScenario('cannot-start');
    expect(status).toBe(0);
    expect(statusOf(report)).toEqual({ 'run/setup': 'failed' });
    expect(report.results[0]?.error?.message).toBe('no driver today');
    expect(report.capabilities).toBeNull();
  });
});
