/**
 * Runs the kit's failover cases many times on one sentinel group per adapter and prints, per
 * adapter and fault, how often they passed and the switch time, recovery time (for subscribers:
 * until they received again) and failed calls
 * they noted (min / median / max). For the record of how the drivers behave across failovers:
 *
 *   tsx --conditions=@redis-service/source scripts/failover-soak.ts [--runs=20] [--adapter=ioredis-sentinel] [--case=failover/...]
 */
import { ConformanceRun, integrationCases } from '@redis-service/conformance';
import { adapters } from './adapters.js';

const argument = (name: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(`--${name}=`.length);
const runs = Number(argument('runs') ?? 20);
const onlyAdapter = argument('adapter');
const onlyCase = argument('case');
const LOAD_CASES = ['failover/sentinel-failover-under-load', 'failover/primary-killed-under-load'];
const SUBSCRIBER_CASES = [
  'failover/subscriber-follows-sentinel-failover',
  'failover/subscriber-follows-killed-primary',
];
const CASES = [...LOAD_CASES, ...SUBSCRIBER_CASES].filter((id) => !onlyCase || id === onlyCase);

interface Sample {
  readonly switchMs: number;
  readonly recoveredMs: number;
  readonly slowestMs: number;
  readonly failed: number;
  readonly notRun: number;
  readonly mayHaveRun: number;
  readonly lost: number;
}

const number = (note: string, pattern: RegExp) => Number(pattern.exec(note)?.[1] ?? Number.NaN);

function sampleOf(note: string): Sample {
  return {
    switchMs: number(note, /switched in (\d+) ms/),
    recoveredMs: number(note, /(?:recovered|received again) (\d+) ms/),
    slowestMs: number(note, /the slowest took (\d+) ms/),
    failed: number(note, /calls ok, (\d+) failed/),
    notRun: number(note, /failed as not run: (\d+)/),
    mayHaveRun: number(note, /may have run: (\d+)/),
    lost: number(note, /acknowledged writes lost in the failover: (\d+)/),
  };
}

function spread(values: readonly number[]): string {
  const sorted = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return '-';
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `${sorted[0]} / ${median} / ${sorted[sorted.length - 1]}`;
}

const targets = adapters.filter(
  (adapter) => adapter.topology === 'sentinel' && (!onlyAdapter || adapter.name === onlyAdapter),
);
const lines: string[] = [];
for (const target of targets) {
  const run = await ConformanceRun.start(target, { tiers: ['integration'] });
  try {
    for (const id of CASES) {
      const testCase = integrationCases.find((candidate) => candidate.id === id);
      if (!testCase) throw new Error(`no case ${id}`);
      const samples: Sample[] = [];
      const failures: string[] = [];
      for (let index = 0; index < runs; index++) {
        const result = await run.runCase(testCase);
        const note = result.notes?.[0] ?? '';
        process.stdout.write(`${target.name} ${id} #${index + 1}: ${result.status} ${note}\n`);
        if (result.status === 'passed') samples.push(sampleOf(note));
        else failures.push(result.error instanceof Error ? result.error.message : String(result.reason));
      }
      lines.push(
        [
          `${target.name} ${id}: ${samples.length}/${runs} passed`,
          `  switch ms ${spread(samples.map((sample) => sample.switchMs))}; recovered ms ${spread(samples.map((sample) => sample.recoveredMs))}; slowest call ms ${spread(samples.map((sample) => sample.slowestMs))}`,
          ...(LOAD_CASES.includes(id)
            ? [
                `  failed calls ${spread(samples.map((sample) => sample.failed))} (not run ${spread(samples.map((sample) => sample.notRun))}, may have run ${spread(samples.map((sample) => sample.mayHaveRun))}); acknowledged writes lost ${spread(samples.map((sample) => sample.lost))}`,
              ]
            : []),
          ...failures.map((failure) => `  FAILED: ${failure}`),
        ].join('\n'),
      );
    }
  } finally {
    await run.close();
  }
}
console.log(`\n${lines.join('\n')}\n(min / median / max over the passing runs)`);
