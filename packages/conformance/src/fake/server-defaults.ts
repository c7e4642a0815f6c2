import { type RespValue, reply } from './resp-value.js';
import type { CommandInfo, ScriptAction } from './script.js';

/** The Redis version the fake server claims to be, in HELLO and INFO. */
export const FAKE_REDIS_VERSION = '7.0.15';

const INFO_TEXT =
  `# Server\r\nredis_version:${FAKE_REDIS_VERSION}\r\nredis_mode:standalone\r\n` +
  '\r\n# Persistence\r\nloading:0\r\n\r\n# Replication\r\nrole:master\r\n';

/**
 * What the fake server does with a command its script leaves alone: the handshake and bookkeeping
 * commands client libraries send on connect are answered as Redis 7 answers them (a client that
 * cannot connect would fail every case for the wrong reason); anything else is an unknown command.
 */
export function defaultAction(command: readonly string[], info: CommandInfo): ScriptAction {
  const [name = '', ...args] = command;
  switch (name) {
    case 'PING':
      return args.length > 0 ? reply.bulk(args[0]!) : reply.simple('PONG');
    case 'ECHO':
      return reply.bulk(args[0] ?? '');
    case 'HELLO':
      return hello(args, info);
    case 'AUTH':
    case 'SELECT':
    case 'READONLY':
    case 'READWRITE':
      return reply.ok();
    case 'CLIENT':
      return client(args, info);
    case 'INFO':
      return reply.bulk(INFO_TEXT);
    case 'COMMAND':
      return args[0]?.toUpperCase() === 'COUNT' ? reply.int(0) : reply.array([]);
    case 'RESET':
      return reply.simple('RESET');
    case 'QUIT':
      // Redis answers QUIT and then closes the connection.
      return { dropAfter: '+OK\r\n' };
    default:
      return reply.error(unknownCommand(command));
  }
}

function hello(args: readonly string[], info: CommandInfo): RespValue {
  const version = args[0];
  if (version !== undefined && version !== '2') {
    return /^\d+$/.test(version)
      ? reply.error('NOPROTO unsupported protocol version')
      : reply.error('ERR Protocol version is not an integer or out of range');
  }
  // Redis 7 on RESP2: the server's map flattened into an array of alternating keys and values.
  return reply.array([
    reply.bulk('server'),
    reply.bulk('redis'),
    reply.bulk('version'),
    reply.bulk(FAKE_REDIS_VERSION),
    reply.bulk('proto'),
    reply.int(2),
    reply.bulk('id'),
    reply.int(info.connection + 1),
    reply.bulk('mode'),
    reply.bulk('standalone'),
    reply.bulk('role'),
    reply.bulk('master'),
    reply.bulk('modules'),
    reply.array([]),
  ]);
}

function client(args: readonly string[], info: CommandInfo): RespValue {
  switch (args[0]?.toUpperCase()) {
    case 'ID':
      return reply.int(info.connection + 1);
    case 'GETNAME':
      return reply.nil();
    default:
      return reply.ok();
  }
}

/** The text Redis 7 sends for a command it does not know. */
export function unknownCommand(command: readonly string[]): string {
  const [name = '', ...args] = command;
  const shown = args
    .slice(0, 8)
    .map((arg) => `'${arg.length > 128 ? arg.slice(0, 128) : arg}' `)
    .join('');
  return `ERR unknown command '${oneLine(name)}', with args beginning with: ${oneLine(shown)}`;
}

// The message becomes a RESP error line, which cannot hold a line break.
function oneLine(text: string): string {
  return text.replace(/[\r\n]/g, ' ');
}
