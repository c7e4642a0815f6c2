/**
 * A reply a scripted fake server sends, described apart from any wire format: the RESP server
 * renders it as RESP2 bytes (`encodeResp`), and a REST fake can render the same value as JSON, so
 * one scenario is written once for every transport.
 */
export type RespValue =
  | { readonly type: 'simple'; readonly value: string }
  | { readonly type: 'bulk'; readonly value: string | Uint8Array }
  | { readonly type: 'int'; readonly value: number | bigint }
  | { readonly type: 'error'; readonly message: string }
  | { readonly type: 'nil' }
  | { readonly type: 'array'; readonly items: readonly RespValue[] }
  | { readonly type: 'nil-array' };

/** Builders for `RespValue`s, named after what a real server sends. */
export const reply = {
  /** A simple string, e.g. `+PONG`. */
  simple: (value: string): RespValue => ({ type: 'simple', value }),
  /** `+OK`. */
  ok: (): RespValue => ({ type: 'simple', value: 'OK' }),
  /** `+QUEUED`, a command's answer inside MULTI. */
  queued: (): RespValue => ({ type: 'simple', value: 'QUEUED' }),
  /** A bulk string; a string is sent as its UTF-8 bytes. */
  bulk: (value: string | Uint8Array): RespValue => ({ type: 'bulk', value }),
  /** An integer; a bigint may exceed 2^53. */
  int: (value: number | bigint): RespValue => ({ type: 'int', value }),
  /** An error reply; `message` is the whole text, prefix included (`WRONGTYPE Operation ...`). */
  error: (message: string): RespValue => ({ type: 'error', message }),
  /** The nil bulk string (`$-1`), e.g. GET of a missing key. */
  nil: (): RespValue => ({ type: 'nil' }),
  /** An array of replies. */
  array: (items: readonly RespValue[]): RespValue => ({ type: 'array', items }),
  /** The nil array (`*-1`), e.g. XREAD with nothing to read. */
  nilArray: (): RespValue => ({ type: 'nil-array' }),
} as const;

/** Whether `value` is a `RespValue` (as opposed to another scripted action). */
export function isRespValue(value: unknown): value is RespValue {
  if (typeof value !== 'object' || value === null || !('type' in value)) return false;
  const { type } = value as { type: unknown };
  return (
    type === 'simple' ||
    type === 'bulk' ||
    type === 'int' ||
    type === 'error' ||
    type === 'nil' ||
    type === 'array' ||
    type === 'nil-array'
  );
}
