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
    case 'CLUSTER':
      return cluster(args, info);
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

/** The id the fake gives itself as a cluster node (40 hex characters, as Redis's are). */
export const FAKE_NODE_ID = 'fa4e000000000000000000000000000000000000';

/**
 * Cluster-aware clients ask a seed for the topology before anything else: by default the fake is
 * a cluster of one master serving every slot itself, so a cluster driver connects to it as it
 * would to a real cluster. Scripts answer `CLUSTER SLOTS` themselves to spread slots over
 * several fake nodes.
 */
function cluster(args: readonly string[], info: CommandInfo): RespValue {
  switch (args[0]?.toUpperCase()) {
    case 'SLOTS':
      return clusterSlotsReply([{ first: 0, last: 16383, port: info.port }]);
    case 'INFO':
      return reply.bulk(
        'cluster_enabled:1\r\ncluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:16384\r\ncluster_known_nodes:1\r\ncluster_size:1\r\n',
      );
    case 'MYID':
      return reply.bulk(FAKE_NODE_ID);
    default:
      return reply.error(unknownCommand(['CLUSTER', ...args]));
  }
}

/** A `CLUSTER SLOTS` reply: each range served by the fake node on 127.0.0.1 at `port`. */
export function clusterSlotsReply(
  ranges: readonly { first: number; last: number; port: number }[],
): RespValue {
  return reply.array(
    ranges.map(({ first, last, port }) =>
      reply.array([
        reply.int(first),
        reply.int(last),
        reply.array([
          reply.bulk('127.0.0.1'),
          reply.int(port),
          reply.bulk(`${FAKE_NODE_ID.slice(0, 34)}${String(port).padStart(6, '0')}`),
        ]),
      ]),
    ),
  );
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
