import { allCases, type CaseResult, ConformanceRun } from '../../src/index.js';
import { kitRespAdapter } from './kit-resp-adapter.js';

/** The case that must catch a core which keeps a timed-out command's permit. */
export const PERMIT_CASE = 'timeouts/permits-come-back-after-service-timeouts';

/** Runs the permit case against the kit's own RESP driver on a private redis-server. */
export async function runPermitCase(): Promise<CaseResult> {
  const target = allCases.find((testCase) => testCase.id === PERMIT_CASE);
  if (!target) throw new Error(`no case ${PERMIT_CASE}`);
  const run = await ConformanceRun.start(kitRespAdapter, { tiers: ['integration'] });
  try {
    return await run.runCase(target);
  } finally {
    await run.close();
  }
}
