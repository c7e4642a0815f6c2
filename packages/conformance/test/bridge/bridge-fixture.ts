import { Redis, type RedisConfigNodejs } from '@upstash/redis';
import { afterAll, beforeAll } from 'vitest';
import { startUpstashBridge, type UpstashBridge, type UpstashBridgeOptions } from '../../src/bridge/index.js';
import { type RedisServerHandle, startRedisServer } from '../../src/harness/index.js';

/** A private redis-server with a bridge in front of it, for the tests of one file. */
export interface BridgeFixture {
  readonly server: RedisServerHandle;
  readonly bridge: UpstashBridge;
}

/** Starts the server and the bridge before the file's tests and stops them after. */
export function useBridge(options: Omit<UpstashBridgeOptions, 'redisUrl'> = {}): BridgeFixture {
  let server: RedisServerHandle | undefined;
  let bridge: UpstashBridge | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
    bridge = await startUpstashBridge({ ...options, redisUrl: server.url });
  });
  afterAll(async () => {
    await bridge?.close();
    await server?.stop();
  });
  return {
    get server() {
      if (!server) throw new Error('the fixture starts in beforeAll');
      return server;
    },
    get bridge() {
      if (!bridge) throw new Error('the fixture starts in beforeAll');
      return bridge;
    },
  };
}

/** The raw client as an application would build it, minus what would hide the wire. */
export function rawClient(bridge: UpstashBridge, overrides: Partial<RedisConfigNodejs> = {}): Redis {
  return new Redis({
    url: bridge.url,
    token: bridge.token,
    automaticDeserialization: false,
    enableAutoPipelining: false,
    enableTelemetry: false,
    retry: false,
    ...overrides,
  });
}
