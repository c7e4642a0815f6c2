import {
  type BatchItemResult,
  type DriverCapabilities,
  type DriverMessage,
  type DriverSubscription,
  type LuaScript,
  type RedisArg,
  type RedisCommand,
  RedisConnectionError,
  type RedisDriver,
  type RedisReply,
} from '@redis-service/core';
import {
  ACQUIRE_SCRIPT,
  COMPLETE_SCRIPT,
  EXTEND_SCRIPT,
  FAIL_SCRIPT,
  TRY_LOCK_SCRIPT,
} from '../../src/cache/lease-scripts.js';

interface Entry {
  value: string;
  expiresAt: number;
}

type ScriptBody = (store: MemoryStore, keys: string[], args: string[]) => RedisReply;

/** The getOrCompute scripts, written again in JS over the store (the kit runs the Lua on real Redis). */
const SCRIPTS: Record<string, ScriptBody> = {
  [ACQUIRE_SCRIPT.sha1]: (store, [value, lock, error], [token, ms, waited]) => {
    const v = store.get(value!);
    if (v !== null) return ['v', v];
    if (waited !== '') {
      const e = store.get(error!);
      if (e?.startsWith(`${waited}\n`)) return ['err', e];
    }
    if (store.setNx(lock!, token!, Number(ms))) {
      store.delete(error!);
      return ['own'];
    }
    return ['wait', store.get(lock!) ?? '', store.pttl(lock!)];
  },
  [TRY_LOCK_SCRIPT.sha1]: (store, [lock], [token, ms]) => (store.setNx(lock!, token!, Number(ms)) ? 1 : 0),
  [COMPLETE_SCRIPT.sha1]: (store, [value, lock], [token, entry, ms, channel]) => {
    if (store.get(lock!) !== token) return 0;
    store.set(value!, entry!, Number(ms));
    store.delete(lock!);
    store.publish(channel!, `v\n${token}\n${entry}`);
    return 1;
  },
  [FAIL_SCRIPT.sha1]: (
    store,
    [value, lock, error],
    [token, json, capMs, channel, negative, negativeMs, graceMs],
  ) => {
    if (store.get(lock!) !== token) return 0;
    if (negative !== '') {
      store.set(value!, negative!, Number(negativeMs));
    } else {
      const left = Math.min(store.pttl(lock!), Number(capMs));
      store.set(error!, `${token}\n${json}`, left + Number(graceMs));
    }
    store.delete(lock!);
    store.publish(channel!, `err\n${token}\n${json}`);
    return 1;
  },
  [EXTEND_SCRIPT.sha1]: (store, [lock], [token, ms]) => {
    if (store.get(lock!) !== token) return 0;
    store.set(lock!, token!, Number(ms));
    return 1;
  },
};

/** A tiny shared keyspace with expiry and pub/sub: what several drivers ("processes") talk to. */
export class MemoryStore {
  readonly #data = new Map<string, Entry>();
  readonly #subscribers = new Map<string, Set<(message: DriverMessage) => void>>();
  /** Every command any driver sent, in order. */
  readonly log: RedisCommand[] = [];
  /** When set, every command fails with this (Redis "down"). */
  down: Error | undefined;

  get(key: string): string | null {
    const entry = this.#data.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= Date.now()) {
      this.#data.delete(key);
      return null;
    }
    return entry.value;
  }

  set(key: string, value: string, ms?: number): void {
    this.#data.set(key, { value, expiresAt: ms === undefined ? Number.POSITIVE_INFINITY : Date.now() + ms });
  }

  setNx(key: string, value: string, ms: number): boolean {
    if (this.get(key) !== null) return false;
    this.set(key, value, ms);
    return true;
  }

  pttl(key: string): number {
    const entry = this.#data.get(key);
    return entry && this.get(key) !== null ? entry.expiresAt - Date.now() : -2;
  }

  delete(key: string): void {
    this.#data.delete(key);
  }

  publish(channel: string, message: string): number {
    const listeners = this.#subscribers.get(channel) ?? new Set();
    // Delivered on a later tick, as a real server's push would be.
    for (const listener of listeners) setTimeout(() => listener({ channel, message }), 0);
    return listeners.size;
  }

  subscribe(channel: string, listener: (message: DriverMessage) => void): () => void {
    const listeners = this.#subscribers.get(channel) ?? new Set();
    this.#subscribers.set(channel, listeners);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** How many listeners a channel has. */
  subscriberCount(channel: string): number {
    return this.#subscribers.get(channel)?.size ?? 0;
  }

  run(command: RedisCommand): RedisReply {
    this.log.push(command);
    if (this.down) throw this.down;
    const [name, ...rest] = command.map((arg) => (typeof arg === 'string' ? arg : String(arg)));
    switch (name?.toUpperCase()) {
      case 'GET':
        return this.get(rest[0]!);
      case 'SET':
        this.set(rest[0]!, rest[1]!, rest[2] === 'PX' ? Number(rest[3]) : undefined);
        return 'OK';
      case 'PTTL':
        return this.pttl(rest[0]!);
      case 'EVALSHA': {
        const body = SCRIPTS[rest[0]!];
        if (!body) throw new Error(`the memory store does not know script ${rest[0]}`);
        const count = Number(rest[1]);
        return body(this, rest.slice(2, 2 + count), rest.slice(2 + count));
      }
      default:
        throw new Error(`the memory store does not implement ${name}`);
    }
  }
}

/** A driver over a `MemoryStore`; with `pubsub` it declares and implements subscriptions. */
export class MemoryDriver implements RedisDriver {
  readonly name = 'memory';
  readonly capabilities: DriverCapabilities;
  readonly store: MemoryStore;

  constructor(store: MemoryStore, options: { readonly pubsub?: boolean } = {}) {
    this.store = store;
    this.capabilities = {
      transactions: false,
      scripting: true,
      pubsub: options.pubsub ?? false,
      binary: false,
      blocking: false,
      search: false,
      exactIntegers: true,
      cluster: false,
      shardedPubsub: false,
    };
  }

  async send(command: RedisCommand): Promise<RedisReply> {
    await Promise.resolve();
    return this.store.run(command);
  }

  async batch(commands: readonly RedisCommand[]): Promise<BatchItemResult[]> {
    return commands.map((command) => {
      try {
        return { ok: true, value: this.store.run(command) };
      } catch (error) {
        return { ok: false, error: error as Error };
      }
    });
  }

  evalScript(script: LuaScript, keys: readonly RedisArg[], args: readonly RedisArg[]): Promise<RedisReply> {
    return this.send(['EVALSHA', script.sha1, keys.length, ...keys, ...args]);
  }

  async subscribe(
    target: { readonly channels?: readonly string[] },
    onMessage: (message: DriverMessage) => void,
  ): Promise<DriverSubscription> {
    if (this.store.down) throw new RedisConnectionError('memory store is down');
    const stops = (target.channels ?? []).map((channel) => this.store.subscribe(channel, onMessage));
    return {
      unsubscribe: async () => {
        for (const stop of stops) stop();
      },
    };
  }

  async close(): Promise<void> {}
}
