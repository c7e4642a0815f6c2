import {
  type BatchItemResult,
  type BatchOptions,
  type DriverCapabilities,
  evalWithFallback,
  type LuaScript,
  type RedisArg,
  RedisClosedError,
  type RedisCommand,
  type RedisDriver,
  type RedisReply,
  type SendOptions,
} from '@redis-service/core';
import { type Deferred, deferred } from './deferred.js';

/**
 * How the fake answers one command: a reply value, a server error, a promise that never settles,
 * or a deferred the test settles by hand.
 */
export type Scripted =
  | { readonly kind: 'value'; readonly value: RedisReply }
  | { readonly kind: 'error'; readonly error: Error }
  | { readonly kind: 'never' }
  | { readonly kind: 'deferred'; readonly deferred: Deferred<RedisReply> };

/** How the fake answers a whole batch, when a test scripts it as one unit. */
export type ScriptedBatch =
  | { readonly kind: 'items'; readonly items: BatchItemResult[] }
  | { readonly kind: 'error'; readonly error: Error }
  | { readonly kind: 'never' }
  | { readonly kind: 'deferred'; readonly deferred: Deferred<BatchItemResult[]> };

/** One call the fake received, in arrival order. */
export type RecordedCall =
  | { readonly method: 'send'; readonly command: RedisCommand; readonly options: SendOptions | undefined }
  | { readonly method: 'batch'; readonly commands: readonly RedisCommand[]; readonly options: BatchOptions };

/** Options of `FakeDriver`. */
export interface FakeDriverOptions {
  readonly name?: string;
  /** Overrides of the default manifest, which declares every capability. */
  readonly capabilities?: Partial<DriverCapabilities>;
  /** Answers a command nothing was scripted for. Default: `'OK'`. */
  readonly respond?: (command: RedisCommand) => RedisReply;
}

const ALL_CAPABILITIES: DriverCapabilities = {
  transactions: true,
  scripting: true,
  pubsub: false,
  binary: true,
  blocking: true,
  search: false,
  exactIntegers: true,
  cluster: false,
  shardedPubsub: false,
};

const never = new Promise<never>(() => {});

/**
 * A scripted in-memory `RedisDriver`: records every command it is given and answers from a queue
 * of scripted outcomes (one per command, batches included), falling back to `respond`.
 */
export class FakeDriver implements RedisDriver {
  readonly name: string;
  readonly capabilities: DriverCapabilities;
  /** Every `send` and `batch` call, in arrival order. */
  readonly calls: RecordedCall[] = [];
  /** How many times `close()` was called. */
  closeCount = 0;
  readonly #respond: (command: RedisCommand) => RedisReply;
  readonly #replies: Scripted[] = [];
  readonly #batches: ScriptedBatch[] = [];

  constructor(options: FakeDriverOptions = {}) {
    this.name = options.name ?? 'fake';
    this.capabilities = { ...ALL_CAPABILITIES, ...options.capabilities };
    this.#respond = options.respond ?? (() => 'OK');
  }

  /** Every command received, batches flattened, in arrival order. */
  get sent(): RedisCommand[] {
    return this.calls.flatMap((call) => (call.method === 'send' ? [call.command] : call.commands));
  }

  /** Queues reply values for the next commands. */
  reply(...values: RedisReply[]): this {
    for (const value of values) this.#replies.push({ kind: 'value', value });
    return this;
  }

  /** Queues an error for the next command. */
  fail(error: Error): this {
    this.#replies.push({ kind: 'error', error });
    return this;
  }

  /** Makes the next `count` commands never settle. */
  hang(count = 1): this {
    for (let i = 0; i < count; i++) this.#replies.push({ kind: 'never' });
    return this;
  }

  /** Queues a reply the test settles by hand, and returns it. */
  defer(): Deferred<RedisReply> {
    const handle = deferred<RedisReply>();
    this.#replies.push({ kind: 'deferred', deferred: handle });
    return handle;
  }

  /** Scripts the next batch as a whole (fewer results, a rejection, a hang, ...). */
  scriptBatch(outcome: ScriptedBatch): this {
    this.#batches.push(outcome);
    return this;
  }

  send(command: RedisCommand, options?: SendOptions): Promise<RedisReply> {
    this.calls.push({ method: 'send', command: [...command], options });
    if (this.closeCount > 0) return Promise.reject(new RedisClosedError('fake driver is closed'));
    const scripted = this.#replies.shift();
    if (!scripted) return this.#fallback(command);
    switch (scripted.kind) {
      case 'value':
        return Promise.resolve(scripted.value);
      case 'error':
        return Promise.reject(scripted.error);
      case 'never':
        return never;
      case 'deferred':
        return scripted.deferred.promise;
    }
  }

  async batch(commands: readonly RedisCommand[], options: BatchOptions): Promise<BatchItemResult[]> {
    this.calls.push({ method: 'batch', commands: commands.map((command) => [...command]), options });
    if (this.closeCount > 0) throw new RedisClosedError('fake driver is closed');
    const whole = this.#batches.shift();
    if (whole) {
      switch (whole.kind) {
        case 'items':
          return whole.items;
        case 'error':
          throw whole.error;
        case 'never':
          return never;
        case 'deferred':
          return whole.deferred.promise;
      }
    }
    const items: BatchItemResult[] = [];
    for (const command of commands) {
      const scripted = this.#replies.shift();
      if (!scripted) items.push(await this.#fallback(command).then((value) => ({ ok: true, value })));
      else if (scripted.kind === 'value') items.push({ ok: true, value: scripted.value });
      else if (scripted.kind === 'error') items.push({ ok: false, error: scripted.error });
      else if (scripted.kind === 'never') return never;
      else items.push({ ok: true, value: await scripted.deferred.promise });
    }
    return items;
  }

  evalScript(
    script: LuaScript,
    keys: readonly RedisArg[],
    args: readonly RedisArg[],
    options?: SendOptions,
  ): Promise<RedisReply> {
    return evalWithFallback(
      (command, sendOptions) => this.send(command, sendOptions),
      script,
      keys,
      args,
      options,
    );
  }

  close(): Promise<void> {
    this.closeCount++;
    return Promise.resolve();
  }

  #fallback(command: RedisCommand): Promise<RedisReply> {
    try {
      return Promise.resolve(this.#respond(command));
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
