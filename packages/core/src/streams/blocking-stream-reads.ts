import { BlockingCommands } from '../blocking/blocking-commands.js';
import { RedisValidationError } from '../errors/redis-error.js';
import type { RedisCommand, RedisReply } from '../port/reply.js';
import { requireNonNegativeInteger } from './stream-args.js';
import type { XreadgroupOptions, XreadOptions } from './stream-commands.js';
import { groupReadsOf, type StreamGroupRead, type StreamRead, streamReadsOf } from './stream-entries.js';

/** What the blocking forms of `xread` and `xreadgroup` add. */
export interface StreamBlockOptions {
  /**
   * Wait up to this many milliseconds for entries when there are none (BLOCK), on a dedicated
   * connection of the service, never the shared one; `0` waits until some arrive. Resolves with
   * `[]` when none came. Needs the `blocking` capability.
   */
  readonly blockMs?: number;
  /**
   * Ends a blocking read early (`CLIENT UNBLOCK`). Entries that reached the read before the
   * unblock did are still returned; otherwise it rejects with `RedisAbortedError`.
   */
  readonly signal?: AbortSignal;
}

/** Options of the service's `xread`. */
export interface BlockingXreadOptions extends XreadOptions, StreamBlockOptions {}

/** Options of the service's `xreadgroup`. */
export interface BlockingXreadgroupOptions extends XreadgroupOptions, StreamBlockOptions {}

/**
 * The service's `xread` and `xreadgroup`: without `blockMs` the single-command reads of
 * `StreamCommands` on the shared connection; with it, XREAD / XREADGROUP ... BLOCK through the
 * service's `BlockingRunner` on a dedicated connection (the path every blocking command takes).
 */
export abstract class BlockingStreamReads extends BlockingCommands {
  /**
   * Reads entries after the given ids (see `StreamCommands.xread`). With `blockMs`, waits that
   * long for entries on a dedicated connection; `{ orders: '$' }` then means "only entries added
   * while I wait".
   *
   * ```ts
   * const [read] = await redis.xread({ orders: '$' }, { blockMs: 5000, signal });
   * for (const entry of read?.entries ?? []) console.log(entry.id, entry.fields);
   * ```
   */
  override xread(
    streams: Readonly<Record<string, string>>,
    options?: BlockingXreadOptions,
  ): Promise<StreamRead[]> {
    if (!isBlocking(options)) return super.xread(streams, options);
    return this.#blockingRead(
      () => this.xreadArgs(streams, options, blockArgs(options)),
      options,
      (reply) => streamReadsOf(reply, (key) => this.unprefix(key)),
    );
  }

  /**
   * Reads as a consumer of a group (see `StreamCommands.xreadgroup`). With `blockMs`, waits that
   * long on a dedicated connection; entries a read returns are pending for the consumer even when
   * its signal fired, so none is lost. For a worker loop use `consume()`.
   */
  override xreadgroup(
    group: string,
    consumer: string,
    streams: Readonly<Record<string, string>>,
    options?: BlockingXreadgroupOptions,
  ): Promise<StreamGroupRead[]> {
    if (!isBlocking(options)) return super.xreadgroup(group, consumer, streams, options);
    return this.#blockingRead(
      () => this.xreadgroupArgs(group, consumer, streams, options, blockArgs(options)),
      options,
      (reply) => groupReadsOf(reply, (key) => this.unprefix(key)),
    );
  }

  async #blockingRead<T>(
    build: () => RedisCommand,
    options: StreamBlockOptions,
    decode: (reply: RedisReply) => T,
  ): Promise<T> {
    const command = build();
    const reply = await this.core.blocking.run(command, {
      timeoutMs: options.blockMs ?? 0,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return decode(reply);
  }
}

function isBlocking(options: StreamBlockOptions | undefined): options is StreamBlockOptions {
  return options?.blockMs !== undefined || options?.signal !== undefined;
}

function blockArgs(options: StreamBlockOptions): RedisCommand {
  if (options.blockMs === undefined) {
    throw new RedisValidationError(
      'signal ends a blocking read: give blockMs too (0 waits until entries arrive)',
    );
  }
  return ['BLOCK', requireNonNegativeInteger(options.blockMs, 'blockMs')];
}
