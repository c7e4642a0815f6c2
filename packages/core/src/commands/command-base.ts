import type { RedisCommand, RedisReply } from '../port/reply.js';
import type { ServiceCore } from '../service/service-core.js';
import { requireKey } from './validate.js';

/**
 * The root of the typed command groups. Every single-command method calls `call()` exactly once,
 * synchronously, with a builder that validates its input: this one rule lets a pipeline or a
 * transaction record the same methods in order (see `BatchRecorder`) instead of repeating them.
 */
export abstract class CommandBase {
  /** @internal */
  protected readonly core: ServiceCore;
  readonly #prefix: string;

  /** @internal */
  constructor(core: ServiceCore) {
    this.core = core;
    this.#prefix = core.options.keyPrefix;
  }

  /**
   * Validates a key and applies the key prefix.
   * @internal
   */
  protected key(key: string): string {
    return this.#prefix + requireKey(key);
  }

  /**
   * Validates and prefixes a list of keys.
   * @internal
   */
  protected keys(keys: readonly string[]): string[] {
    return keys.map((key) => this.key(key));
  }

  /**
   * Removes the key prefix from a key the server returned.
   * @internal
   */
  protected unprefix(key: string): string {
    return this.#prefix && key.startsWith(this.#prefix) ? key.slice(this.#prefix.length) : key;
  }

  /**
   * Builds, sends and decodes one command. A builder that throws (bad input) becomes a rejected
   * promise and nothing is sent. A builder may return a promise (async schema validation).
   * @internal
   */
  protected call<T>(
    build: () => RedisCommand | Promise<RedisCommand>,
    decode: (reply: RedisReply) => T | PromiseLike<T>,
    binary = false,
  ): Promise<T> {
    let command: RedisCommand | Promise<RedisCommand>;
    try {
      command = build();
    } catch (error) {
      command = Promise.reject(error);
    }
    return this.dispatch(command, binary, decode);
  }

  /**
   * Sends a built command and decodes its reply. Overridden by the batch recorder, which queues
   * instead. Decoding rides on the executor's own settle step: no extra promise per command.
   * @internal
   */
  protected dispatch<T>(
    command: RedisCommand | Promise<RedisCommand>,
    binary: boolean,
    decode: (reply: RedisReply) => T | PromiseLike<T>,
  ): Promise<T> {
    if (command instanceof Promise)
      return command.then((built) => this.core.send(built, binary, undefined, decode));
    return this.core.send(command, binary, undefined, decode);
  }
}
