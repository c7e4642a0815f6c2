import { fileURLToPath } from 'node:url';

/** Where core's generated command table lives (committed). */
export const GENERATED_TABLE_PATH = fileURLToPath(
  new URL('../../core/src/command-table/commands.generated.ts', import.meta.url),
);
