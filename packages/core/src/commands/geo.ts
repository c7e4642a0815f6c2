import { RedisSerializationError, RedisValidationError } from '../errors/redis-error.js';
import type { RedisArg, RedisReply } from '../port/reply.js';
import { BitmapCommands } from './bitmaps.js';
import { asInteger, asNullableScore, asStringArray, doubleOf } from './replies.js';
import { requireMember } from './sorted-set-args.js';
import { describe, exclusive, requireChoice, requireNonEmpty, requirePositiveInteger } from './validate.js';

/** A unit of distance: meters, kilometers, miles, feet. */
export type GeoUnit = 'm' | 'km' | 'mi' | 'ft';

/** A point on Earth, in degrees. */
export interface GeoCoordinates {
  /** -180 to 180. */
  readonly longitude: number;
  /** -85.05112878 to 85.05112878 (the limits of the Web Mercator projection Redis uses). */
  readonly latitude: number;
}

/** A member of a geo set with its position. */
export interface GeoMember extends GeoCoordinates {
  readonly member: string;
}

/** Options of `geoadd`. */
export interface GeoAddOptions {
  /** Only add new members. */
  readonly nx?: boolean;
  /** Only update existing members. */
  readonly xx?: boolean;
  /** Count changed members too, not only added ones. */
  readonly ch?: boolean;
}

/** Where a `geosearch` is centred: at a member of the set, or at a point. */
export type GeoSearchFrom = { readonly member: string } | GeoCoordinates;

/** The area of a `geosearch`: a circle, or a box centred on the origin. */
export type GeoSearchBy =
  | { readonly radius: number; readonly unit: GeoUnit }
  | { readonly width: number; readonly height: number; readonly unit: GeoUnit };

/** Options of `geosearch`. */
export interface GeoSearchOptions {
  readonly from: GeoSearchFrom;
  readonly by: GeoSearchBy;
  /** Nearest first (`asc`) or farthest first (`desc`). Default: unsorted. */
  readonly order?: 'asc' | 'desc';
  /** At most this many hits (the nearest, unless `any`). */
  readonly count?: number;
  /** With `count`: stop at the first `count` matches found, not the nearest (faster). */
  readonly any?: boolean;
  /** Give each hit's `coordinates`. */
  readonly withCoord?: boolean;
  /** Give each hit's `distance` from the origin, in the unit of `by`. */
  readonly withDist?: boolean;
  /** Give each hit's 52-bit geohash `hash`. */
  readonly withHash?: boolean;
}

type Requested<O, K extends keyof GeoSearchOptions, F> = K extends keyof O
  ? [O[K]] extends [true]
    ? F
    : [O[K]] extends [false | undefined]
      ? {}
      : Partial<F>
  : {};

/** One hit of `geosearch`: the member, and what the options asked for. */
export type GeoSearchHit<O extends GeoSearchOptions = GeoSearchOptions> = {
  readonly member: string;
} & Requested<O, 'withDist', { readonly distance: number }> &
  Requested<O, 'withCoord', { readonly coordinates: GeoCoordinates }> &
  Requested<O, 'withHash', { readonly hash: number }>;

const UNITS: readonly GeoUnit[] = ['m', 'km', 'mi', 'ft'];
const MAX_LATITUDE = 85.05112878;

function coordinateArgs(point: GeoCoordinates, what: string): [number, number] {
  const { longitude, latitude } = point ?? ({} as GeoCoordinates);
  if (typeof longitude !== 'number' || !(longitude >= -180 && longitude <= 180)) {
    throw new RedisValidationError(
      `${what}: longitude must be a number from -180 to 180, got ${describe(longitude)}`,
    );
  }
  if (typeof latitude !== 'number' || !(Math.abs(latitude) <= MAX_LATITUDE)) {
    throw new RedisValidationError(
      `${what}: latitude must be a number from -${MAX_LATITUDE} to ${MAX_LATITUDE}, got ${describe(latitude)}`,
    );
  }
  return [longitude, latitude];
}

function requireExtent(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RedisValidationError(`${what} must be a finite number > 0, got ${describe(value)}`);
  }
  return value;
}

function unitArg(unit: GeoUnit, what = 'unit'): string {
  return requireChoice(unit, UNITS, what);
}

function searchArgs(options: GeoSearchOptions): RedisArg[] {
  if (!options || typeof options !== 'object') throw new RedisValidationError('geosearch needs { from, by }');
  const { from, by } = options;
  const args: RedisArg[] = [];
  if (from && typeof from === 'object' && 'member' in from)
    args.push('FROMMEMBER', requireMember(from.member));
  else args.push('FROMLONLAT', ...coordinateArgs(from as GeoCoordinates, 'from'));
  if (by && typeof by === 'object' && 'radius' in by) {
    args.push('BYRADIUS', requireExtent(by.radius, 'by.radius'), unitArg(by.unit, 'by.unit'));
  } else if (by && typeof by === 'object' && 'width' in by) {
    args.push(
      'BYBOX',
      requireExtent(by.width, 'by.width'),
      requireExtent(by.height, 'by.height'),
      unitArg(by.unit, 'by.unit'),
    );
  } else {
    throw new RedisValidationError('geosearch needs by: { radius, unit } or { width, height, unit }');
  }
  if (options.order !== undefined)
    args.push(requireChoice(options.order, ['asc', 'desc'], 'order').toUpperCase());
  if (options.count !== undefined) {
    args.push('COUNT', requirePositiveInteger(options.count, 'count'));
    if (options.any) args.push('ANY');
  } else if (options.any) {
    throw new RedisValidationError('geosearch: any needs a count');
  }
  if (options.withCoord) args.push('WITHCOORD');
  if (options.withDist) args.push('WITHDIST');
  if (options.withHash) args.push('WITHHASH');
  return args;
}

function malformed(reply: RedisReply): never {
  throw new RedisSerializationError(
    `unexpected reply to GEOSEARCH: ${Array.isArray(reply) ? 'an array of another shape' : typeof reply}`,
  );
}

/** Each hit as Redis sends it with WITH* options: `[member, distance?, hash?, [longitude, latitude]?]`. */
function decodeHits(reply: RedisReply, options: GeoSearchOptions): GeoSearchHit[] {
  if (!options.withCoord && !options.withDist && !options.withHash) {
    return asStringArray(reply).map((member) => ({ member }));
  }
  if (!Array.isArray(reply)) return malformed(reply);
  return reply.map((item) => {
    if (!Array.isArray(item) || typeof item[0] !== 'string') return malformed(reply);
    const hit: { member: string; distance?: number; hash?: number; coordinates?: GeoCoordinates } = {
      member: item[0],
    };
    let next = 1;
    if (options.withDist) hit.distance = doubleOf(item[next++], reply);
    if (options.withHash) hit.hash = asInteger(item[next++] ?? null);
    if (options.withCoord) {
      const pair = item[next++];
      if (!Array.isArray(pair) || pair.length !== 2) return malformed(reply);
      hit.coordinates = { longitude: doubleOf(pair[0], reply), latitude: doubleOf(pair[1], reply) };
    }
    return hit;
  });
}

/** Commands on geo sets (sorted sets whose scores are geohashes). */
export class GeoCommands extends BitmapCommands {
  /**
   * Adds or moves members to their positions. Resolves with how many were added (or changed,
   * with `ch`). Coordinates out of range are refused before anything is sent.
   */
  geoadd(key: string, members: GeoMember | readonly GeoMember[], options?: GeoAddOptions): Promise<number> {
    return this.call(() => {
      exclusive(options, ['nx', 'xx']);
      const flags: string[] = [];
      if (options?.nx) flags.push('NX');
      if (options?.xx) flags.push('XX');
      if (options?.ch) flags.push('CH');
      const list = Array.isArray(members) ? (members as readonly GeoMember[]) : [members as GeoMember];
      const args: RedisArg[] = ['GEOADD', this.key(key), ...flags];
      for (const item of requireNonEmpty(list, 'geoadd')) {
        const member = requireMember(item?.member, 'geoadd member');
        args.push(...coordinateArgs(item, `position of '${member}'`), member);
      }
      return args;
    }, asInteger);
  }

  /** The distance between two members in `unit` (default meters), or `null` when either is missing. */
  geodist(key: string, member1: string, member2: string, unit: GeoUnit = 'm'): Promise<number | null> {
    return this.call(
      () => ['GEODIST', this.key(key), requireMember(member1), requireMember(member2), unitArg(unit)],
      asNullableScore,
    );
  }

  /**
   * Members within a circle or a box around a member or a point (GEOSEARCH), as typed hits: each
   * has its `member`, plus `distance` (in the unit of `by`), `coordinates` and `hash` when asked.
   *
   * ```ts
   * const near = await redis.geosearch('shops', {
   *   from: { longitude: 13.4, latitude: 52.5 }, by: { radius: 5, unit: 'km' },
   *   order: 'asc', count: 10, withDist: true,
   * }); // [{ member: 'a', distance: 0.41 }, ...]
   * ```
   */
  geosearch<const O extends GeoSearchOptions>(key: string, options: O): Promise<GeoSearchHit<O>[]> {
    return this.call(
      () => ['GEOSEARCH', this.key(key), ...searchArgs(options)],
      (reply: RedisReply) => decodeHits(reply, options) as GeoSearchHit<O>[],
    );
  }
}
