#!/usr/bin/env node
/**
 * `redis-service-conformance`: the conformance kit from the command line (see `--help`). Plain
 * Node runs it from `dist`; the adapter module is loaded with `import()`, so it must be something
 * Node can import as it is (JavaScript, or TypeScript under a loader such as `--import tsx`).
 */
import { cleanupCommand } from './cleanup-command.js';
import { parseCommand } from './parse-command.js';
import { type Output, runCommand } from './run-command.js';
import { USAGE } from './usage.js';

const output: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

async function main(): Promise<number> {
  const command = parseCommand(process.argv.slice(2));
  switch (command.kind) {
    case 'help':
      output.out(USAGE);
      return 0;
    case 'usage-error':
      output.err(`${command.message}\n\n${USAGE}`);
      return 2;
    case 'cleanup':
      return cleanupCommand(command.cleanup, output);
    case 'run':
      return runCommand(command.run, output);
  }
}

// Exits explicitly: the report is out, and a driver that leaks a socket must not keep the CLI up
// (the kit's own exit case reports such a leak).
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    output.err(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
