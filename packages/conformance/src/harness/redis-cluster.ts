import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminText, infoField } from './admin-command.js';
import { type ClusterNodeInfo, parseClusterNodes } from './cluster-topology.js';
import { findFreePort } from './free-port.js';
import { INSTALL_HINT, launch, redisServerAvailable, terminate } from './redis-server.js';

/** One redis-server of a cluster the harness started. */
export interface RedisClusterNode {
  readonly port: number;
  /** `redis://127.0.0.1:PORT` */
  readonly url: string;
  /** `127.0.0.1:PORT`, the id drivers use for it. */
  readonly address: string;
  /** The process id while it runs. */
  readonly pid: number | undefined;
  /** Whether its process is running. */
  readonly running: boolean;
  /** Sends `signal` (default SIGKILL: `kill -9`) and resolves once the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port with the same cluster config file: it rejoins the cluster. */
  start(): Promise<void>;
}

/** A Redis Cluster for the kit: one the harness started, or an existing one (`REDIS_CLUSTER_URLS`). */
export interface RedisClusterHandle {
  /** A seed URL per node (`redis://host:port`). */
  readonly urls: readonly string[];
  /** True when `REDIS_CLUSTER_URLS` pointed the kit at a cluster it did not start. */
  readonly external: boolean;
  /** The nodes the harness started (empty for an external cluster). */
  readonly nodes: readonly RedisClusterNode[];
  /** The cluster's nodes as a reachable node sees them (`CLUSTER NODES`). */
  topology(): Promise<ClusterNodeInfo[]>;
  /**
   * Waits until every running node says `cluster_state:ok` with all 16384 slots served, every
   * node agrees on the masters and every replica's link to its master is up.
   */
  waitUntilHealthy(timeoutMs?: number): Promise<void>;
  /** Stops every node (by pid) and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

/** Options of `startRedisCluster`. */
export interface StartRedisClusterOptions {
  /** How many masters. Default 3 (the fewest Redis Cluster accepts). */
  readonly masters?: number;
  /** Replicas per master. Default 1. */
  readonly replicasPerMaster?: number;
  /**
   * `cluster-node-timeout` (ms): how long a node may be unreachable before it counts as failing
   * and its replica takes over. Default 5000: a loaded machine must not fail a node over by
   * accident. Failover cases start a cluster of their own with a short one.
   */
  readonly nodeTimeoutMs?: number;
  /** How long to wait for a healthy cluster (ms). Default 60 000. */
  readonly readyTimeoutMs?: number;
  /** Extra `--flag value` arguments for every node. */
  readonly args?: readonly string[];
}

const DEFAULT_NODE_TIMEOUT_MS = 5000;
const POLL_MS = 50;

/**
 * Starts a private Redis Cluster on free loopback ports: `masters` masters with
 * `replicasPerMaster` replicas each, no persistence, every node's files in one temp dir, joined by
 * `redis-cli --cluster create`. Resolves once the cluster is healthy (see `waitUntilHealthy`).
 * Nodes are stopped by pid with `stop()`, and killed when this process exits.
 */
export async function startRedisCluster(options: StartRedisClusterOptions = {}): Promise<RedisClusterHandle> {
  const binary = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  if (!redisServerAvailable(binary)) throw new Error(INSTALL_HINT);
  const masters = options.masters ?? 3;
  const replicas = options.replicasPerMaster ?? 1;
  const total = masters * (1 + replicas);
  const nodeTimeoutMs = options.nodeTimeoutMs ?? DEFAULT_NODE_TIMEOUT_MS;
  const dir = await mkdtemp(join(tmpdir(), 'redis-service-cluster-'));
  const nodes: ClusterNode[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(nodes.map((node) => node.kill('SIGTERM')));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const args = [
      '--cluster-enabled',
      'yes',
      '--cluster-node-timeout',
      String(nodeTimeoutMs),
      // A replica takes over however long it was cut off from its master (the default factor
      // refuses replicas whose data is "too old", which a busy test machine can make them).
      '--cluster-replica-validity-factor',
      '0',
      // Replicas sync at once (the default waits 5 s for more replicas to share one transfer).
      '--repl-diskless-sync-delay',
      '0',
      ...(options.args ?? []),
    ];
    const started = await Promise.allSettled(
      Array.from({ length: total }, () => ClusterNode.start(binary, dir, args)),
    );
    for (const outcome of started) if (outcome.status === 'fulfilled') nodes.push(outcome.value);
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    await createCluster(nodes, replicas);
    const handle = clusterHandle(nodes, stop);
    await handle.waitUntilHealthy(options.readyTimeoutMs ?? 60_000);
    return handle;
  } catch (error) {
    await stop();
    throw error;
  }
}

let shared:
  | { handle: Promise<RedisClusterHandle>; users: number; linger?: ReturnType<typeof setTimeout> }
  | undefined;
const SHARED_LINGER_MS = 5000;

/**
 * The cluster the kit should use: `REDIS_CLUSTER_URLS` (comma-separated `redis://host:port` seeds
 * of an existing cluster; only the kit's own keys are touched, and cases that would change the
 * cluster's layout skip), otherwise a private cluster shared by every run of this process
 * (started on first use; `stop()` releases it, and the last release stops it after a few
 * seconds, so back-to-back runs reuse it).
 */
export async function useRedisCluster(): Promise<RedisClusterHandle> {
  const external = process.env.REDIS_CLUSTER_URLS;
  if (external) return externalCluster(external);
  if (shared) {
    clearTimeout(shared.linger);
    shared.users++;
  } else {
    shared = { handle: startRedisCluster(), users: 1 };
    shared.handle.catch(() => {
      shared = undefined;
    });
  }
  const entry = shared;
  const cluster = await entry.handle;
  let released = false;
  return {
    ...cluster,
    urls: cluster.urls,
    nodes: cluster.nodes,
    external: false,
    topology: () => cluster.topology(),
    waitUntilHealthy: (timeoutMs) => cluster.waitUntilHealthy(timeoutMs),
    async stop() {
      if (released) return;
      released = true;
      entry.users--;
      if (entry.users > 0) return;
      const linger = setTimeout(() => {
        if (shared === entry && entry.users === 0) {
          shared = undefined;
          void cluster.stop();
        }
      }, SHARED_LINGER_MS);
      linger.unref();
      entry.linger = linger;
    },
  };
}

function externalCluster(list: string): RedisClusterHandle {
  const urls = list
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url.length > 0);
  const seeds = urls.map((url) => new URL(url));
  return {
    urls,
    external: true,
    nodes: [],
    async topology() {
      let lastError: unknown;
      for (const seed of seeds) {
        try {
          return parseClusterNodes(
            await adminText(Number(seed.port || 6379), ['CLUSTER', 'NODES'], 5000, seed.hostname),
          );
        } catch (error) {
          lastError = error;
        }
      }
      throw lastError;
    },
    waitUntilHealthy: async () => {},
    stop: async () => {},
  };
}

class ClusterNode implements RedisClusterNode {
  readonly port: number;
  readonly url: string;
  readonly address: string;
  #child: ChildProcess | undefined;
  readonly #binary: string;
  readonly #dir: string;
  readonly #args: readonly string[];

  private constructor(
    binary: string,
    dir: string,
    port: number,
    args: readonly string[],
    child: ChildProcess,
  ) {
    this.#binary = binary;
    this.#dir = dir;
    this.port = port;
    this.url = `redis://127.0.0.1:${port}`;
    this.address = `127.0.0.1:${port}`;
    this.#args = args;
    this.#child = child;
  }

  static async start(binary: string, dir: string, args: readonly string[]): Promise<ClusterNode> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await findFreePort();
      const nodeArgs = [...args, '--cluster-config-file', `nodes-${port}.conf`];
      try {
        const child = await launch(binary, port, dir, { args: nodeArgs });
        return new ClusterNode(binary, dir, port, nodeArgs, child);
      } catch (error) {
        lastError = error; // most likely the port was taken between probe and bind: try another
      }
    }
    throw new Error(
      `could not start a cluster node: ${lastError instanceof Error ? lastError.message : String(lastError)}`,
    );
  }

  get pid(): number | undefined {
    return this.running ? this.#child?.pid : undefined;
  }

  get running(): boolean {
    const child = this.#child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.#child;
    if (!child || !this.running) return;
    if (signal === 'SIGTERM') return terminate(child);
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.#child = await launch(this.#binary, this.port, this.#dir, { args: this.#args });
  }
}

/** `redis-cli --cluster create`: assigns the slots to the first nodes, the rest as their replicas. */
function createCluster(nodes: readonly ClusterNode[], replicas: number): Promise<void> {
  const cli = process.env.REDIS_CLI_BIN ?? 'redis-cli';
  const args = [
    '--cluster',
    'create',
    ...nodes.map((node) => node.address),
    '--cluster-replicas',
    String(replicas),
    '--cluster-yes',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', (error) =>
      reject(new Error(`could not run ${cli} (set REDIS_CLI_BIN to its path): ${error.message}`)),
    );
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${cli} --cluster create exited with ${code}: ${output.trim()}`));
    });
  });
}

function clusterHandle(nodes: readonly ClusterNode[], stop: () => Promise<void>): RedisClusterHandle {
  const topology = async () => {
    let lastError: unknown = new Error('no cluster node is running');
    for (const node of nodes) {
      if (!node.running) continue;
      try {
        return parseClusterNodes(await adminText(node.port, ['CLUSTER', 'NODES'], 5000));
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  };
  return {
    urls: nodes.map((node) => node.url),
    external: false,
    nodes,
    topology,
    async waitUntilHealthy(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let problem = 'not checked yet';
      while (Date.now() < deadline) {
        problem = (await healthProblem(nodes).catch((error: unknown) => String(error))) ?? '';
        if (problem === '') return;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      throw new Error(`the cluster did not become healthy within ${timeoutMs} ms: ${problem}`);
    },
    stop,
  };
}

/** What keeps the cluster from being healthy, or undefined when it is. */
async function healthProblem(nodes: readonly ClusterNode[]): Promise<string | undefined> {
  const running = nodes.filter((node) => node.running);
  let masters: string | undefined;
  for (const node of running) {
    const info = await adminText(node.port, ['CLUSTER', 'INFO'], 2000);
    if (infoField(info, 'cluster_state') !== 'ok') return `${node.address}: cluster_state is not ok`;
    if (infoField(info, 'cluster_slots_ok') !== '16384') return `${node.address}: not every slot is served`;
    const view = parseClusterNodes(await adminText(node.port, ['CLUSTER', 'NODES'], 2000));
    const live = view.filter((entry) => running.some((other) => other.port === entry.port));
    if (live.some((entry) => entry.failing || !entry.connected))
      return `${node.address}: sees a running node as failing or disconnected`;
    // A replica is announced by gossip: until then another node still lists it as a slotless master.
    if (live.some((entry) => entry.role === 'master' && entry.slots.length === 0))
      return `${node.address}: still sees a replica as a master without slots`;
    const own = live
      .filter((entry) => entry.role === 'master' && entry.slots.length > 0)
      .map((entry) => `${entry.address}=${entry.slots.map(([a, b]) => `${a}-${b}`).join(',')}`)
      .sort()
      .join(' ');
    if (masters === undefined) masters = own;
    else if (own !== masters) return `${node.address} disagrees about the masters`;
    const me = view.find((entry) => entry.myself);
    if (me?.role === 'replica') {
      const replication = await adminText(node.port, ['INFO', 'replication'], 2000);
      if (infoField(replication, 'master_link_status') !== 'up')
        return `${node.address}: replica link is down`;
    }
  }
  return undefined;
}
