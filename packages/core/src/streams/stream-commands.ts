import {
  requireSchema,
  type Schema,
  type SchemaInput,
  type SchemaOutput,
  validateWithSchema,
} from '../codec/schema.js';
import { ModelCommands } from '../commands/models.js';
import { asBoolean, asInteger, asOk } from '../commands/replies.js';
import { exclusive, requireKey, requirePositiveInteger } from '../commands/validate.js';
import { RedisValidationError } from '../errors/redis-error.js';
import type { RedisArg, RedisCommand, RedisReply } from '../port/reply.js';
import {
  countArgs,
  fieldArgs,
  requireNonNegativeInteger,
  type StreamFields,
  type StreamTrim,
  trimArgs,
} from './stream-args.js';
import {
  entriesOf,
  groupReadsOf,
  type StreamEntry,
  type StreamGroupRead,
  type StreamRead,
  streamReadsOf,
  textOf,
} from './stream-entries.js';
import {
  rangeBoundArg,
  requireEntryId,
  requireEntryIds,
  requireNewEntryId,
  requireReadId,
  type StreamRangeBound,
} from './stream-ids.js';
import {
  consumerInfosOf,
  groupInfosOf,
  type StreamConsumerInfo,
  type StreamGroupInfo,
  type StreamInfo,
  streamInfoOf,
} from './stream-info.js';
import {
  type AutoClaimIdsResult,
  type AutoClaimResult,
  autoClaimIdsOf,
  autoClaimOf,
  idsOf,
  type PendingEntry,
  type PendingSummary,
  pendingEntriesOf,
  pendingSummaryOf,
} from './stream-pending.js';
import { entryValues, jsonEntryArgs, type StreamValueEntry } from './stream-values.js';

/** Options of `xadd`, `xaddJson` and `xaddModel`. */
export interface XaddOptions {
  /** The new entry's id: `*` (default: Redis picks one), `<ms>-*`, or `<ms>-<seq>` above the last id. */
  readonly id?: string;
  /** Do not create the stream when it does not exist (NOMKSTREAM): the call then resolves with `null`. */
  readonly noMkStream?: boolean;
  /** Trim the stream in the same command (MAXLEN / MINID, exact or `~`, LIMIT). */
  readonly trim?: StreamTrim;
}

/** Options of `xrange` and `xrevrange`. */
export interface XrangeOptions {
  /** The most entries to return. */
  readonly count?: number;
}

/** `xrange` / `xrevrange` options decoding each entry's `json` field (entries from `xaddJson`). */
export interface XrangeJsonOptions extends XrangeOptions {
  readonly json: true;
  readonly schema?: undefined;
}

/** `xrange` / `xrevrange` options checking each entry's `json` field against `schema` (entries from `xaddModel`). */
export interface XrangeModelOptions<S extends Schema> extends XrangeOptions {
  readonly schema: S;
}

type XrangeRawOptions = XrangeOptions & { readonly json?: undefined; readonly schema?: undefined };

/** Options of `xread` (non-blocking here; the service's `xread` also takes `blockMs`). */
export interface XreadOptions {
  /** The most entries per stream. */
  readonly count?: number;
}

/** Options of `xreadgroup` (non-blocking here; the service's `xreadgroup` also takes `blockMs`). */
export interface XreadgroupOptions {
  /** The most entries per stream. */
  readonly count?: number;
  /** Do not add what is read to the pending list (NOACK): the entries count as acknowledged at once. */
  readonly noAck?: boolean;
}

/** Options of `xgroupCreate`. */
export interface XgroupCreateOptions {
  /** Create the stream (empty) when it does not exist (MKSTREAM). */
  readonly mkStream?: boolean;
  /** The group's entries-read counter (ENTRIESREAD, Redis 7), so its `lag` is right from the start. */
  readonly entriesRead?: number;
}

/** The range form of `xpending`: which pending entries to list. */
export interface XpendingRange {
  /** The lowest id. Default `-`. */
  readonly start?: StreamRangeBound;
  /** The highest id. Default `+`. */
  readonly end?: StreamRangeBound;
  /** The most entries to list. */
  readonly count: number;
  /** Only entries held by this consumer. */
  readonly consumer?: string;
  /** Only entries not delivered for at least this many milliseconds (IDLE, Redis 6.2). */
  readonly minIdleMs?: number;
}

/** Options of `xclaim`. */
export interface XclaimOptions {
  /** Set the claimed entries' idle time to this (IDLE ms) instead of 0. */
  readonly idleMs?: number;
  /** Set their last delivery time to this Unix time in ms (TIME). */
  readonly timeMs?: number;
  /** Set their delivery count to this (RETRYCOUNT). */
  readonly retryCount?: number;
  /** Create pending entries for ids not pending yet, if they exist in the stream (FORCE). */
  readonly force?: boolean;
  /** Return only the ids, and do not increment the delivery counts (JUSTID). */
  readonly justId?: boolean;
  /** Move the group's last delivered id to this one when it is higher (LASTID). */
  readonly lastId?: string;
}

/** Options of `xautoclaim`. */
export interface XautoclaimOptions {
  /** How many pending entries to scan at most (default 100 on the server). */
  readonly count?: number;
  /** Return only the ids, and do not increment the delivery counts (JUSTID). */
  readonly justId?: boolean;
}

/** Decoding of range reads: `json: true` reads each entry's `json` field, `schema` also checks it. */
interface EntryDecoding {
  readonly json?: boolean;
  readonly schema?: Schema;
}

const READ_SPECIAL_IDS = ['$'];
const GROUP_READ_SPECIAL_IDS = ['>'];
const GROUP_START_SPECIAL_IDS = ['$'];

/** Rejects a blocking option on a method that only reads without blocking (pipelines, transactions, WATCH). */
function refuseBlocking(options: object | undefined, method: string): void {
  const { blockMs, signal } = (options ?? {}) as { blockMs?: unknown; signal?: unknown };
  if (blockMs !== undefined || signal !== undefined) {
    throw new RedisValidationError(
      `${method} with blockMs or signal waits on a dedicated connection: call it on the service itself, not inside a pipeline, transaction or watch`,
    );
  }
}

/**
 * Commands on streams: producing (XADD, with JSON and model entries), reading ranges, trimming,
 * consumer groups, pending lists and claims, and XINFO. Ids are strings (`<ms>-<seq>`); entries
 * are `{ id, fields }`. Every one is a single command, so each also works inside `pipeline()`,
 * `transaction()` and `watch()`. Blocking reads and the `consume()` iterator live on the service.
 */
export class StreamCommands extends ModelCommands {
  /**
   * Appends an entry and resolves with its id. Fields are a record of strings or numbers; the
   * options pick the id, trim the stream in the same command, or refuse to create it.
   *
   * ```ts
   * const id = await redis.xadd('orders', { sku: 'A-1', qty: 2 }, { trim: { maxLen: 10_000, approximate: true } });
   * ```
   */
  xadd(
    stream: string,
    fields: StreamFields,
    options?: XaddOptions & { readonly noMkStream?: false },
  ): Promise<string>;
  /** With `noMkStream`: resolves with `null` when the stream does not exist (nothing was added). */
  xadd(stream: string, fields: StreamFields, options: XaddOptions): Promise<string | null>;
  xadd(stream: string, fields: StreamFields, options?: XaddOptions): Promise<string | null> {
    return this.call(() => this.#xaddArgs(stream, options, fieldArgs(fields)), asAddedId);
  }

  /**
   * Appends an entry holding `value` as JSON in one field, `json` (see `STREAM_JSON_FIELD`).
   * Values JSON cannot hold are refused before anything is sent. Read it back with
   * `xrange(stream, start, end, { json: true })` or `consume(stream, { json: true, ... })`.
   */
  xaddJson(
    stream: string,
    value: unknown,
    options?: XaddOptions & { readonly noMkStream?: false },
  ): Promise<string>;
  xaddJson(stream: string, value: unknown, options: XaddOptions): Promise<string | null>;
  xaddJson(stream: string, value: unknown, options?: XaddOptions): Promise<string | null> {
    return this.call(() => this.#xaddArgs(stream, options, jsonEntryArgs(value, stream)), asAddedId);
  }

  /** Checks `value` against `schema`, then appends it like `xaddJson`. Nothing is written when it fails. */
  xaddModel<S extends Schema>(
    stream: string,
    schema: S,
    value: SchemaInput<S>,
    options?: XaddOptions & { readonly noMkStream?: false },
  ): Promise<string>;
  xaddModel<S extends Schema>(
    stream: string,
    schema: S,
    value: SchemaInput<S>,
    options: XaddOptions,
  ): Promise<string | null>;
  xaddModel<S extends Schema>(
    stream: string,
    schema: S,
    value: SchemaInput<S>,
    options?: XaddOptions,
  ): Promise<string | null> {
    return this.call(async () => {
      const head = this.#xaddArgs(stream, options, []);
      await validateWithSchema(schema, value, { key: stream, when: 'write' });
      // The input that passed is stored (not the parsed output), so a read validates the same value again.
      return [...head, ...jsonEntryArgs(value, stream)];
    }, asAddedId);
  }

  /**
   * Entries from `start` to `end` (inclusive; `{ id, exclusive: true }` leaves a bound out), oldest
   * first. `-` and `+` are the ends of the stream.
   *
   * ```ts
   * const recent = await redis.xrange('orders', '-', '+', { count: 10 });
   * const next = await redis.xrange('orders', { id: recent.at(-1)!.id, exclusive: true }, '+', { count: 10 });
   * ```
   */
  xrange(
    stream: string,
    start?: StreamRangeBound,
    end?: StreamRangeBound,
    options?: XrangeRawOptions,
  ): Promise<StreamEntry[]>;
  /** With `json: true`: each entry's `json` field decoded; a bad one rejects with `RedisStreamEntryError`. */
  xrange<T = unknown>(
    stream: string,
    start: StreamRangeBound,
    end: StreamRangeBound,
    options: XrangeJsonOptions,
  ): Promise<StreamValueEntry<T>[]>;
  /** With `schema`: each entry's value checked; one that fails rejects with `RedisStreamEntryError`. */
  xrange<S extends Schema>(
    stream: string,
    start: StreamRangeBound,
    end: StreamRangeBound,
    options: XrangeModelOptions<S>,
  ): Promise<StreamValueEntry<SchemaOutput<S>>[]>;
  xrange(
    stream: string,
    start: StreamRangeBound = '-',
    end: StreamRangeBound = '+',
    options?: XrangeOptions & EntryDecoding,
  ): Promise<StreamEntry[]> {
    return this.#range('XRANGE', stream, start, end, options);
  }

  /** Like `xrange`, newest first: note that `end` (default `+`) comes before `start` (default `-`), as in Redis. */
  xrevrange(
    stream: string,
    end?: StreamRangeBound,
    start?: StreamRangeBound,
    options?: XrangeRawOptions,
  ): Promise<StreamEntry[]>;
  xrevrange<T = unknown>(
    stream: string,
    end: StreamRangeBound,
    start: StreamRangeBound,
    options: XrangeJsonOptions,
  ): Promise<StreamValueEntry<T>[]>;
  xrevrange<S extends Schema>(
    stream: string,
    end: StreamRangeBound,
    start: StreamRangeBound,
    options: XrangeModelOptions<S>,
  ): Promise<StreamValueEntry<SchemaOutput<S>>[]>;
  xrevrange(
    stream: string,
    end: StreamRangeBound = '+',
    start: StreamRangeBound = '-',
    options?: XrangeOptions & EntryDecoding,
  ): Promise<StreamEntry[]> {
    return this.#range('XREVRANGE', stream, end, start, options);
  }

  /** How many entries the stream holds (0 when it does not exist). */
  xlen(stream: string): Promise<number> {
    return this.call(() => ['XLEN', this.key(stream)], asInteger);
  }

  /** Deletes entries by id. Resolves with how many existed. */
  xdel(stream: string, ...ids: string[]): Promise<number> {
    return this.call(() => ['XDEL', this.key(stream), ...requireEntryIds(ids, 'xdel')], asInteger);
  }

  /** Trims the stream (MAXLEN / MINID, exact or `~` with LIMIT). Resolves with how many entries were removed. */
  xtrim(stream: string, trim: StreamTrim): Promise<number> {
    return this.call(() => ['XTRIM', this.key(stream), ...trimArgs(trim)], asInteger);
  }

  /**
   * Reads entries after the given ids from one or more streams, without a group and without
   * blocking: `{ orders: '0' }` from the start, `{ orders: lastId }` after an entry, `$` for
   * "only what comes later" (useful only with `blockMs`, on the service). Streams without new
   * entries are left out of the result.
   */
  xread(streams: Readonly<Record<string, string>>, options?: XreadOptions): Promise<StreamRead[]> {
    return this.call(
      () => {
        refuseBlocking(options, 'xread');
        return this.xreadArgs(streams, options);
      },
      (reply) => streamReadsOf(reply, (key) => this.unprefix(key)),
    );
  }

  /**
   * Reads as `consumer` of `group`, without blocking: `{ orders: '>' }` reads entries never
   * delivered to the group (they become pending for this consumer until acknowledged), an id
   * re-reads this consumer's own pending entries after it. For a worker loop use `consume()`.
   */
  xreadgroup(
    group: string,
    consumer: string,
    streams: Readonly<Record<string, string>>,
    options?: XreadgroupOptions,
  ): Promise<StreamGroupRead[]> {
    return this.call(
      () => {
        refuseBlocking(options, 'xreadgroup');
        return this.xreadgroupArgs(group, consumer, streams, options);
      },
      (reply) => groupReadsOf(reply, (key) => this.unprefix(key)),
    );
  }

  /** Acknowledges entries: they leave the group's pending list. Resolves with how many were pending. */
  xack(stream: string, group: string, ...ids: string[]): Promise<number> {
    return this.call(
      () => ['XACK', this.key(stream), requireKey(group, 'group'), ...requireEntryIds(ids, 'xack')],
      asInteger,
    );
  }

  /**
   * Creates a consumer group that delivers entries after `startId` (`$`, the default: only new
   * ones; `0`: everything in the stream). Rejects with `RedisReplyError` (`BUSYGROUP`) when the
   * group exists, and (`ERR ... no such key`) when the stream does not, unless `mkStream`.
   */
  xgroupCreate(stream: string, group: string, startId = '$', options?: XgroupCreateOptions): Promise<true> {
    return this.call(
      () => [
        'XGROUP',
        'CREATE',
        this.key(stream),
        requireKey(group, 'group'),
        requireReadId(startId, GROUP_START_SPECIAL_IDS, 'startId'),
        ...(options?.mkStream === true ? ['MKSTREAM'] : []),
        ...(options?.entriesRead === undefined
          ? []
          : ['ENTRIESREAD', requireNonNegativeInteger(options.entriesRead, 'entriesRead')]),
      ],
      asOk,
    );
  }

  /** Deletes a consumer group and its pending list. Resolves with whether it existed. */
  xgroupDestroy(stream: string, group: string): Promise<boolean> {
    return this.call(() => ['XGROUP', 'DESTROY', this.key(stream), requireKey(group, 'group')], asBoolean);
  }

  /** Creates a consumer in a group (reads create them too). Resolves with whether it was new. */
  xgroupCreateConsumer(stream: string, group: string, consumer: string): Promise<boolean> {
    return this.call(
      () => [
        'XGROUP',
        'CREATECONSUMER',
        this.key(stream),
        requireKey(group, 'group'),
        requireKey(consumer, 'consumer'),
      ],
      asBoolean,
    );
  }

  /**
   * Deletes a consumer. Its pending entries are dropped from the pending list (they are never
   * redelivered), so claim them first. Resolves with how many it held.
   */
  xgroupDelConsumer(stream: string, group: string, consumer: string): Promise<number> {
    return this.call(
      () => [
        'XGROUP',
        'DELCONSUMER',
        this.key(stream),
        requireKey(group, 'group'),
        requireKey(consumer, 'consumer'),
      ],
      asInteger,
    );
  }

  /** Moves a group's last delivered id (`$`: the stream's last entry; `0`: redeliver everything). */
  xgroupSetId(
    stream: string,
    group: string,
    id: string,
    options?: { readonly entriesRead?: number },
  ): Promise<true> {
    return this.call(
      () => [
        'XGROUP',
        'SETID',
        this.key(stream),
        requireKey(group, 'group'),
        requireReadId(id, GROUP_START_SPECIAL_IDS, 'id'),
        ...(options?.entriesRead === undefined
          ? []
          : ['ENTRIESREAD', requireNonNegativeInteger(options.entriesRead, 'entriesRead')]),
      ],
      asOk,
    );
  }

  /** The group's pending summary: how many entries, their id range, and how many each consumer holds. */
  xpending(stream: string, group: string): Promise<PendingSummary>;
  /** Pending entries in a range, oldest first, with holder, idle time and delivery count. */
  xpending(stream: string, group: string, range: XpendingRange): Promise<PendingEntry[]>;
  xpending(stream: string, group: string, range?: XpendingRange): Promise<PendingSummary | PendingEntry[]> {
    if (range === undefined) {
      return this.call(() => ['XPENDING', this.key(stream), requireKey(group, 'group')], pendingSummaryOf);
    }
    return this.call(() => {
      const args: RedisArg[] = ['XPENDING', this.key(stream), requireKey(group, 'group')];
      if (range.minIdleMs !== undefined)
        args.push('IDLE', requireNonNegativeInteger(range.minIdleMs, 'minIdleMs'));
      args.push(
        rangeBoundArg(range.start ?? '-', 'start'),
        rangeBoundArg(range.end ?? '+', 'end'),
        requirePositiveInteger(range.count, 'count'),
      );
      if (range.consumer !== undefined) args.push(requireKey(range.consumer, 'consumer'));
      return args;
    }, pendingEntriesOf);
  }

  /**
   * Takes pending entries idle for at least `minIdleMs` over to `consumer` (their idle time
   * restarts, their delivery count grows) and resolves with them. Entries that no longer exist
   * are dropped from the pending list and not returned (Redis 7).
   */
  xclaim(
    stream: string,
    group: string,
    consumer: string,
    minIdleMs: number,
    ids: readonly string[],
    options?: XclaimOptions & { readonly justId?: false },
  ): Promise<StreamEntry[]>;
  /** With `justId`: resolves with the claimed ids only, delivery counts unchanged. */
  xclaim(
    stream: string,
    group: string,
    consumer: string,
    minIdleMs: number,
    ids: readonly string[],
    options: XclaimOptions & { readonly justId: true },
  ): Promise<string[]>;
  xclaim(
    stream: string,
    group: string,
    consumer: string,
    minIdleMs: number,
    ids: readonly string[],
    options?: XclaimOptions,
  ): Promise<StreamEntry[] | string[]> {
    const justId = options?.justId === true;
    return this.call(
      () => {
        exclusive(options, ['idleMs', 'timeMs']);
        const args: RedisArg[] = [
          'XCLAIM',
          this.key(stream),
          requireKey(group, 'group'),
          requireKey(consumer, 'consumer'),
          requireNonNegativeInteger(minIdleMs, 'minIdleMs'),
          ...requireEntryIds(ids, 'xclaim'),
        ];
        if (options?.idleMs !== undefined)
          args.push('IDLE', requireNonNegativeInteger(options.idleMs, 'idleMs'));
        if (options?.timeMs !== undefined)
          args.push('TIME', requireNonNegativeInteger(options.timeMs, 'timeMs'));
        if (options?.retryCount !== undefined) {
          args.push('RETRYCOUNT', requireNonNegativeInteger(options.retryCount, 'retryCount'));
        }
        if (options?.force === true) args.push('FORCE');
        if (justId) args.push('JUSTID');
        if (options?.lastId !== undefined) args.push('LASTID', requireEntryId(options.lastId, 'lastId'));
        return args;
      },
      (reply) => (justId ? idsOf(reply, 'XCLAIM') : entriesOf(reply, 'XCLAIM')),
    );
  }

  /**
   * Scans the pending list from `start` (default `0-0`) and takes entries idle for at least
   * `minIdleMs` over to `consumer`, like `xclaim`. Continue with `nextId` until it is `0-0`.
   * Entries that no longer exist are removed from the pending list and listed in `deletedIds`.
   */
  xautoclaim(
    stream: string,
    group: string,
    consumer: string,
    minIdleMs: number,
    start?: string,
    options?: XautoclaimOptions & { readonly justId?: false },
  ): Promise<AutoClaimResult>;
  xautoclaim(
    stream: string,
    group: string,
    consumer: string,
    minIdleMs: number,
    start: string,
    options: XautoclaimOptions & { readonly justId: true },
  ): Promise<AutoClaimIdsResult>;
  xautoclaim(
    stream: string,
    group: string,
    consumer: string,
    minIdleMs: number,
    start = '0-0',
    options?: XautoclaimOptions,
  ): Promise<AutoClaimResult | AutoClaimIdsResult> {
    const justId = options?.justId === true;
    return this.call(
      () => [
        'XAUTOCLAIM',
        this.key(stream),
        requireKey(group, 'group'),
        requireKey(consumer, 'consumer'),
        requireNonNegativeInteger(minIdleMs, 'minIdleMs'),
        requireEntryId(start, 'start'),
        ...countArgs(options?.count),
        ...(justId ? ['JUSTID'] : []),
      ],
      (reply): AutoClaimResult | AutoClaimIdsResult => (justId ? autoClaimIdsOf(reply) : autoClaimOf(reply)),
    );
  }

  /** What Redis knows about a stream: length, first and last entries, groups, ids (XINFO STREAM). */
  xinfoStream(stream: string): Promise<StreamInfo> {
    return this.call(() => ['XINFO', 'STREAM', this.key(stream)], streamInfoOf);
  }

  /** The stream's consumer groups, with their consumers, pending counts and lag (XINFO GROUPS). */
  xinfoGroups(stream: string): Promise<StreamGroupInfo[]> {
    return this.call(() => ['XINFO', 'GROUPS', this.key(stream)], groupInfosOf);
  }

  /** A group's consumers, with their pending counts and idle times (XINFO CONSUMERS). */
  xinfoConsumers(stream: string, group: string): Promise<StreamConsumerInfo[]> {
    return this.call(
      () => ['XINFO', 'CONSUMERS', this.key(stream), requireKey(group, 'group')],
      consumerInfosOf,
    );
  }

  /** `STREAMS key... id...` of XREAD / XREADGROUP, keys prefixed, ids checked. */
  #streamsArgs(streams: Readonly<Record<string, string>>, special: readonly string[]): RedisArg[] {
    if (typeof streams !== 'object' || streams === null || Array.isArray(streams)) {
      throw new RedisValidationError('streams must be a record of stream names to ids, e.g. { orders: "0" }');
    }
    const pairs = Object.entries(streams);
    if (pairs.length === 0) throw new RedisValidationError('a stream read needs at least one stream');
    return [
      'STREAMS',
      ...pairs.map(([stream]) => this.key(stream)),
      ...pairs.map(([stream, id]) => requireReadId(id, special, `the id of stream '${stream}'`)),
    ];
  }

  /**
   * XREAD with `block` (BLOCK ms) when the caller blocks.
   * @internal
   */
  protected xreadArgs(
    streams: Readonly<Record<string, string>>,
    options: XreadOptions | undefined,
    block: readonly RedisArg[] = [],
  ): RedisCommand {
    return ['XREAD', ...countArgs(options?.count), ...block, ...this.#streamsArgs(streams, READ_SPECIAL_IDS)];
  }

  /**
   * XREADGROUP with `block` (BLOCK ms) when the caller blocks.
   * @internal
   */
  protected xreadgroupArgs(
    group: string,
    consumer: string,
    streams: Readonly<Record<string, string>>,
    options: XreadgroupOptions | undefined,
    block: readonly RedisArg[] = [],
  ): RedisCommand {
    return [
      'XREADGROUP',
      'GROUP',
      requireKey(group, 'group'),
      requireKey(consumer, 'consumer'),
      ...countArgs(options?.count),
      ...block,
      ...(options?.noAck === true ? ['NOACK'] : []),
      ...this.#streamsArgs(streams, GROUP_READ_SPECIAL_IDS),
    ];
  }

  /** XADD's arguments up to the fields. */
  #xaddArgs(stream: string, options: XaddOptions | undefined, fields: readonly RedisArg[]): RedisArg[] {
    return [
      'XADD',
      this.key(stream),
      ...(options?.noMkStream === true ? ['NOMKSTREAM'] : []),
      ...(options?.trim === undefined ? [] : trimArgs(options.trim)),
      requireNewEntryId(options?.id ?? '*'),
      ...fields,
    ];
  }

  #range(
    name: 'XRANGE' | 'XREVRANGE',
    stream: string,
    first: StreamRangeBound,
    second: StreamRangeBound,
    options: (XrangeOptions & EntryDecoding) | undefined,
  ): Promise<StreamEntry[]> {
    const schema = options?.schema;
    const decode = options?.json === true || schema !== undefined;
    return this.call(
      () => {
        if (schema !== undefined) requireSchema(schema);
        const [firstName, secondName] = name === 'XRANGE' ? ['start', 'end'] : ['end', 'start'];
        return [
          name,
          this.key(stream),
          rangeBoundArg(first, firstName!),
          rangeBoundArg(second, secondName!),
          ...countArgs(options?.count),
        ];
      },
      (reply: RedisReply) => {
        const entries = entriesOf(reply, name);
        return decode ? entryValues(entries, stream, schema) : entries;
      },
    );
  }
}

function asAddedId(reply: RedisReply): string | null {
  return reply === null ? null : textOf(reply, 'XADD');
}
