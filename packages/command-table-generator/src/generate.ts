/**
 * `pnpm generate:commands`: reads COMMAND INFO and COMMAND DOCS from a private redis-server (the
 * `redis-server` on PATH, or REDIS_SERVER_BIN) and writes core's command table. Commit the result;
 * the drift test fails until the table matches the pinned server again.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { readCommandMetadata } from './read-command-metadata.js';
import { renderCommandTable } from './render-command-table.js';
import { withPrivateServer } from './server-metadata.js';
import { GENERATED_TABLE_PATH } from './table-location.js';

const metadata = await withPrivateServer(readCommandMetadata);
const text = renderCommandTable(metadata);
const before = await readFile(GENERATED_TABLE_PATH, 'utf8').catch(() => '');
await writeFile(GENERATED_TABLE_PATH, text);
const bytes = Buffer.byteLength(text);
console.log(
  `${before === text ? 'unchanged' : 'wrote'} ${GENERATED_TABLE_PATH}: ${metadata.commands.length} commands and ` +
    `subcommands of redis-server ${metadata.version}, ${bytes} bytes (${gzipSync(text).length} gzipped)`,
);
