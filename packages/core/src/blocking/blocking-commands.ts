import { LIST_ENDS, type ListEnd } from '../commands/lists.js';
import { RedisCommands } from '../commands/redis-commands.js';
import { parseScore, type ScoredMember } from '../commands/replies.js';
import { describe, requireFinite, requireNonEmpty, requirePositiveInteger } from '../commands/validate.js';
import { RedisSerializationError, RedisValidationError } from '../errors/redis-error.js';
import { numericArgText } from '../port/arg-text.js';
import type { RedisArg, RedisCommand, RedisReply } from '../port/reply.js';

/** Options of every blocking command. */
export interface BlockingOptions {
  /**
   * Ends the wait early with `CLIENT UNBLOCK`. An element that reached the command before the
   * unblock did is still delivered (the call resolves with it); otherwise the call rejects with
   * `RedisAbortedError` and nothing was taken.
   */
  readonly signal?: AbortSignal;
}

/** Options of `blmpop` and `bzmpop`. */
export interface BlockingMultiPopOptions extends BlockingOptions {
  /** The most elements to pop from the first non-empty key. Default 1. */
  readonly count?: number;
}

/** What `blpop` and `brpop` resolve with: the key (without the key prefix) and the element taken from it. */
export interface PoppedElement {
  readonly key: string;
  readonly element: string;
}

/** What `blmpop` resolves with: the key (without the key prefix) and the elements taken from it, in pop order. */
export interface PoppedElements {
  readonly key: string;
  readonly elements: string[];
}

/** What `bzpopmin` and `bzpopmax` resolve with: the key (without the key prefix), the member and its score. */
export interface PoppedMember {
  readonly key: string;
  readonly member: string;
  readonly score: number;
}

/** What `bzmpop` resolves with: the key (without the key prefix) and the members taken from it, in pop order. */
export interface PoppedMembers {
  readonly key: string;
  readonly members: ScoredMember[];
}

const SCORE_ENDS: readonly string[] = ['MIN', 'MAX'];

function unexpected(what: string): never {
  throw new RedisSerializationError(`unexpected reply to ${what}`);
}

function text(reply: RedisReply | undefined, what: string): string {
  return typeof reply === 'string' ? reply : unexpected(what);
}

function requireEnd(value: unknown, ends: readonly string[], what: string): string {
  if (typeof value !== 'string' || !ends.includes(value)) {
    throw new RedisValidationError(
      `${what} must be ${ends.map((end) => `'${end}'`).join(' or ')}, got ${describe(value)}`,
    );
  }
  return value;
}

/** A blocking timeout in seconds: finite, >= 0 (`0` waits until an element arrives). */
function requireTimeout(seconds: unknown): number {
  const value = requireFinite(seconds, 'timeoutSeconds');
  if (value < 0) throw new RedisValidationError(`timeoutSeconds must be >= 0, got ${value}`);
  return value;
}

/**
 * The blocking commands: each waits on a dedicated connection of the service (never on the shared
 * one, so it delays no other caller) until an element arrives, its server-side timeout passes
 * (`null`), its `signal` fires or the service closes. They hold a connection while they wait, so
 * they are not offered inside pipelines or transactions. Need the `blocking` capability.
 */
export abstract class BlockingCommands extends RedisCommands {
  /**
   * Pops the first element of the first non-empty list among `keys`, waiting up to
   * `timeoutSeconds` (fractions allowed, `0` waits until one arrives) when all are empty.
   * Resolves with the key and the element, or `null` when the timeout passed.
   *
   * ```ts
   * const job = await redis.blpop(['jobs:high', 'jobs:low'], 5);
   * if (job) console.log(job.key, job.element);
   * ```
   */
  blpop(
    keys: string | readonly string[],
    timeoutSeconds: number,
    options?: BlockingOptions,
  ): Promise<PoppedElement | null> {
    return this.#pop('BLPOP', keys, timeoutSeconds, options);
  }

  /** Like `blpop`, from the tail of the list. */
  brpop(
    keys: string | readonly string[],
    timeoutSeconds: number,
    options?: BlockingOptions,
  ): Promise<PoppedElement | null> {
    return this.#pop('BRPOP', keys, timeoutSeconds, options);
  }

  /**
   * Moves an element from one end of `source` to one end of `destination` (the same list rotates
   * it), waiting up to `timeoutSeconds` for `source` to have one. Resolves with the element, or
   * `null` when the timeout passed. A reliable queue: the element is never out of both lists.
   */
  blmove(
    source: string,
    destination: string,
    from: ListEnd,
    to: ListEnd,
    timeoutSeconds: number,
    options?: BlockingOptions,
  ): Promise<string | null> {
    return this.#block(
      () => ({
        command: [
          'BLMOVE',
          this.key(source),
          this.key(destination),
          requireEnd(from, LIST_ENDS as readonly string[], 'from'),
          requireEnd(to, LIST_ENDS as readonly string[], 'to'),
          numericArgText(requireTimeout(timeoutSeconds)),
        ],
        timeoutSeconds,
      }),
      (reply) => (reply === null ? null : text(reply, 'BLMOVE')),
      options,
    );
  }

  /**
   * Pops up to `count` elements from one end of the first non-empty list among `keys`, waiting
   * up to `timeoutSeconds`. Resolves with the key and the elements, or `null` when the timeout passed.
   */
  blmpop(
    keys: string | readonly string[],
    from: ListEnd,
    timeoutSeconds: number,
    options?: BlockingMultiPopOptions,
  ): Promise<PoppedElements | null> {
    return this.#multiPop(
      'BLMPOP',
      keys,
      () => requireEnd(from, LIST_ENDS as readonly string[], 'from'),
      timeoutSeconds,
      options,
      (item) => text(item, 'BLMPOP'),
    ).then((popped) => popped && { key: popped.key, elements: popped.items });
  }

  /**
   * Pops the member with the lowest score from the first non-empty sorted set among `keys`,
   * waiting up to `timeoutSeconds`. Resolves with the key, member and score, or `null`.
   */
  bzpopmin(
    keys: string | readonly string[],
    timeoutSeconds: number,
    options?: BlockingOptions,
  ): Promise<PoppedMember | null> {
    return this.#zpop('BZPOPMIN', keys, timeoutSeconds, options);
  }

  /** Like `bzpopmin`, the member with the highest score. */
  bzpopmax(
    keys: string | readonly string[],
    timeoutSeconds: number,
    options?: BlockingOptions,
  ): Promise<PoppedMember | null> {
    return this.#zpop('BZPOPMAX', keys, timeoutSeconds, options);
  }

  /**
   * Pops up to `count` members with the lowest (`MIN`) or highest (`MAX`) scores from the first
   * non-empty sorted set among `keys`, waiting up to `timeoutSeconds`. Resolves with the key and
   * the members with their scores, or `null` when the timeout passed.
   */
  bzmpop(
    keys: string | readonly string[],
    which: 'MIN' | 'MAX',
    timeoutSeconds: number,
    options?: BlockingMultiPopOptions,
  ): Promise<PoppedMembers | null> {
    return this.#multiPop(
      'BZMPOP',
      keys,
      () => requireEnd(which, SCORE_ENDS, 'which'),
      timeoutSeconds,
      options,
      (pair): ScoredMember => {
        if (!Array.isArray(pair) || pair.length !== 2) unexpected('BZMPOP');
        return { member: text(pair[0], 'BZMPOP'), score: parseScore(text(pair[1], 'BZMPOP')) };
      },
    ).then((popped) => popped && { key: popped.key, members: popped.items });
  }

  #pop(
    name: 'BLPOP' | 'BRPOP',
    keys: string | readonly string[],
    timeoutSeconds: number,
    options: BlockingOptions | undefined,
  ): Promise<PoppedElement | null> {
    return this.#singlePop(name, keys, timeoutSeconds, options, 2, (reply) => ({
      key: this.unprefix(text(reply[0], name)),
      element: text(reply[1], name),
    }));
  }

  #zpop(
    name: 'BZPOPMIN' | 'BZPOPMAX',
    keys: string | readonly string[],
    timeoutSeconds: number,
    options: BlockingOptions | undefined,
  ): Promise<PoppedMember | null> {
    return this.#singlePop(name, keys, timeoutSeconds, options, 3, (reply) => ({
      key: this.unprefix(text(reply[0], name)),
      member: text(reply[1], name),
      score: parseScore(text(reply[2], name)),
    }));
  }

  /** `NAME key... timeout`, answered by nil or an array of `length` items. */
  #singlePop<T>(
    name: string,
    keys: string | readonly string[],
    timeoutSeconds: number,
    options: BlockingOptions | undefined,
    length: number,
    decode: (reply: RedisReply[]) => T,
  ): Promise<T | null> {
    return this.#block(
      () => ({
        command: [
          name,
          ...this.#keyList(keys, name.toLowerCase()),
          numericArgText(requireTimeout(timeoutSeconds)),
        ],
        timeoutSeconds,
      }),
      (reply) => {
        if (reply === null) return null;
        if (!Array.isArray(reply) || reply.length !== length) unexpected(name);
        return decode(reply);
      },
      options,
    );
  }

  /** `NAME timeout numkeys key... end [COUNT n]`, answered by nil or `[key, [item...]]`. */
  #multiPop<T>(
    name: 'BLMPOP' | 'BZMPOP',
    keys: string | readonly string[],
    end: () => string,
    timeoutSeconds: number,
    options: BlockingMultiPopOptions | undefined,
    decodeItem: (item: RedisReply) => T,
  ): Promise<{ key: string; items: T[] } | null> {
    return this.#block(
      () => ({
        command: [
          name,
          numericArgText(requireTimeout(timeoutSeconds)),
          ...this.#keyList(keys, name.toLowerCase(), true),
          end(),
          ...(options?.count === undefined ? [] : ['COUNT', requirePositiveInteger(options.count, 'count')]),
        ],
        timeoutSeconds,
      }),
      (reply) => {
        if (reply === null) return null;
        const [key, items] = Array.isArray(reply) && reply.length === 2 ? reply : unexpected(name);
        if (!Array.isArray(items)) unexpected(name);
        return { key: this.unprefix(text(key, name)), items: items.map(decodeItem) };
      },
      options,
    );
  }

  /** The keys, checked and prefixed; led by their count for the *MPOP commands (`numbered`). */
  #keyList(keys: string | readonly string[], what: string, numbered = false): RedisArg[] {
    const prefixed = this.keys(typeof keys === 'string' ? [keys] : requireNonEmpty(keys, what));
    return numbered ? [prefixed.length, ...prefixed] : prefixed;
  }

  /** Validates and builds (nothing is sent on bad input), runs on a dedicated connection, decodes. */
  async #block<T>(
    build: () => { readonly command: RedisCommand; readonly timeoutSeconds: number },
    decode: (reply: RedisReply) => T,
    options: BlockingOptions | undefined,
  ): Promise<T> {
    const { command, timeoutSeconds } = build();
    const signal = options?.signal;
    const reply = await this.core.blocking.run(command, {
      timeoutMs: timeoutSeconds * 1000,
      ...(signal ? { signal } : {}),
    });
    return decode(reply);
  }
}
