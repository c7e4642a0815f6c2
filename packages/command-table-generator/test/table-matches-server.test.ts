import { readFile } from 'node:fs/promises';
import { commandInfo, TABLE_REDIS_VERSION } from '@redis-service/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CommandMetadata,
  readCommandMetadata,
  type ServerMetadata,
} from '../src/read-command-metadata.js';
import { renderCommandTable } from '../src/render-command-table.js';
import { openPrivateServer, type PrivateServer } from '../src/server-metadata.js';
import { GENERATED_TABLE_PATH } from '../src/table-location.js';

let server: PrivateServer;
let metadata: ServerMetadata;

beforeAll(async () => {
  server = await openPrivateServer();
  metadata = await readCommandMetadata(server.send);
});

afterAll(async () => {
  await server?.close();
});

/** Flags in a canonical order: the table stores them as bit masks, the server lists them its own way. */
function canonical(command: CommandMetadata): CommandMetadata {
  const sorted = (names: readonly string[]) => [...names].sort();
  return {
    ...command,
    flags: sorted(command.flags),
    aclCategories: sorted(command.aclCategories),
    tips: sorted(command.tips),
    keySpecs: command.keySpecs.map((spec) => ({ ...spec, flags: sorted(spec.flags) })),
  };
}

describe('the committed command table and the pinned redis-server agree', () => {
  it('the committed module is exactly what `pnpm generate:commands` writes for this server', async () => {
    const committed = await readFile(GENERATED_TABLE_PATH, 'utf8');
    const expected = renderCommandTable(metadata);
    expect(TABLE_REDIS_VERSION, 'the table was generated from another redis-server version').toBe(
      metadata.version,
    );
    expect(
      committed.split('\n'),
      'the table and the server disagree: run `pnpm generate:commands` and commit the result',
    ).toEqual(expected.split('\n'));
  });

  it('core decodes every command and subcommand the server knows as the server describes it', () => {
    expect(metadata.commands.length).toBeGreaterThan(300);
    expect(metadata.commands.map((command) => command.name)).toContain('client|reply');
    for (const command of metadata.commands) {
      const info = commandInfo(command.name);
      expect(info, command.name).toBeDefined();
      expect(canonical(info!), command.name).toEqual(canonical(command));
    }
  });

  it('an argument vector resolves to its subcommand, in any case', () => {
    expect(commandInfo(['CLIENT', 'REPLY', 'OFF'])?.name).toBe('client|reply');
    expect(commandInfo(['xinfo', 'Stream', 's'])?.name).toBe('xinfo|stream');
    expect(commandInfo(['Get', 'k'])?.name).toBe('get');
    expect(commandInfo(['CLIENT', 'NO-SUCH-SUBCOMMAND'])?.name, 'an unknown subcommand').toBe('client');
    expect(commandInfo(['NO.SUCH.COMMAND'])).toBeUndefined();
    expect(commandInfo([])).toBeUndefined();
  });
});
