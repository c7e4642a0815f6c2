import assert from 'node:assert/strict';
import type { RedisDriver, RedisReply } from '@redis-service/core';
import type { UnitContext } from '../../case.js';
import type { ReceivedCommand, ScriptedServer, ScriptedServerScript } from '../../fake/scripted-server.js';

/**
 * The driver timeout for cases that are not about timeouts: long enough for a loaded 2-core CI
 * machine, short enough that a driver which never answers fails the case instead of the runner.
 */
export const UNIT_COMMAND_TIMEOUT_MS = 10_000;

/** How long a case waits for a failure the driver must report promptly (generous on purpose). */
export const PROMPT_FAILURE_MS = 5_000;

/** A scripted server and a driver connected to it. */
export interface Scenario {
  readonly server: ScriptedServer;
  readonly driver: RedisDriver;
}

/** Starts a scripted server and connects a driver to it. */
export async function scenario(
  ctx: UnitContext,
  script: ScriptedServerScript,
  commandTimeoutMs = UNIT_COMMAND_TIMEOUT_MS,
): Promise<Scenario> {
  const server = await ctx.fakeServer(script);
  const driver = await ctx.createDriver({ url: server.url, commandTimeoutMs });
  return { server, driver };
}

/**
 * The argument vectors the server received for the named commands (uppercase), in order. Cases
 * assert on these instead of on `server.commands`, so that whatever a driver sends during its
 * handshake does not matter.
 */
export function commandsNamed(server: ScriptedServer, ...names: string[]): string[][] {
  return server.received.filter((command) => names.includes(command.argv[0] ?? '')).map(argvOf);
}

/** A received command's argument vector, as a mutable copy for `deepStrictEqual`. */
export function argvOf(command: ReceivedCommand): string[] {
  return [...command.argv];
}

/** How a promise settled. */
export type Settled<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: unknown };

/**
 * Waits for `promise` to settle, failing the case if it has not within `ms`: a driver that hangs
 * where it should fail is exactly what these cases catch.
 */
export async function settleWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<Settled<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), ms);
  });
  const settled = promise.then(
    (value): Settled<T> => ({ ok: true, value }),
    (error: unknown): Settled<T> => ({ ok: false, error }),
  );
  try {
    const outcome = await Promise.race([settled, hung]);
    if (outcome === 'hung') assert.fail(`${what}: still pending after ${ms} ms (the driver hangs)`);
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}

/** An error class of core's hierarchy (or any error class). */
export type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/** Asserts that `promise` rejects within `ms` with an instance of `expected`, and returns the error. */
export async function rejectsWithin<E extends Error>(
  promise: Promise<unknown>,
  expected: ErrorClass<E>,
  ms: number,
  what: string,
): Promise<E> {
  const outcome = await settleWithin(promise, ms, what);
  if (outcome.ok) {
    assert.fail(`${what}: expected ${expected.name}, but it resolved with ${describe(outcome.value)}`);
  }
  assertInstance(outcome.error, expected, what);
  return outcome.error;
}

/** Asserts `error` is an instance of `expected`, naming what it was instead. */
export function assertInstance<E extends Error>(
  error: unknown,
  expected: ErrorClass<E>,
  what: string,
): asserts error is E {
  if (error instanceof expected) return;
  assert.fail(`${what}: expected ${expected.name}, got ${describeError(error)}`);
}

/** `name: message` of an error, or a description of a non-error. */
export function describeError(error: unknown): string {
  return error instanceof Error
    ? `${error.constructor.name} (${error.name}): ${error.message}`
    : describe(error);
}

/** A short printable description of a reply or value, bigints and bytes included. */
export function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array)
    return `Uint8Array(${value.byteLength}) [${[...value.subarray(0, 16)].join(', ')}${value.byteLength > 16 ? ', ...' : ''}]`;
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/**
 * A reply with every byte array as a plain `Uint8Array`, so that `deepStrictEqual` compares
 * contents: a Node Buffer is a `Uint8Array` (and fine by the port) but has another prototype.
 */
export function plain(reply: RedisReply): RedisReply {
  if (reply instanceof Uint8Array) return new Uint8Array(reply);
  if (Array.isArray(reply)) return reply.map(plain);
  return reply;
}

/** Asserts the port yielded exactly `expected` (types included: `5` is not `5n` is not `'5'`). */
export function assertReply(actual: RedisReply, expected: RedisReply, what: string): void {
  assert.deepStrictEqual(
    plain(actual),
    expected,
    `${what}: expected ${describe(expected)}, got ${describe(actual)}`,
  );
}

/** The UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
