import {
  type DriverCapabilities,
  type RedisDriver,
  RedisService,
  type RedisServiceOptions,
} from '@redis-service/core';
import {
  type AdapterUnderTest,
  CaseSkipped,
  type ConformanceCase,
  type DriverRequest,
  type ExposedServer,
  type IntegrationCase,
  type IntegrationContext,
  type SentinelControl,
  type SentinelEndpoint,
  type Tier,
  type Topology,
  type UnitCase,
  type UnitContext,
} from '../case.js';
import { announceConnectionsCut } from '../faults/connection-cuts.js';
import { type RedisClusterHandle, useRedisCluster } from '../harness/redis-cluster.js';
import { type RedisServerHandle, useRedisServer } from '../harness/redis-server.js';
import { type SentinelGroupHandle, startSentinelGroup } from '../harness/sentinel-group.js';
import { type Cleanup, runCleanups } from './cleanups.js';
import { createDriverFor } from './created-driver.js';
import { startFakeServer } from './fake-server-for.js';
import { capKeyExpiry, deleteKeys, KIT_KEY_TTL_MS } from './kit-keys.js';
import { type CaseResult, resultOf } from './outcome.js';
import {
  type FailureScope,
  flushUnobserved,
  openFailureScope,
  unobservedFailure,
} from './rejection-monitor.js';
import { newRunPrefix } from './run-prefix.js';
import { withinTime } from './time-limit.js';

/** Options of `ConformanceRun`. */
export interface ConformanceRunOptions {
  /** Tiers to prepare. Default both. */
  readonly tiers?: readonly Tier[];
  /** Use this Redis URL for the integration tier instead of `REDIS_URL` or a private server. */
  readonly redisUrl?: string;
  /**
   * The adapter the run's own housekeeping uses (capping the expiry of each case's keys, deleting
   * the run's keys at the end). Default: the adapter under test. The self-check passes the
   * unbroken adapter here, so a driver that ignores TTLs cannot leave keys without an expiry.
   */
  readonly housekeeper?: AdapterUnderTest;
  /** Time limits of the run's own steps (defaults: `CLEANUP_TIMEOUT_MS`, `RUN_STEP_TIMEOUT_MS`). */
  readonly timeLimits?: Partial<RunTimeLimits>;
  /**
   * For a cluster adapter: use the cluster of these seed URLs instead of `REDIS_CLUSTER_URLS` or
   * a private cluster.
   */
  readonly clusterUrls?: readonly string[];
}

/** How long the kit waits for its own steps before it abandons them. */
export interface RunTimeLimits {
  /** One cleanup after a case (a driver's teardown, a fake server's stop); a slower one fails the case. */
  readonly cleanupMs: number;
  /** One step of preparing or finishing a run (a server, a bridge, the capability probe, deleting keys). */
  readonly stepMs: number;
}

/** A case's own limit, unless it sets `timeoutMs`. */
export const DEFAULT_CASE_TIMEOUT_MS = 20_000;
/** Generous: a loaded 2-core CI machine must not turn a slow reply into a failure. */
const CASE_COMMAND_TIMEOUT_MS = 10_000;
/** One cleanup (a driver's close, a fake server's stop); a slower one is abandoned and fails the case. */
export const CLEANUP_TIMEOUT_MS = 10_000;
/** Each step of preparing or finishing a run: a server, a bridge, the capability probe, key housekeeping. */
export const RUN_STEP_TIMEOUT_MS = 60_000;

interface Housekeeping {
  readonly redis: RedisService;
  readonly teardown: () => Promise<void>;
}

/**
 * One run of the kit against one adapter: owns the Redis server (or bridge), the random key prefix
 * of the run, and the capabilities the adapter declared. Cases run one at a time through
 * `runCase`, each within its time limit, each cleanup within its own; `close()` deletes the run's
 * keys (never FLUSHDB) and stops what the run started. While the run is open, an unobserved
 * promise rejection fails the case that was running instead of ending the process.
 */
export class ConformanceRun {
  readonly adapter: AdapterUnderTest;
  /** Every key this run writes starts with this: `rsk:<start time>-<random>:`. */
  readonly runPrefix: string;
  readonly #housekeeper: AdapterUnderTest;
  readonly #limits: RunTimeLimits;
  readonly #scope: FailureScope;
  #server: RedisServerHandle | undefined;
  #cluster: RedisClusterHandle | undefined;
  #nodes: readonly string[] | undefined;
  #exposed: ExposedServer | undefined;
  #capabilities: DriverCapabilities | undefined;
  #url: string | undefined;
  #group: SentinelGroupHandle | undefined;
  #housekeeping: Promise<Housekeeping> | undefined;
  #stray: unknown[] = [];

  private constructor(adapter: AdapterUnderTest, options: ConformanceRunOptions) {
    this.adapter = adapter;
    this.#housekeeper = options.housekeeper ?? adapter;
    this.#limits = {
      cleanupMs: options.timeLimits?.cleanupMs ?? CLEANUP_TIMEOUT_MS,
      stepMs: options.timeLimits?.stepMs ?? RUN_STEP_TIMEOUT_MS,
    };
    this.runPrefix = newRunPrefix();
    this.#scope = openFailureScope();
  }

  /** Prepares a run: starts (or finds) the server for the integration tier and reads the adapter's capabilities. */
  static async start(
    adapter: AdapterUnderTest,
    options: ConformanceRunOptions = {},
  ): Promise<ConformanceRun> {
    const run = new ConformanceRun(adapter, options);
    const stepMs = run.#limits.stepMs;
    const tiers = options.tiers ?? ['unit', 'integration'];
    try {
      if (tiers.includes('integration') && adapter.topology === 'sentinel') {
        if (options.redisUrl) throw new Error('redisUrl does not apply to the sentinel topology');
        run.#group = await withinTime(startSentinelGroup(), stepMs, 'starting the sentinel group');
        run.#url = run.#group.primaryUrl;
      } else if (tiers.includes('integration') && adapter.topology === 'cluster') {
        if (options.clusterUrls) {
          run.#nodes = options.clusterUrls;
        } else {
          run.#cluster = await withinTime(useRedisCluster(), stepMs, 'starting the Redis Cluster');
          run.#nodes = run.#cluster.urls;
        }
        run.#url = run.#nodes[0];
      } else if (tiers.includes('integration')) {
        let url = options.redisUrl;
        if (!url) {
          run.#server = await withinTime(useRedisServer(), stepMs, 'starting redis-server');
          url = run.#server.url;
        }
        const expose = adapter.exposeServer;
        run.#exposed = expose
          ? await withinTime(() => expose(url), stepMs, `${adapter.name}'s exposeServer`)
          : undefined;
        run.#url = run.#exposed?.url ?? url;
      }
      run.#capabilities = await withinTime(
        () => run.#probeCapabilities(),
        stepMs,
        `reading ${adapter.name}'s capabilities (createDriver)`,
      );
      return run;
    } catch (error) {
      await run.close();
      throw error;
    }
  }

  /** The capabilities the adapter's driver declares. */
  get capabilities(): DriverCapabilities {
    if (!this.#capabilities) throw new Error('the run has not started');
    return this.#capabilities;
  }

  /** The URL the integration tier connects to, when prepared. */
  get url(): string | undefined {
    return this.#url;
  }

  /** The sentinel group, on the `sentinel` topology. */
  get sentinelGroup(): SentinelGroupHandle | undefined {
    return this.#group;
  }

  /** The private server, when the run started one (for restart cases). */
  get server(): RedisServerHandle | undefined {
    return this.#server;
  }

  /**
   * Unobserved rejections and uncaught exceptions that happened while the run was open but no
   * case was running (between cases, or in `close()`); each one is a failure of the run.
   */
  get strayFailures(): readonly unknown[] {
    return [...this.#stray, ...this.#scope.failures];
  }

  /** On a cluster run: every seed node's URL. */
  get nodes(): readonly string[] | undefined {
    return this.#nodes;
  }

  /** Why `testCase` cannot run against this adapter, or undefined when it can. */
  skipReason(testCase: ConformanceCase): string | undefined {
    if (testCase.topologies && !testCase.topologies.includes(this.topology)) {
      return `case applies to the ${testCase.topologies.join('/')} topology, this run is on '${this.topology}'`;
    }
    const missing = (testCase.requires ?? []).filter((capability) => !this.capabilities[capability]);
    if (missing.length > 0) {
      return `${this.adapter.name} does not declare the ${missing.map((name) => `'${name}'`).join(', ')} capability`;
    }
    if (
      testCase.tier === 'unit' &&
      testCase.transports &&
      !testCase.transports.includes(this.adapter.transport ?? 'resp')
    ) {
      return `case applies to the ${testCase.transports.join('/')} transport, ${this.adapter.name} speaks ${this.adapter.transport ?? 'resp'}`;
    }
    if (testCase.tier === 'integration' && !this.#url)
      return 'the integration tier was not prepared for this run';
    if (this.adapter.topology === 'cluster' && testCase.skipOnCluster !== undefined)
      return `not on a Redis Cluster: ${testCase.skipOnCluster}`;
    return undefined;
  }

  /**
   * Runs one case within its time limit, then its cleanups (each within `CLEANUP_TIMEOUT_MS`),
   * then caps the expiry of the keys it wrote; never throws. A passing case fails when a cleanup
   * failed or hung, or when a promise rejection nobody observed happened while it ran.
   */
  async runCase(testCase: ConformanceCase): Promise<CaseResult> {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const reason = this.skipReason(testCase);
    if (reason) return resultOf(testCase, 'skipped', 0, { reason });
    this.#stray.push(...this.#scope.take());
    const scope = openFailureScope();
    const cleanups: Cleanup[] = [];
    const notes: string[] = [];
    const limitMs = testCase.timeoutMs ?? DEFAULT_CASE_TIMEOUT_MS;
    let outcome:
      | { status: 'passed' }
      | { status: 'skipped'; reason: string }
      | { status: 'failed'; error: unknown };
    try {
      await withinTime(
        () =>
          testCase.tier === 'integration'
            ? this.#integrationContext(testCase, cleanups, notes).then((ctx) => testCase.run(ctx))
            : testCase.run(this.#unitContext(cleanups, notes)),
        limitMs,
        `case ${testCase.id}`,
      );
      outcome = { status: 'passed' };
    } catch (error) {
      outcome =
        error instanceof CaseSkipped
          ? { status: 'skipped', reason: error.reason }
          : { status: 'failed', error };
    }
    const cleanupErrors = await runCleanups(cleanups, this.#limits.cleanupMs);
    if (testCase.tier === 'integration') await this.#capCaseKeys(testCase);
    // The next case starts on a whole group: a primary with a replica in sync, whatever this one did.
    if (testCase.tier === 'integration' && this.#group) {
      const group = this.#group;
      try {
        await withinTime(() => group.restore(), this.#limits.stepMs, 'restoring the sentinel group');
      } catch (error) {
        cleanupErrors.push(error instanceof Error ? error : new Error(String(error)));
      }
    }
    await flushUnobserved();
    const unobserved = scope.close();
    if (outcome.status !== 'failed') {
      if (unobserved.length > 0) {
        outcome = { status: 'failed', error: unobservedFailure(unobserved, `while ${testCase.id} ran`) };
      } else if (cleanupErrors.length > 0) {
        const [first] = cleanupErrors;
        outcome = {
          status: 'failed',
          error: new Error(`the case's cleanup failed: ${first!.message}`, { cause: first }),
        };
      }
    }
    const noted = notes.length > 0 ? { notes: [...notes] } : {};
    if (outcome.status === 'passed') return resultOf(testCase, 'passed', elapsed(), noted);
    if (outcome.status === 'skipped')
      return resultOf(testCase, 'skipped', elapsed(), { reason: outcome.reason, ...noted });
    return resultOf(testCase, 'failed', elapsed(), { error: outcome.error, ...noted });
  }

  /**
   * Deletes this run's keys (SCAN + DEL under the run prefix, never FLUSHDB) and stops the server
   * it started; every step has a time limit, so a hung driver cannot hang the run. Never throws.
   */
  async close(): Promise<void> {
    const step = async (work: () => Promise<unknown> | undefined, what: string) => {
      try {
        await withinTime(async () => work(), this.#limits.stepMs, what);
      } catch {
        // Best effort: the keys carry an expiry anyway, and a server that is gone needs no stopping.
      }
    };
    if (this.#url) await step(() => this.#deleteRunKeys(), "deleting the run's keys");
    await step(
      () => this.#housekeeping?.then((house) => house.teardown()),
      'closing the housekeeping driver',
    );
    await step(() => this.#exposed?.close(), 'closing the exposed server');
    await step(() => this.#server?.stop(), 'stopping redis-server');
    await step(() => this.#cluster?.stop(), 'stopping the Redis Cluster');
    await step(() => this.#group?.stop(), 'stopping the sentinel group');
    await flushUnobserved();
    this.#stray.push(...this.#scope.close());
  }

  #house(): Promise<Housekeeping> {
    this.#housekeeping ??= (async () => {
      const { driver, teardown } = await createDriverFor(this.#housekeeper, this.#request(this.#url!));
      const redis = new RedisService(driver, {
        keyPrefix: this.runPrefix,
        commandTimeoutMs: CASE_COMMAND_TIMEOUT_MS,
      });
      return {
        redis,
        teardown: async () => {
          await redis.close().catch(() => {});
          await teardown().catch(() => {});
        },
      };
    })();
    return this.#housekeeping;
  }

  async #capCaseKeys(testCase: IntegrationCase): Promise<void> {
    try {
      await withinTime(
        async () => capKeyExpiry((await this.#house()).redis, KIT_KEY_TTL_MS, `${testCase.id}:*`),
        this.#limits.stepMs,
        `capping the expiry of ${testCase.id}'s keys`,
      );
    } catch {
      // Best effort (the server may be gone): the run deletes its keys at the end anyway.
    }
  }

  async #deleteRunKeys(): Promise<void> {
    await deleteKeys((await this.#house()).redis);
  }

  async #probeCapabilities(): Promise<DriverCapabilities> {
    // Any reachable endpoint will do: drivers declare capabilities without talking to the server.
    const fake = this.#url
      ? undefined
      : await startFakeServer(this.adapter.transport ?? 'resp', () => undefined);
    try {
      const { driver, teardown } = await createDriverFor(
        this.adapter,
        this.#url ? this.#request(this.#url) : { url: fake!.url },
      );
      const capabilities = { ...driver.capabilities };
      // A teardown that fails or hangs is reported by every case that creates a driver; here it
      // must not keep the run from starting.
      await withinTime(teardown, this.#limits.cleanupMs, 'the probe driver teardown').catch(() => {});
      return capabilities;
    } finally {
      await fake?.close();
    }
  }

  async #integrationContext(
    testCase: IntegrationCase,
    cleanups: Cleanup[],
    notes: string[],
  ): Promise<IntegrationContext> {
    // The run's own request: on a sentinel group, today's primary with the sentinels.
    const base = this.#request(this.#url!);
    const url = base.url;
    const prefix = `${this.runPrefix}${testCase.id}:`;
    const createDriver = async (request: Partial<DriverRequest> = {}) => {
      // Another address means another server (or a dead port): the run's cluster seeds or sentinels stay behind.
      const target = request.url === undefined ? base : { url: request.url };
      const created = await createDriverFor(this.adapter, { ...target, ...request });
      cleanups.push(created.teardown);
      return created.driver;
    };
    const serviceOver = (driver: RedisDriver, options: RedisServiceOptions) => {
      const service = new RedisService(driver, {
        keyPrefix: prefix,
        commandTimeoutMs: CASE_COMMAND_TIMEOUT_MS,
        ...options,
      });
      cleanups.push(() => service.close());
      return service;
    };
    const createService = async (
      options: RedisServiceOptions &
        Partial<Pick<DriverRequest, 'commandTimeoutMs' | 'nodes' | 'sentinel' | 'url'>> = {},
    ) => {
      const { url: target, nodes, sentinel, ...serviceOptions } = options;
      const driver = await createDriver({
        ...(target ? { url: target } : {}),
        ...(nodes ? { nodes } : {}),
        ...(sentinel ? { sentinel } : {}),
        ...(options.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: options.commandTimeoutMs }),
      });
      return serviceOver(driver, serviceOptions);
    };
    const driver = await createDriver();
    const redis = serviceOver(driver, {});
    const server = this.#server;
    const cluster = this.#cluster;
    const group = this.#group;
    return {
      adapter: this.adapter,
      redis,
      driver,
      prefix,
      url,
      ...(this.#nodes ? { nodes: this.#nodes } : {}),
      ...(cluster && !cluster.external ? { cluster } : {}),
      createService,
      createDriver,
      ...(server && !server.external
        ? {
            restartServer: async () => {
              await server.restart();
              announceConnectionsCut();
            },
          }
        : {}),
      topology: this.topology,
      ...(group ? { sentinel: controlOf(group) } : {}),
      skip: (reason: string) => {
        throw new CaseSkipped(reason);
      },
      defer: (cleanup) => {
        cleanups.push(cleanup);
      },
      note: (message) => {
        notes.push(message);
      },
    };
  }

  /**
   * The request for the run's own server, cluster or sentinel group at `url`: a cluster's seeds,
   * or the sentinels, travel with it.
   */
  #request(url: string): DriverRequest {
    if (url !== this.#url) return { url };
    if (this.#nodes) return { url, nodes: this.#nodes };
    if (this.#group) return { url: this.#group.primaryUrl, sentinel: endpointOf(this.#group) };
    return { url };
  }

  /** The run's topology: the adapter's (`AdapterUnderTest.topology`), `single` by default. */
  get topology(): Topology {
    return this.adapter.topology ?? 'single';
  }

  #unitContext(cleanups: Cleanup[], notes: string[]): UnitContext {
    const transport = this.adapter.transport ?? 'resp';
    return {
      adapter: this.adapter,
      fakeServer: async (script) => {
        const server = await startFakeServer(transport, script);
        cleanups.push(() => server.close());
        return server;
      },
      createDriver: async (request) => {
        const created = await createDriverFor(this.adapter, request);
        cleanups.push(created.teardown);
        return created.driver;
      },
      skip: (reason: string) => {
        throw new CaseSkipped(reason);
      },
      defer: (cleanup) => {
        cleanups.push(cleanup);
      },
      note: (message) => {
        notes.push(message);
      },
    };
  }
}

function endpointOf(group: SentinelGroupHandle): SentinelEndpoint {
  return { sentinels: group.sentinels, masterName: group.masterName };
}

function controlOf(group: SentinelGroupHandle): SentinelControl {
  return {
    ...endpointOf(group),
    failover: () => group.failover(),
    killPrimary: () => group.killPrimary(),
  };
}

/**
 * Whether `testCase` belongs to a run on `topology`. The runners leave out the cases of other
 * topologies (failovers need sentinels) rather than report them skipped in every other run.
 */
export function appliesToTopology(testCase: ConformanceCase, topology: Topology): boolean {
  return testCase.topologies === undefined || testCase.topologies.includes(topology);
}

/** The unit or integration cases among `cases`. */
export function casesOfTier<T extends Tier>(
  cases: readonly ConformanceCase[],
  tier: T,
): (T extends 'unit' ? UnitCase : IntegrationCase)[] {
  return cases.filter((testCase) => testCase.tier === tier) as (T extends 'unit'
    ? UnitCase
    : IntegrationCase)[];
}
