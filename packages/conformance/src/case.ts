import type { Capability, RedisDriver, RedisService, RedisServiceOptions } from '@redis-service/core';
import type { ScriptedServer, ScriptedServerScript } from './fake/scripted-server.js';
import type { RedisClusterHandle } from './harness/redis-cluster.js';
import type { FailoverOutcome, SentinelAddress } from './harness/sentinel-group.js';

/** Which tier a case belongs to: `unit` needs no Redis (scripted fake servers), `integration` needs a real one. */
export type Tier = 'unit' | 'integration';

/** Where the sentinels of a `sentinel` run are, and the name they monitor the primary under. */
export interface SentinelEndpoint {
  readonly sentinels: readonly SentinelAddress[];
  readonly masterName: string;
  /**
   * Credentials the driver must use, when the group requires them (the case
   * `failover/sentinel-acl-credentials` starts such a group): `username`/`password` for the data
   * nodes, `sentinelUsername`/`sentinelPassword` for the sentinels. Absent: none.
   */
  readonly credentials?: SentinelCredentials;
}

/** ACL credentials of a sentinel group: see `SentinelEndpoint.credentials`. */
export interface SentinelCredentials {
  readonly username?: string;
  readonly password?: string;
  readonly sentinelUsername?: string;
  readonly sentinelPassword?: string;
}

/** Options the kit passes when it asks an adapter for a driver. */
export interface DriverRequest {
  /**
   * Where to connect: a real server, a bridge, or a scripted fake server (for a cluster: one seed;
   * on the `sentinel` topology, the primary when the request was made: connect through `sentinel`).
   */
  readonly url: string;
  /**
   * For a cluster adapter: every seed node of the cluster (`url` is one of them). Absent when the
   * kit points the adapter at one particular address (a scripted fake node, a dead port).
   */
  readonly nodes?: readonly string[];
  /** The driver's own command timeout, when the case needs one (ms). */
  readonly commandTimeoutMs?: number;
  /**
   * Present on the `sentinel` topology: build a driver that finds the primary through these
   * sentinels (and follows it across failovers). Absent when a case asks for a driver to a `url`
   * of its own (e.g. a closed port).
   */
  readonly sentinel?: SentinelEndpoint;
}

/** A driver plus what tears it down. */
export interface CreatedDriver {
  readonly driver: RedisDriver;
  /** Releases everything the driver holds. Defaults to `driver.close()`. */
  readonly teardown?: () => Promise<void>;
}

/** Which transport an adapter speaks; the unit tier scripts a fake server of that kind. */
export type Transport = 'resp' | 'upstash-rest';

/**
 * What an adapter talks to: one server (`single`); a Redis Cluster (`cluster`: the kit then starts
 * a cluster of 3 masters with a replica each, or uses `REDIS_CLUSTER_URLS`, and gives drivers
 * every seed); or a primary with one replica under three sentinels (`sentinel`: the kit starts
 * them, gives drivers the sentinels and the master name, and cases can fail the primary over).
 */
export type Topology = 'single' | 'cluster' | 'sentinel';

/** What an adapter hands the kit. */
export interface AdapterUnderTest {
  /** Shown in reports, e.g. `ioredis`. */
  readonly name: string;
  /** The transport the unit tier fakes. Default `resp`. */
  readonly transport?: Transport;
  /**
   * What the integration tier runs against: one server (default), a Redis Cluster, or a sentinel
   * group (requests then carry `sentinel`). The same `createDriver` can serve several topologies:
   * give each its own `AdapterUnderTest`, e.g. `{ ...adapter, name: 'ioredis-sentinel', topology: 'sentinel' }`.
   */
  readonly topology?: Topology;
  /**
   * Called per case (and more often by cases that need extra drivers, and once to read the
   * capabilities). Must not connect eagerly: connect on the first command or in the background,
   * and never throw for a server that is not there (cases create drivers for closed ports and
   * expect the first command to fail with `RedisConnectionError`).
   */
  createDriver(request: DriverRequest): Promise<RedisDriver | CreatedDriver> | RedisDriver | CreatedDriver;
  /**
   * Turns a real Redis URL into the URL this adapter connects to (e.g. starts a local REST
   * bridge). Called once per run; default: the Redis URL as it is.
   */
  readonly exposeServer?: (redisUrl: string) => Promise<ExposedServer>;
  /**
   * How a worker process builds this same adapter, for cases that need several processes
   * (cross-process locks, rate-limit exactness). Without it those cases are skipped with that reason.
   */
  readonly worker?: AdapterWorkerEntry;
}

/** Where a child process finds the adapter: a module and the name of its `AdapterUnderTest` export. */
export interface AdapterWorkerEntry {
  /** A file URL or absolute path of the module (e.g. `import.meta.url` of the adapter's kit file). */
  readonly module: string;
  /** The export holding the `AdapterUnderTest`. */
  readonly export: string;
  /** Node flags the child needs to load it, e.g. `['--import', 'tsx']` for a TypeScript module. */
  readonly execArgv?: readonly string[];
}

/** What `exposeServer` returns. */
export interface ExposedServer {
  readonly url: string;
  readonly close: () => Promise<void>;
}

/** Thrown by a case (through `ctx.skip`) when it cannot run here; the reason is reported. */
export class CaseSkipped extends Error {
  constructor(readonly reason: string) {
    super(`skipped: ${reason}`);
    this.name = 'CaseSkipped';
  }
}

/** What every case gets. */
export interface BaseContext {
  /** The adapter under test. */
  readonly adapter: AdapterUnderTest;
  /** Reports the case as skipped with `reason` (never silently). */
  skip(reason: string): never;
  /** Registers cleanup that runs after the case, even when it fails. */
  defer(cleanup: () => Promise<void> | void): void;
  /**
   * Records a measurement or remark for the report (e.g. how long a recovery took): it is printed
   * with the case's result and never asserted on.
   */
  note(message: string): void;
}

/** What a case on the `sentinel` topology can do to the group (the run puts it back together after the case). */
export interface SentinelControl extends SentinelEndpoint {
  /** `SENTINEL FAILOVER`; resolves once every sentinel names the new primary and it answers as one. */
  failover(): Promise<FailoverOutcome>;
  /** `kill -9` of the primary; resolves once every sentinel names the new primary and it answers as one. */
  killPrimary(): Promise<FailoverOutcome>;
}

/** What an integration case gets: a service over the adapter, on a real server, under a key prefix of its own. */
export interface IntegrationContext extends BaseContext {
  /** A service over a fresh driver, with this case's own key prefix. */
  readonly redis: RedisService;
  /** The driver under `redis`. */
  readonly driver: RedisDriver;
  /** This case's key prefix (unique per run and case); every key the case writes starts with it. */
  readonly prefix: string;
  /** The URL the adapter connects to (on a cluster: one seed). */
  readonly url: string;
  /** On a cluster: every seed node's URL. */
  readonly nodes?: readonly string[];
  /**
   * The cluster the run started itself, for cases that change its layout or kill its nodes
   * (absent with `REDIS_CLUSTER_URLS`: such cases skip). Only on a cluster run.
   */
  readonly cluster?: RedisClusterHandle;
  /**
   * Another service over another driver (same prefix unless given), closed after the case. `url`
   * (with `nodes` for another cluster) points it elsewhere.
   */
  createService(
    options?: RedisServiceOptions &
      Partial<Pick<DriverRequest, 'commandTimeoutMs' | 'nodes' | 'sentinel'>> & { readonly url?: string },
  ): Promise<RedisService>;
  /** Another raw driver (closed after the case). */
  createDriver(request?: Partial<DriverRequest>): Promise<RedisDriver>;
  /**
   * Stops and starts the run's Redis server again on the same port (its data is lost: no
   * persistence). Present only when the run started its own single server; cases that need it skip
   * otherwise.
   */
  readonly restartServer?: () => Promise<void>;
  /** The topology of the run. */
  readonly topology: Topology;
  /** On the `sentinel` topology: the sentinels, and failovers on demand. */
  readonly sentinel?: SentinelControl;
}

/** What a unit case gets: scripted fake servers of the adapter's transport. */
export interface UnitContext extends BaseContext {
  /** Starts a scripted fake server (stopped after the case). */
  fakeServer(script: ScriptedServerScript): Promise<ScriptedServer>;
  /** A driver connected to `url` (closed after the case). */
  createDriver(request: DriverRequest): Promise<RedisDriver>;
}

interface CaseBase {
  /** Stable id, `group/slug`: broken-driver self-tests and filters name cases by it. */
  readonly id: string;
  /** The report group (`strings`, `hashes`, `transactions`, `limiter`, `errors`, ...). */
  readonly group: string;
  /** What the case proves, in a sentence. */
  readonly name: string;
  /** Capabilities the driver must declare; otherwise the case is skipped with that reason. */
  readonly requires?: readonly Capability[];
  /** A per-case time limit (ms). Default 20 000. */
  readonly timeoutMs?: number;
  /** The topologies the case applies to (integration tier). Default: all. */
  readonly topologies?: readonly Topology[];
  /** Why the case cannot apply to a Redis Cluster, when it cannot: it is skipped there with this reason. */
  readonly skipOnCluster?: string;
}

/** A runner-free integration case. */
export interface IntegrationCase extends CaseBase {
  readonly tier: 'integration';
  run(ctx: IntegrationContext): Promise<void>;
}

/** A runner-free unit case. */
export interface UnitCase extends CaseBase {
  readonly tier: 'unit';
  /** Transports the case applies to. Default: all. */
  readonly transports?: readonly Transport[];
  run(ctx: UnitContext): Promise<void>;
}

/** Any case of the kit. */
export type ConformanceCase = IntegrationCase | UnitCase;
