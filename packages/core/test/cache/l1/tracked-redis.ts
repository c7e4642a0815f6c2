import {
  type BatchItemResult,
  type DedicatedConnection,
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
import { type Deferred, deferred } from '../../support/deferred.js';
import { MemoryStore } from '../memory-redis.js';

const text = (arg: RedisArg): string => (typeof arg === 'string' ? arg : String(arg));

interface Tracker {
  readonly prefixes: readonly string[];
  deliver(keys: string[] | null): void;
}

/**
 * The memory keyspace with what an L1 needs of Redis: hashes, DEL, EXPIRE, FLUSHDB, and BCAST
 * tracking (every write to a key under a tracker's prefixes is pushed to it, on a later tick, or
 * held while `holdInvalidations`). Keys that merely expire send nothing: real Redis notices an
 * expiry only when it gets to the key, and the L1 must not rely on it.
 */
export class TrackedStore extends MemoryStore {
  readonly #strings = new Set<string>();
  readonly #hashes = new Map<string, Map<string, string>>();
  readonly trackers = new Set<Tracker>();
  /** While set, invalidations wait in `held` until `releaseInvalidations()`. */
  holdInvalidations = false;
  readonly #held: (() => void)[] = [];

  override set(key: string, value: string, ms?: number): void {
    super.set(key, value, ms);
    this.#strings.add(key);
    this.touched([key]);
  }

  /** Deletes `key`, whatever it holds; like Redis, only a key that existed is invalidated. */
  override delete(key: string): boolean {
    const existed = this.get(key) !== null || this.#hashes.has(key);
    super.delete(key);
    this.#hashes.delete(key);
    if (existed) this.touched([key]);
    return existed;
  }

  override run(command: RedisCommand): RedisReply {
    const [name, ...rest] = command.map(text);
    switch (name?.toUpperCase()) {
      case 'DEL':
      case 'HSET':
      case 'HGETALL':
      case 'EXPIRE':
      case 'PEXPIRE':
      case 'FLUSHDB':
      case 'PUBLISH':
        this.log.push(command);
        if (this.down) throw this.down;
        return this.#run(name.toUpperCase(), rest);
      case 'PTTL':
        if (this.#hashes.has(rest[0]!)) {
          this.log.push(command);
          return -1;
        }
        return super.run(command);
      default:
        return super.run(command);
    }
  }

  #run(name: string, rest: string[]): RedisReply {
    switch (name) {
      case 'DEL':
        return rest.filter((key) => this.delete(key)).length;
      case 'HSET': {
        const [key, ...pairs] = rest;
        const hash = this.#hashes.get(key!) ?? new Map<string, string>();
        this.#hashes.set(key!, hash);
        for (let i = 0; i < pairs.length; i += 2) hash.set(pairs[i]!, pairs[i + 1]!);
        this.touched([key!]);
        return pairs.length / 2;
      }
      case 'HGETALL':
        return [...(this.#hashes.get(rest[0]!) ?? new Map<string, string>())].flat();
      case 'EXPIRE':
      case 'PEXPIRE': {
        const value = this.get(rest[0]!);
        if (value === null) return 0;
        this.set(rest[0]!, value, Number(rest[1]) * (name === 'EXPIRE' ? 1000 : 1));
        return 1;
      }
      case 'FLUSHDB':
        for (const key of this.#strings) super.delete(key);
        this.#hashes.clear();
        this.#push((tracker) => tracker.deliver(null));
        return 'OK';
      case 'PUBLISH':
        return this.publish(rest[0]!, rest[1]!);
      default:
        throw new Error(`unreachable: ${name}`);
    }
  }

  /** A write to `keys`: every tracker whose prefixes match hears of it. */
  touched(keys: string[]): void {
    for (const tracker of this.trackers) {
      const matching = keys.filter((key) => tracker.prefixes.some((prefix) => key.startsWith(prefix)));
      if (matching.length > 0) this.#push((t) => t.deliver(matching), tracker);
    }
  }

  /** Delivers the held invalidations, in order. */
  releaseInvalidations(): void {
    this.holdInvalidations = false;
    for (const deliver of this.#held.splice(0)) deliver();
  }

  #push(deliver: (tracker: Tracker) => void, only?: Tracker): void {
    for (const tracker of only ? [only] : this.trackers) {
      const run = () => {
        if (this.trackers.has(tracker)) deliver(tracker);
      };
      if (this.holdInvalidations) this.#held.push(run);
      else setTimeout(run, 0);
    }
  }
}

/** The invalidation connection of a `TrackedDriver`: CLIENT TRACKING, then `listenForInvalidations`. */
export class FakeListener implements DedicatedConnection {
  readonly clientId: number;
  readonly ended: Promise<Error | undefined>;
  readonly sent: RedisCommand[] = [];
  #end!: (error: Error | undefined) => void;
  #closed = false;
  #tracker: Tracker | undefined;
  #onInvalidate: ((keys: readonly string[] | null) => void) | undefined;
  readonly #store: TrackedStore;

  constructor(store: TrackedStore, clientId: number) {
    this.#store = store;
    this.clientId = clientId;
    this.ended = new Promise((resolve) => {
      this.#end = resolve;
    });
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  async send(command: RedisCommand): Promise<RedisReply> {
    this.sent.push(command);
    if (this.#closed) throw new RedisConnectionError('the listener is gone');
    const [name, sub, on, ...rest] = command.map(text);
    if (name === 'PING') return ['pong', ''];
    if (name !== 'CLIENT' || sub !== 'TRACKING' || on !== 'ON')
      throw new Error(`unexpected ${command.join(' ')}`);
    const prefixes: string[] = [];
    for (let i = 0; i < rest.length; i++) if (rest[i] === 'PREFIX') prefixes.push(rest[++i]!);
    this.#tracker = {
      prefixes: prefixes.length > 0 ? prefixes : [''],
      deliver: (keys) => this.#onInvalidate?.(keys),
    };
    this.#store.trackers.add(this.#tracker);
    return 'OK';
  }

  batch(): Promise<BatchItemResult[]> {
    return Promise.reject(new Error('not on a listener'));
  }

  async listenForInvalidations(onInvalidate: (keys: readonly string[] | null) => void): Promise<void> {
    this.#onInvalidate = onInvalidate;
  }

  /** The server dropped the connection (CLIENT KILL, a network failure). */
  kill(): void {
    this.#finish(new RedisConnectionError('the listener connection was killed'));
  }

  async close(): Promise<void> {
    this.#finish(undefined);
  }

  #finish(error: Error | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#tracker) this.#store.trackers.delete(this.#tracker);
    this.#end(error);
  }
}

/** Options of `TrackedDriver`. */
export interface TrackedDriverOptions {
  /** Declare `tracking` (default true). */
  readonly tracking?: boolean;
  /** Declare and implement `pubsub` (default true). */
  readonly pubsub?: boolean;
  /** Extra capabilities (e.g. `{ cluster: true }`). */
  readonly capabilities?: Record<string, unknown>;
}

let nextClientId = 100;

/** A driver over a `TrackedStore`: shared-connection commands, listeners, subscriptions with interruptions. */
export class TrackedDriver implements RedisDriver {
  readonly name = 'tracked-memory';
  readonly capabilities: DriverCapabilities;
  readonly store: TrackedStore;
  readonly listeners: FakeListener[] = [];
  /** When set, `openDedicated` rejects with it. */
  refuseListeners: Error | undefined;
  /** When set, every batch's replies wait for it (the commands have already run). */
  replyGate: Deferred<void> | undefined;
  readonly #interruptions = new Set<(event: 'lost' | 'restored') => void>();

  constructor(store: TrackedStore, options: TrackedDriverOptions = {}) {
    this.store = store;
    this.capabilities = {
      transactions: true,
      scripting: true,
      pubsub: options.pubsub ?? true,
      binary: false,
      blocking: true,
      search: false,
      exactIntegers: true,
      tracking: options.tracking ?? true,
      ...options.capabilities,
    } as DriverCapabilities;
  }

  /** The listener opened last. */
  get listener(): FakeListener | undefined {
    return this.listeners[this.listeners.length - 1];
  }

  /** Holds the replies of the next batches until `release()`. */
  holdReplies(): { release(): void } {
    const gate = deferred<void>();
    this.replyGate = gate;
    return {
      release: () => {
        if (this.replyGate === gate) this.replyGate = undefined;
        gate.resolve();
      },
    };
  }

  async send(command: RedisCommand): Promise<RedisReply> {
    await Promise.resolve();
    return this.store.run(command);
  }

  async batch(commands: readonly RedisCommand[]): Promise<BatchItemResult[]> {
    const items = commands.map((command): BatchItemResult => {
      try {
        return { ok: true, value: this.store.run(command) };
      } catch (error) {
        return { ok: false, error: error as Error };
      }
    });
    await this.replyGate?.promise;
    return items;
  }

  evalScript(script: LuaScript, keys: readonly RedisArg[], args: readonly RedisArg[]): Promise<RedisReply> {
    return this.send(['EVALSHA', script.sha1, keys.length, ...keys, ...args]);
  }

  async subscribe(
    target: { readonly channels?: readonly string[] },
    onMessage: (message: DriverMessage) => void,
    onInterruption?: (event: 'lost' | 'restored') => void,
  ): Promise<DriverSubscription> {
    if (this.store.down) throw new RedisConnectionError('memory store is down');
    const stops = (target.channels ?? []).map((channel) => this.store.subscribe(channel, onMessage));
    if (onInterruption) this.#interruptions.add(onInterruption);
    return {
      unsubscribe: async () => {
        for (const stop of stops) stop();
        if (onInterruption) this.#interruptions.delete(onInterruption);
      },
    };
  }

  /** Reports a subscriber connection interruption to every subscription. */
  interrupt(event: 'lost' | 'restored'): void {
    for (const listener of this.#interruptions) listener(event);
  }

  async openDedicated(): Promise<DedicatedConnection> {
    await Promise.resolve();
    if (this.refuseListeners) throw this.refuseListeners;
    const listener = new FakeListener(this.store, nextClientId++);
    this.listeners.push(listener);
    return listener;
  }

  async close(): Promise<void> {}
}
