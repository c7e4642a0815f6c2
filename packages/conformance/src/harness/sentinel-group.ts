import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RespValue } from '../fake/resp-value.js';
import { adminCommand, adminText, infoField, replyText } from './admin-command.js';
import { findFreePort } from './free-port.js';
import { INSTALL_HINT, launch, redisServerAvailable, spawnRedisProcess, terminate } from './redis-server.js';

/** Where a sentinel (or a data node) listens. */
export interface SentinelAddress {
  readonly host: string;
  readonly port: number;
}

/** Options of `startSentinelGroup`. */
export interface StartSentinelGroupOptions {
  /** The name the sentinels monitor the primary under. Default `kit-primary`. */
  readonly masterName?: string;
  /**
   * `down-after-milliseconds`: how long the primary may be silent before a sentinel thinks it is
   * down. Short, so that a killed primary is replaced in seconds; long enough that a loaded machine
   * does not fail over a primary that is merely slow (with 2000, a machine running ~30 processes
   * on 2 cores lost counter writes before any fault was injected, most likely to a failover nobody
   * asked for). Default 5000.
   */
  readonly downAfterMs?: number;
  /** `failover-timeout` (ms). Default 10 000. */
  readonly failoverTimeoutMs?: number;
  /** The binary to run. Default: `REDIS_SERVER_BIN`, else `redis-server` on PATH. */
  readonly binary?: string;
  /** How long to wait for the group to settle (sentinels agree, replica in sync), in ms. Default 60 000. */
  readonly settleTimeoutMs?: number;
  /**
   * An ACL user (all keys, channels and commands) on every data node and every sentinel, for
   * tests of credentials. The `default` user stays open, so the harness itself and the sentinels'
   * own monitoring need no password; a client that sends this user's name with a wrong password
   * is refused (WRONGPASS).
   */
  readonly aclUser?: { readonly username: string; readonly password: string };
}

/** What a failover did, as the harness saw it. */
export interface FailoverOutcome {
  /** The port of the primary before. */
  readonly from: number;
  /** The port of the primary every sentinel names now. */
  readonly to: number;
  /** From the fault (SENTINEL FAILOVER sent, or the primary killed) until every sentinel named `to`, in ms. */
  readonly switchMs: number;
}

/**
 * A primary, one replica and three sentinels this process started on free loopback ports, with no
 * persistence. Every process is stopped by its pid (`stop()`, or SIGKILL when this process exits).
 */
export interface SentinelGroupHandle {
  /** The name the sentinels know the primary by (`sentinel monitor <name> ...`). */
  readonly masterName: string;
  /** The three sentinels. */
  readonly sentinels: readonly SentinelAddress[];
  /** The process ids of the sentinels and of the data nodes that are running. */
  readonly pids: readonly number[];
  /** The port of the primary as the harness last saw it (after start, a failover or `restore()`). */
  readonly primaryPort: number;
  /** `redis://127.0.0.1:<primaryPort>`. */
  readonly primaryUrl: string;
  /**
   * Asks a sentinel for a failover (`SENTINEL FAILOVER`) and resolves once every sentinel names the
   * replica as the primary and it answers as one. The old primary is then made a replica of the new
   * one (`REPLICAOF`, what the sentinels do 10-20 s later, without their `CLIENT KILL`), so clients
   * still connected to it get READONLY; `restore()` waits until it is in sync.
   */
  failover(): Promise<FailoverOutcome>;
  /**
   * `kill -9` of the primary; resolves once every sentinel names the replica as the new primary and
   * it answers as one. The killed node stays down until `restore()`.
   */
  killPrimary(): Promise<FailoverOutcome>;
  /**
   * Brings the group back to a primary with one replica in sync that every sentinel knows about:
   * restarts a killed node (as a replica of the current primary) and waits. Safe to call at any time.
   */
  restore(): Promise<void>;
  /** Stops every process (by pid) and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

interface DataNode {
  readonly port: number;
  readonly dir: string;
  child: ChildProcess | undefined;
}

interface Sentinel extends SentinelAddress {
  readonly child: ChildProcess;
}

const SENTINEL_COUNT = 3;
const QUORUM = 2;
const POLL_MS = 50;
const ADMIN_TIMEOUT_MS = 2000;
// Replicas sync at once instead of waiting for more replicas to share one diskless transfer.
const DATA_NODE_ARGS = ['--repl-diskless-sync-delay', '0'];

/**
 * Starts a primary, one replica of it and three sentinels (`redis-server --sentinel` with a config
 * generated in a temp dir: `sentinel monitor <name> 127.0.0.1 <port> 2`, a short
 * `down-after-milliseconds` and `failover-timeout`), all on free loopback ports, and waits until
 * every sentinel names the primary, knows the replica and the other sentinels, and the replica is in
 * sync. Stop it with `stop()`; every process is killed when this process exits.
 */
export async function startSentinelGroup(
  options: StartSentinelGroupOptions = {},
): Promise<SentinelGroupHandle> {
  const binary = options.binary ?? process.env.REDIS_SERVER_BIN ?? 'redis-server';
  if (!redisServerAvailable(binary)) throw new Error(INSTALL_HINT);
  const group = new SentinelGroup(binary, options, await mkdtemp(join(tmpdir(), 'redis-service-sentinel-')));
  try {
    await group.start();
    return group;
  } catch (error) {
    await group.stop();
    throw error;
  }
}

class SentinelGroup implements SentinelGroupHandle {
  readonly masterName: string;
  readonly #binary: string;
  readonly #dir: string;
  readonly #downAfterMs: number;
  readonly #failoverTimeoutMs: number;
  readonly #settleTimeoutMs: number;
  readonly #aclRule: string | undefined;
  readonly #nodes: DataNode[] = [];
  readonly #sentinels: Sentinel[] = [];
  #primaryPort = 0;
  #stopped = false;

  constructor(binary: string, options: StartSentinelGroupOptions, dir: string) {
    this.masterName = options.masterName ?? 'kit-primary';
    this.#binary = binary;
    this.#dir = dir;
    this.#downAfterMs = options.downAfterMs ?? 5000;
    this.#failoverTimeoutMs = options.failoverTimeoutMs ?? 10_000;
    this.#settleTimeoutMs = options.settleTimeoutMs ?? 60_000;
    const user = options.aclUser;
    if (user && !/^[\w-]+$/.test(user.username + user.password))
      throw new Error(
        'aclUser: name and password must be letters, digits, _ or - (they go into a config file)',
      );
    this.#aclRule = user ? `${user.username} on >${user.password} ~* &* +@all` : undefined;
  }

  /** The data nodes' arguments: the kit's defaults and the ACL user, if any. */
  get #nodeArgs(): string[] {
    return this.#aclRule ? [...DATA_NODE_ARGS, '--user', ...this.#aclRule.split(' ')] : [...DATA_NODE_ARGS];
  }

  get sentinels(): readonly SentinelAddress[] {
    return this.#sentinels.map(({ host, port }) => ({ host, port }));
  }

  get pids(): readonly number[] {
    const children = [
      ...this.#sentinels.map((sentinel) => sentinel.child),
      ...this.#nodes.map((node) => node.child),
    ];
    return children.flatMap((child) => (child?.pid === undefined || !isRunning(child) ? [] : [child.pid]));
  }

  get primaryPort(): number {
    return this.#primaryPort;
  }

  get primaryUrl(): string {
    return `redis://127.0.0.1:${this.#primaryPort}`;
  }

  async start(): Promise<void> {
    const primary = await this.#startNode('node-0', []);
    this.#primaryPort = primary.port;
    await this.#startNode('node-1', ['--replicaof', '127.0.0.1', String(primary.port)]);
    for (let index = 0; index < SENTINEL_COUNT; index++) await this.#startSentinel(index);
    await this.#settle();
  }

  async failover(): Promise<FailoverOutcome> {
    const from = this.#primaryPort;
    const started = performance.now();
    const deadline = Date.now() + this.#settleTimeoutMs;
    let outcome: FailoverOutcome | undefined;
    while (outcome === undefined) {
      const reply = await adminCommand(this.#sentinels[0]!.port, ['SENTINEL', 'FAILOVER', this.masterName]);
      if (reply.type === 'error') {
        // INPROG or NOGOODSLAVE: a previous failover is still being finished; ask again shortly.
        if (Date.now() > deadline) throw new Error(`SENTINEL FAILOVER kept failing: ${reply.message}`);
        await sleep(200);
        continue;
      }
      // A sentinel aborts a failover its replica did not finish within failover-timeout (a busy
      // machine): the primary stays where it was, so ask again.
      outcome = await this.#awaitSwitch(
        from,
        started,
        Math.min(deadline, Date.now() + 2 * this.#failoverTimeoutMs),
        false,
      );
    }
    // The sentinels demote the old primary only 10-20 s later (they wait for their next INFO
    // round); until then it is a second primary that accepts writes. Doing it now, as they would,
    // keeps the window short, and a client still connected to it sees READONLY, as after a real one.
    await adminCommand(from, ['REPLICAOF', '127.0.0.1', String(outcome.to)], ADMIN_TIMEOUT_MS).catch(
      () => {},
    );
    return outcome;
  }

  async killPrimary(): Promise<FailoverOutcome> {
    const from = this.#primaryPort;
    const node = this.#nodes.find((candidate) => candidate.port === from);
    const started = performance.now();
    if (node?.child) {
      const child = node.child;
      const exited = new Promise<void>((resolve) => {
        if (!isRunning(child)) resolve();
        else child.once('exit', () => resolve());
      });
      child.kill('SIGKILL');
      await exited;
      node.child = undefined;
    }
    return this.#awaitSwitch(from, started);
  }

  async restore(): Promise<void> {
    this.#primaryPort = await this.#agreedPrimary(this.#settleTimeoutMs);
    for (const node of this.#nodes) {
      if (node.child && isRunning(node.child)) continue;
      node.child = await launch(this.#binary, node.port, node.dir, {
        args: [...this.#nodeArgs, '--replicaof', '127.0.0.1', String(this.#primaryPort)],
      });
    }
    await this.#settle();
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const children = [
      ...this.#sentinels.map((sentinel) => sentinel.child),
      ...this.#nodes.map((node) => node.child),
    ];
    await Promise.all(children.map((child) => (child ? terminate(child) : Promise.resolve())));
    await rm(this.#dir, { recursive: true, force: true });
  }

  async #startNode(name: string, args: readonly string[]): Promise<DataNode> {
    const dir = join(this.#dir, name);
    await mkdir(dir, { recursive: true });
    return retryOnPortClash(async (port) => {
      const child = await launch(this.#binary, port, dir, { args: [...this.#nodeArgs, ...args] });
      const node: DataNode = { port, dir, child };
      this.#nodes.push(node);
      return node;
    });
  }

  async #startSentinel(index: number): Promise<void> {
    const dir = join(this.#dir, `sentinel-${index}`);
    await mkdir(dir, { recursive: true });
    await retryOnPortClash(async (port) => {
      const config = join(dir, 'sentinel.conf');
      const name = this.masterName;
      // Sentinels rewrite this file as they learn the group, so it lives in the group's temp dir.
      await writeFile(
        config,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          'daemonize no',
          `dir ${dir}`,
          'loglevel warning',
          `sentinel monitor ${name} 127.0.0.1 ${this.#primaryPort} ${QUORUM}`,
          `sentinel down-after-milliseconds ${name} ${this.#downAfterMs}`,
          `sentinel failover-timeout ${name} ${this.#failoverTimeoutMs}`,
          `sentinel parallel-syncs ${name} 1`,
          ...(this.#aclRule ? [`user ${this.#aclRule}`] : []),
          '',
        ].join('\n'),
      );
      const child = await spawnRedisProcess(this.#binary, [config, '--sentinel'], port, 10_000);
      this.#sentinels.push({ host: '127.0.0.1', port, child });
    });
  }

  /** Waits until every sentinel names the same primary, other than `from`, and it answers as one. */
  async #awaitSwitch(from: number, started: number): Promise<FailoverOutcome>;
  async #awaitSwitch(
    from: number,
    started: number,
    deadline: number,
    orThrow: false,
  ): Promise<FailoverOutcome | undefined>;
  async #awaitSwitch(
    from: number,
    started: number,
    deadline = Date.now() + this.#settleTimeoutMs,
    orThrow = true,
  ): Promise<FailoverOutcome | undefined> {
    for (;;) {
      const named = await Promise.all(this.#sentinels.map((sentinel) => this.#namedPrimary(sentinel.port)));
      const to = named[0];
      if (to !== undefined && to !== from && named.every((port) => port === to) && (await isPrimary(to))) {
        this.#primaryPort = to;
        return { from, to, switchMs: performance.now() - started };
      }
      if (Date.now() > deadline) {
        if (!orThrow) return undefined;
        throw new Error(
          `the sentinels did not agree on a new primary (they name ${named.join(', ')}; it was ${from})`,
        );
      }
      await sleep(POLL_MS);
    }
  }

  /** Waits until the group is whole: one primary every sentinel names, every node in sync, every sentinel known. */
  async #settle(): Promise<void> {
    const deadline = Date.now() + this.#settleTimeoutMs;
    let problem = 'not checked yet';
    for (;;) {
      problem = (await this.#problem().catch((error: unknown) => String(error))) ?? '';
      if (problem === '') return;
      if (Date.now() > deadline) throw new Error(`the sentinel group did not settle: ${problem}`);
      await sleep(POLL_MS);
    }
  }

  /** What keeps the group from being whole, or undefined when it is. */
  async #problem(): Promise<string | undefined> {
    const primary = this.#primaryPort;
    const replicas = this.#nodes.filter((node) => node.port !== primary).map((node) => node.port);
    for (const sentinel of this.#sentinels) {
      const named = await this.#namedPrimary(sentinel.port);
      if (named !== primary) return `sentinel ${sentinel.port} names ${named} as the primary, not ${primary}`;
      const master = fields(
        await adminCommand(sentinel.port, ['SENTINEL', 'MASTER', this.masterName], ADMIN_TIMEOUT_MS),
      );
      if (master.get('flags') !== 'master')
        return `sentinel ${sentinel.port} flags the primary ${master.get('flags')}`;
      if (master.get('num-other-sentinels') !== String(SENTINEL_COUNT - 1)) {
        return `sentinel ${sentinel.port} knows ${master.get('num-other-sentinels')} other sentinels`;
      }
      const known = await adminCommand(
        sentinel.port,
        ['SENTINEL', 'REPLICAS', this.masterName],
        ADMIN_TIMEOUT_MS,
      );
      const healthy = (known.type === 'array' ? known.items : [])
        .map(fields)
        // Only the flags: a sentinel reads a replica's link status from INFO every 10 s, and a
        // failover refreshes it first anyway; the replica's own INFO is checked below.
        .filter((replica) => replica.get('flags') === 'slave')
        .map((replica) => Number(replica.get('port')));
      for (const port of replicas) {
        if (!healthy.includes(port)) return `sentinel ${sentinel.port} does not see replica ${port} as up`;
      }
    }
    const info = await adminText(primary, ['INFO', 'replication'], ADMIN_TIMEOUT_MS);
    if (infoField(info, 'role') !== 'master') return `${primary} is not a master`;
    for (const port of replicas) {
      const replicaInfo = await adminText(port, ['INFO', 'replication'], ADMIN_TIMEOUT_MS);
      if (infoField(replicaInfo, 'master_port') !== String(primary))
        return `${port} does not replicate ${primary}`;
      if (infoField(replicaInfo, 'master_link_status') !== 'up')
        return `${port} is not in sync with ${primary}`;
      if (!info.includes(`port=${port},state=online`)) return `${primary} does not list ${port} as online`;
    }
    return undefined;
  }

  async #agreedPrimary(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const named = await Promise.all(this.#sentinels.map((sentinel) => this.#namedPrimary(sentinel.port)));
      const first = named[0];
      if (first !== undefined && named.every((port) => port === first)) return first;
      if (Date.now() > deadline)
        throw new Error(`the sentinels do not agree on the primary: ${named.join(', ')}`);
      await sleep(POLL_MS);
    }
  }

  async #namedPrimary(sentinelPort: number): Promise<number | undefined> {
    try {
      const reply = await adminCommand(
        sentinelPort,
        ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.masterName],
        ADMIN_TIMEOUT_MS,
      );
      const port = reply.type === 'array' && reply.items[1] ? Number(replyText(reply.items[1])) : Number.NaN;
      return Number.isInteger(port) ? port : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Whether the server on `port` answers and says it is a master. */
async function isPrimary(port: number): Promise<boolean> {
  try {
    return infoField(await adminText(port, ['INFO', 'replication'], ADMIN_TIMEOUT_MS), 'role') === 'master';
  } catch {
    return false;
  }
}

/** A flat `field, value, field, value` array reply (SENTINEL MASTER and REPLICAS entries) as a map. */
function fields(reply: RespValue): Map<string, string> {
  const map = new Map<string, string>();
  if (reply.type !== 'array') return map;
  for (let index = 0; index + 1 < reply.items.length; index += 2) {
    map.set(replyText(reply.items[index]!), replyText(reply.items[index + 1]!));
  }
  return map;
}

/** Runs `start` on a free port, trying another when the port was taken between probe and bind. */
async function retryOnPortClash<T>(start: (port: number) => Promise<T>): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await start(await findFreePort());
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(
    `could not start a redis process: ${lastError instanceof Error ? lastError.message : String(lastError)}`,
  );
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
