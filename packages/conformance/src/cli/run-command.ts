import { writeFile } from 'node:fs/promises';
import type { Tier } from '../case.js';
import { toJsonReport } from '../report/json-report.js';
import { formatDetails, formatMatrix } from '../report/matrix.js';
import { loadAdapter } from '../runner/load-adapter.js';
import { runConformance } from '../runner/run-conformance.js';

/** What `redis-service-conformance <module>` was asked to do. */
export interface RunCommand {
  readonly module: string;
  readonly exportName: string;
  readonly url: string | undefined;
  readonly tiers: readonly Tier[];
  readonly casePrefixes: readonly string[];
  readonly selfCheck: boolean;
  readonly json: string | undefined;
  readonly quiet: boolean;
}

/** Where the command writes (the process's stdout and stderr, or a test's). */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** Runs the kit against the module's adapter; resolves with the exit code. */
export async function runCommand(command: RunCommand, output: Output): Promise<number> {
  let adapter: Awaited<ReturnType<typeof loadAdapter>>;
  try {
    adapter = await loadAdapter(command.module, command.exportName);
  } catch (error) {
    output.err(`cannot load the adapter: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const { casePrefixes } = command;
  output.out(`running the kit against ${adapter.name} `);
  const report = await runConformance(adapter, {
    tiers: command.tiers,
    selfCheck: command.selfCheck,
    ...(command.url ? { redisUrl: command.url } : {}),
    ...(casePrefixes.length > 0
      ? { filter: (testCase) => casePrefixes.some((prefix) => testCase.id.startsWith(prefix)) }
      : {}),
    onResult: (result) => {
      if (!command.quiet)
        output.out(result.status === 'passed' ? '.' : result.status === 'skipped' ? 's' : 'F');
    },
  });
  output.out(`\n\n${formatMatrix([report])}\n${formatDetails([report])}\n`);
  if (command.json) {
    await writeFile(command.json, `${JSON.stringify(toJsonReport(report), null, 2)}\n`);
    output.out(`\nreport written to ${command.json}\n`);
  }
  output.out(
    `\nconformance: ${adapter.name}: level ${report.verdict.summary}; ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped\n`,
  );
  return report.failed > 0 ? 1 : 0;
}
