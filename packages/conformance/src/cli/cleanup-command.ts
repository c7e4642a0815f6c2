import type { RedisDriver } from '@redis-service/core';
import { cleanupKitKeys } from '../cleanup/cleanup-kit-keys.js';
import { createRespDriver } from '../cleanup/resp-driver.js';
import { createDriverFor } from '../runner/created-driver.js';
import { loadAdapter } from '../runner/load-adapter.js';
import type { Output } from './run-command.js';

/** What `redis-service-conformance cleanup` was asked to do. */
export interface CleanupCommand {
  readonly url: string;
  readonly run: string | undefined;
  readonly olderThanMs: number | undefined;
  /** Reach the server through this adapter module instead of the kit's own RESP connection. */
  readonly adapterModule: string | undefined;
  readonly exportName: string;
}

/** Deletes the kit's keys as asked; resolves with the exit code. */
export async function cleanupCommand(command: CleanupCommand, output: Output): Promise<number> {
  let driver: RedisDriver;
  let teardown: () => Promise<void>;
  if (command.adapterModule) {
    const adapter = await loadAdapter(command.adapterModule, command.exportName);
    ({ driver, teardown } = await createDriverFor(adapter, { url: command.url }));
  } else {
    driver = createRespDriver(command.url);
    teardown = () => driver.close();
  }
  try {
    const summary = await cleanupKitKeys(driver, {
      ...(command.run === undefined ? {} : { run: command.run }),
      ...(command.olderThanMs === undefined ? {} : { olderThanMs: command.olderThanMs }),
    });
    output.out(
      `deleted ${summary.deleted} key(s) of ${summary.runs.length} run(s)${summary.runs.length > 0 ? `: ${summary.runs.join(', ')}` : ''}\n`,
    );
    if (summary.undated > 0) {
      output.out(
        `left ${summary.undated} key(s) under rsk: whose prefix carries no start time (an older kit's); delete them with --run <prefix>\n`,
      );
    }
    return 0;
  } finally {
    await teardown();
  }
}
