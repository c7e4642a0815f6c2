import { randomBytes } from 'node:crypto';
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
import { type RedisServerHandle, useRedisServer } from '../harness/redis-server.js';
import { type SentinelGroupHandle, startSentinelGroup } from '../harness/sentinel-group.js';
import { createDriverFor } from './created-driver.js';
import { startFakeServer } from './fake-server-for.js';
import { type CaseResult, resultOf } from './outcome.js';

/** Options of `ConformanceRun`. */
export interface ConformanceRunOptions {
  /** Tiers to prepare. Default both. */
  readonly tiers?: readonly Tier[];
  /** Use this Redis URL for the integration tier instead of `REDIS_URL` or a private server. */
  readonly redisUrl?: string;
  /**
   * The servers of the integration tier. Default `single`. `sentinel` starts a primary, one
   * replica and three sentinels of the run's own (`REDIS_URL` and `redisUrl` do not apply), asks
   * the adapter for sentinel-backed drivers, and puts the group back together after every case.
   */
  readonly topology?: Topology;
}

const DEFAULT_CASE_TIMEOUT_MS = 20_000;
/** Generous: a loaded 2-core CI machine must not turn a slow reply into a failure. */
const CASE_COMMAND_TIMEOUT_MS = 10_000;

/**
 * One run of the kit against one adapter: owns the Redis server (or bridge), the random key prefix
 * of the run, and the capabilities the adapter declared. Cases run one at a time through
 * `runCase`; `close()` deletes the run's keys (never FLUSHDB) and stops what the run started.
 */
export class ConformanceRun {
  readonly adapter: AdapterUnderTest;
  /** Every key this run writes starts with this. */
  readonly runPrefix: string;
  #server: RedisServerHandle | undefined;
  #exposed: ExposedServer | undefined;
  #capabilities: DriverCapabilities | undefined;
  #url: string | undefined;
  #group: SentinelGroupHandle | undefined;
  /** The run's topology. */
  readonly topology: Topology;

  private constructor(adapter: AdapterUnderTest, topology: Topology) {
    this.adapter = adapter;
    this.topology = topology;
    this.runPrefix = `rsk:${randomBytes(6).toString('hex')}:`;
  }

  /** Prepares a run: starts (or finds) the server for the integration tier and reads the adapter's capabilities. */
  static async start(
    adapter: AdapterUnderTest,
    options: ConformanceRunOptions = {},
  ): Promise<ConformanceRun> {
    const run = new ConformanceRun(adapter, options.topology ?? 'single');
    const tiers = options.tiers ?? ['unit', 'integration'];
    try {
      if (tiers.includes('integration') && run.topology === 'sentinel') {
        if (options.redisUrl) throw new Error('redisUrl does not apply to the sentinel topology');
        // An adapter without sentinel support skips every case (see skipReason): nothing to start.
        if (run.#supportsTopology()) {
          run.#group = await startSentinelGroup();
          run.#url = run.#group.primaryUrl;
        }
      } else if (tiers.includes('integration')) {
        let url = options.redisUrl;
        if (!url) {
          run.#server = await useRedisServer();
          url = run.#server.url;
        }
        run.#exposed = adapter.exposeServer ? await adapter.exposeServer(url) : undefined;
        run.#url = run.#exposed?.url ?? url;
      }
      run.#capabilities = await run.#probeCapabilities();
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

  /** Why `testCase` cannot run against this adapter, or undefined when it can. */
  skipReason(testCase: ConformanceCase): string | undefined {
    if (!this.#supportsTopology()) {
      return `${this.adapter.name} does not declare the '${this.topology}' topology`;
    }
    if (testCase.topologies && !testCase.topologies.includes(this.topology)) {
      return `case applies to the ${testCase.topologies.join('/')} topology, this run is on '${this.topology}'`;
    }
    const missing = (testCase.requires ?? []).filter((capability) => this.capabilities[capability] === false);
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
    return undefined;
  }

  /** What the run asks the adapter for when a case gives no URL of its own. */
  #defaultRequest(): DriverRequest {
    const group = this.#group;
    if (!group) return { url: this.#url! };
    return { url: group.primaryUrl, sentinel: endpointOf(group) };
  }

  #supportsTopology(): boolean {
    return (this.adapter.topologies ?? ['single']).includes(this.topology);
  }

  /** Runs one case with its time limit and cleanup; never throws. */
  async runCase(testCase: ConformanceCase): Promise<CaseResult> {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const reason = this.skipReason(testCase);
    if (reason) return resultOf(testCase, 'skipped', 0, { reason });
    const cleanups: (() => Promise<void> | void)[] = [];
    const notes: string[] = [];
    const noted = () => (notes.length > 0 ? { notes: [...notes] } : {});
    try {
      const body =
        testCase.tier === 'integration'
          ? this.#integrationContext(testCase, cleanups, notes).then((ctx) => testCase.run(ctx))
          : testCase.run(this.#unitContext(cleanups, notes));
      await withTimeout(body, testCase.timeoutMs ?? DEFAULT_CASE_TIMEOUT_MS, testCase.id);
      return resultOf(testCase, 'passed', elapsed(), noted());
    } catch (error) {
      if (error instanceof CaseSkipped)
        return resultOf(testCase, 'skipped', elapsed(), { reason: error.reason, ...noted() });
      return resultOf(testCase, 'failed', elapsed(), { error, ...noted() });
    } finally {
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch {
          // A failing cleanup must not hide the case's own result.
        }
      }
      // The next case starts on a whole group: a primary with a replica in sync, whatever this one did.
      if (testCase.tier === 'integration') await this.#group?.restore();
    }
  }

  /** Deletes this run's keys (SCAN + DEL under the run prefix, never FLUSHDB) and stops the server it started. */
  async close(): Promise<void> {
    try {
      if (this.#url) await this.#deleteRunKeys(this.#defaultRequest());
    } finally {
      await this.#exposed?.close();
      await this.#server?.stop();
      await this.#group?.stop();
    }
  }

  async #deleteRunKeys(request: DriverRequest): Promise<void> {
    const { driver, teardown } = await createDriverFor(this.adapter, request);
    const redis = new RedisService(driver, { keyPrefix: this.runPrefix });
    try {
      let batch: string[] = [];
      for await (const key of redis.scan({ count: 500 })) {
        batch.push(key);
        if (batch.length >= 500) {
          await redis.delete(...batch);
          batch = [];
        }
      }
      if (batch.length > 0) await redis.delete(...batch);
    } catch {
      // Best effort: a run whose server is gone has nothing left to delete.
    } finally {
      await redis.close().catch(() => {});
      await teardown().catch(() => {});
    }
  }

  async #probeCapabilities(): Promise<DriverCapabilities> {
    // Any reachable endpoint will do: drivers declare capabilities without talking to the server.
    const fake = this.#url
      ? undefined
      : await startFakeServer(this.adapter.transport ?? 'resp', () => undefined);
    try {
      const request = this.#url ? this.#defaultRequest() : { url: fake!.url };
      const { driver, teardown } = await createDriverFor(this.adapter, request);
      const capabilities = { ...driver.capabilities };
      await teardown();
      return capabilities;
    } finally {
      await fake?.close();
    }
  }

  async #integrationContext(
    testCase: IntegrationCase,
    cleanups: (() => Promise<void> | void)[],
    notes: string[],
  ): Promise<IntegrationContext> {
    const base = this.#defaultRequest();
    const url = base.url;
    const prefix = `${this.runPrefix}${testCase.id}:`;
    const createDriver = async (request: Partial<DriverRequest> = {}) => {
      // A URL of the case's own (a closed port) is a single server, not the run's sentinels.
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
        Partial<Pick<DriverRequest, 'commandTimeoutMs' | 'sentinel' | 'url'>> = {},
    ) => {
      const { url: target, sentinel, ...serviceOptions } = options;
      const driver = await createDriver({
        ...(target ? { url: target } : {}),
        ...(sentinel ? { sentinel } : {}),
        ...(options.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: options.commandTimeoutMs }),
      });
      return serviceOver(driver, serviceOptions);
    };
    const driver = await createDriver();
    const redis = serviceOver(driver, {});
    const server = this.#server;
    const group = this.#group;
    return {
      adapter: this.adapter,
      redis,
      driver,
      prefix,
      url,
      createService,
      createDriver,
      ...(server && !server.external ? { restartServer: () => server.restart() } : {}),
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

  #unitContext(cleanups: (() => Promise<void> | void)[], notes: string[]): UnitContext {
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

function withTimeout(promise: Promise<void>, ms: number, id: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`case ${id} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
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
