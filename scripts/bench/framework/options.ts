/** The command line of `pnpm bench`. */

/** How one run measures: the same for every scenario. */
export interface BenchOptions {
  /** Rounds per point; every row is the median of these (interleaved with its rivals). */
  readonly rounds: number;
  /** How long one contender runs in one round at one concurrency (ms). */
  readonly sampleMs: number;
  /** The concurrency sweep. */
  readonly sweep: readonly number[];
  /** A short run for development: fewer, shorter rounds; not for the notes. */
  readonly quick: boolean;
  /** Where to write the results as JSON, if anywhere. */
  readonly jsonPath: string | undefined;
  /** Where to write the sweep chart (SVG), if anywhere. */
  readonly chartPath: string | undefined;
  /** Scenario ids (or id prefixes) to run; empty runs all. */
  readonly only: readonly string[];
}

/** The sweep of the issue: one caller, a few, the service's default `maxInflight`, and many. */
export const DEFAULT_SWEEP = [1, 8, 64, 512] as const;
/** A row whose (max - min) / median exceeds this is marked as noisy. */
export const SPREAD_LIMIT = 0.1;

const USAGE = `usage: pnpm bench [--quick] [--only=<id>[,<id>...]] [--json <file>] [--chart <file>|--no-chart]
                  [--rounds=<n>] [--sample-ms=<ms>] [--sweep=1,8,64,512]
  --quick      3 short rounds per point: for development, not for the notes
  --only       scenario ids or id prefixes (e.g. --only=get-set, --only=rate-limit/resp)
  --json       write every result as JSON
  --chart      where the sweep chart goes (default docs/bench-sweep.svg on a full run)`;

/** Parses `argv` (without node and the script); throws with the usage on anything unknown. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  let quick = false;
  let rounds: number | undefined;
  let sampleMs: number | undefined;
  let sweep: readonly number[] = DEFAULT_SWEEP;
  let jsonPath: string | undefined;
  let chartPath: string | undefined | null;
  const only: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = (): string => {
      const next = inline ?? argv[++index];
      if (next === undefined || next === '') throw new Error(`${flag} needs a value\n${USAGE}`);
      return next;
    };
    switch (flag) {
      case '--':
        break;
      case '--quick':
        quick = true;
        break;
      case '--only':
        only.push(...value().split(',').filter(Boolean));
        break;
      case '--json':
        jsonPath = value();
        break;
      case '--chart':
        chartPath = value();
        break;
      case '--no-chart':
        chartPath = null;
        break;
      case '--rounds':
        rounds = positiveInteger(value(), flag);
        break;
      case '--sample-ms':
        sampleMs = positiveInteger(value(), flag);
        break;
      case '--sweep':
        sweep = value()
          .split(',')
          .map((part) => positiveInteger(part, flag));
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument '${arg}'\n${USAGE}`);
    }
  }
  const partial = only.length > 0 || quick;
  return {
    quick,
    rounds: rounds ?? (quick ? 3 : 5),
    sampleMs: sampleMs ?? (quick ? 100 : 200),
    sweep,
    jsonPath,
    // A quick or filtered run must not overwrite the committed chart unless asked to.
    chartPath: chartPath === null ? undefined : (chartPath ?? (partial ? undefined : 'docs/bench-sweep.svg')),
    only,
  };
}

function positiveInteger(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`${flag} takes positive integers, got '${text}'`);
  return value;
}

/** Whether scenario `id` is selected by `--only` (an exact id or an id prefix ending at a `/`). */
export function selected(options: BenchOptions, id: string): boolean {
  if (options.only.length === 0) return true;
  return options.only.some(
    (wanted) => id === wanted || id.startsWith(wanted.endsWith('/') ? wanted : `${wanted}/`),
  );
}
