import { RespConnection } from '../bridge/resp-connection.js';
import type { RespValue } from '../fake/resp-value.js';

/**
 * Sends one command to the redis-server (or sentinel) on `host:port` over a connection of its own
 * and resolves with the reply (an error reply included); for the harness's administration of the
 * servers it starts (INFO, SENTINEL ..., REPLICAOF, CLUSTER SETSLOT, MIGRATE, ...), never for the
 * code under test.
 */
export async function adminCommand(
  port: number,
  argv: readonly string[],
  timeoutMs = 10_000,
  host = '127.0.0.1',
): Promise<RespValue> {
  const connection = await RespConnection.open(host, port, timeoutMs);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      connection.send(argv),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${argv[0]} to ${host}:${port} got no reply within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    connection.close();
  }
}

/** `adminCommand`, with an error reply thrown and the reply read as text (bulk, simple or integer). */
export async function adminText(
  port: number,
  argv: readonly string[],
  timeoutMs?: number,
  host?: string,
): Promise<string> {
  const reply = await adminCommand(port, argv, timeoutMs, host);
  switch (reply.type) {
    case 'error':
      throw new Error(`${argv.join(' ')} on ${host ?? '127.0.0.1'}:${port}: ${reply.message}`);
    case 'simple':
      return reply.value;
    case 'bulk':
      return replyText(reply);
    case 'int':
      return String(reply.value);
    default:
      return '';
  }
}

/** `adminCommand` for a reply that is an array of strings (CLUSTER GETKEYSINSLOT); an error reply is thrown. */
export async function adminList(
  port: number,
  argv: readonly string[],
  timeoutMs?: number,
  host?: string,
): Promise<string[]> {
  const reply = await adminCommand(port, argv, timeoutMs, host);
  if (reply.type === 'error')
    throw new Error(`${argv.join(' ')} on ${host ?? '127.0.0.1'}:${port}: ${reply.message}`);
  if (reply.type !== 'array') return [];
  return reply.items.map((item) => (item.type === 'bulk' ? replyText(item) : ''));
}

/** Reads one field of an INFO-style text (`key:value` lines). */
export function infoField(text: string, field: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith(`${field}:`)) return line.slice(field.length + 1).trim();
  }
  return undefined;
}

/** A bulk or simple reply as text; anything else as an empty string. */
export function replyText(reply: RespValue): string {
  if (reply.type === 'simple') return reply.value;
  if (reply.type === 'bulk') {
    return typeof reply.value === 'string' ? reply.value : new TextDecoder().decode(reply.value);
  }
  if (reply.type === 'int') return String(reply.value);
  return '';
}
