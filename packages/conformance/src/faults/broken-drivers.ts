import {
  type BatchItemResult,
  type DedicatedConnection,
  RedisAuthError,
  type RedisCommand,
  RedisConnectionError,
  type RedisDriver,
  type RedisReply,
  RedisReplyError,
  RedisUnavailableError,
  utf8Decode,
  utf8Encode,
} from '@redis-service/core';
import type { DriverRequest } from '../case.js';
import { concurrencyFaults } from './concurrency-faults.js';
import { expiryFaults } from './expiry-faults.js';
import { recoveryFaults } from './recovery-faults.js';
import { resourceFaults } from './resource-faults.js';
import { wrapDriver } from './wrap-driver.js';

/**
 * A deliberately broken driver: a wrapper that injects one fault into a working driver, and the
 * case that must fail because of it. The kit runs each one against every adapter it checks
 * (`checkCatches`): if the named case passes a driver with the fault, the kit itself is broken.
 */
export interface BrokenDriver {
  /** The fault, phrased to complete "a driver that ...". */
  readonly fault: string;
  /**
   * The id of the case that must fail under this fault (and pass without it), or several: each
   * must fail on its own, so that one weak or skipped case cannot let the fault through.
   */
  readonly mustFail: string | readonly string[];
  /**
   * Injects the fault into `driver`; name and capabilities stay those of `driver`. `request` is
   * what the kit asked the adapter for (the URL, the timeout).
   */
  readonly wrap: (driver: RedisDriver, request: DriverRequest) => RedisDriver;
}

/** The ids of the cases `broken` must fail. */
export function mustFailIds(broken: BrokenDriver): readonly string[] {
  return typeof broken.mustFail === 'string' ? [broken.mustFail] : broken.mustFail;
}

function mapIntegers(reply: RedisReply, map: (value: number | bigint) => RedisReply): RedisReply {
  if (typeof reply === 'number' || typeof reply === 'bigint') return map(reply);
  if (Array.isArray(reply)) return reply.map((item) => mapIntegers(item, map));
  return reply;
}

function mapBytes(reply: RedisReply, map: (value: Uint8Array) => RedisReply): RedisReply {
  if (reply instanceof Uint8Array) return map(reply);
  if (Array.isArray(reply)) return reply.map((item) => mapBytes(item, map));
  return reply;
}

function commandName(command: RedisCommand): string {
  const name = command[0];
  return typeof name === 'string' ? name.toUpperCase() : '';
}

/** SET without its expiry arguments; EXPIRE and PEXPIRE as a harmless EXISTS, which answers the same 1/0. */
function withoutExpiry(command: RedisCommand): RedisCommand {
  const name = commandName(command);
  if (name === 'EXPIRE' || name === 'PEXPIRE') return ['EXISTS', command[1] ?? ''];
  if (name !== 'SET') return command;
  const kept: RedisCommand[number][] = command.slice(0, 3);
  for (let i = 3; i < command.length; i++) {
    const arg = typeof command[i] === 'string' ? (command[i] as string).toUpperCase() : '';
    if (arg === 'EX' || arg === 'PX') i++;
    else if (arg !== 'KEEPTTL') kept.push(command[i]!);
  }
  return kept;
}

/** A "dedicated" connection that is the driver's shared one in disguise. */
async function sharedAsDedicated(driver: RedisDriver): Promise<DedicatedConnection> {
  const clientId = Number(await driver.send(['CLIENT', 'ID']));
  let closed = false;
  return {
    clientId,
    send: (command, options) => driver.send(command, options),
    batch: (commands, options) => driver.batch(commands, options),
    ended: new Promise(() => {}),
    get isClosed() {
      return closed;
    },
    close: async () => {
      closed = true;
    },
  };
}

/** The faults the kit must catch, each with the case that catches it. */
export const brokenDrivers: readonly BrokenDriver[] = [
  {
    fault: 'drops a batch result',
    mustFail: 'pipelines/every-command-gets-its-result',
    wrap: (driver) => wrapDriver(driver, { batchResults: (results) => results.slice(0, -1) }),
  },
  {
    fault: 'returns batch results out of order',
    mustFail: 'pipelines/results-come-in-order',
    wrap: (driver) =>
      wrapDriver(driver, { batchResults: (results: BatchItemResult[]) => [...results].reverse() }),
  },
  {
    fault: 'returns strings for integers',
    mustFail: 'strings/incr-returns-numbers',
    wrap: (driver) => wrapDriver(driver, { reply: (reply) => mapIntegers(reply, String) }),
  },
  {
    fault: 'rounds integers beyond 2^53 to numbers',
    mustFail: 'strings/big-integer-reply-is-an-exact-bigint',
    wrap: (driver) => wrapDriver(driver, { reply: (reply) => mapIntegers(reply, Number) }),
  },
  {
    fault: 'swallows a server error (answers null instead of rejecting with RedisReplyError)',
    mustFail: 'errors/wrongtype-is-a-reply-error',
    wrap: (driver) =>
      wrapDriver(driver, {
        error: (error) => (error instanceof RedisReplyError ? { reply: null } : { throw: error }),
      }),
  },
  {
    fault: 'ignores TTLs (drops EX/PX/KEEPTTL from SET, answers EXPIRE/PEXPIRE without setting one)',
    mustFail: 'strings/set-with-ttl-expires',
    wrap: (driver) => wrapDriver(driver, { command: withoutExpiry }),
  },
  {
    fault: 'decodes binary values as UTF-8 text and back',
    mustFail: 'binary/all-byte-values-round-trip',
    wrap: (driver) =>
      wrapDriver(driver, {
        reply: (reply, options) =>
          options?.binary ? mapBytes(reply, (bytes) => utf8Encode(utf8Decode(bytes))) : reply,
      }),
  },
  {
    fault: 'reports a refused connection as a plain Error',
    mustFail: 'fail-fast/refused-connection-rejects-fast',
    wrap: (driver) =>
      wrapDriver(driver, {
        error: (error) =>
          error instanceof RedisConnectionError ? { throw: new Error(error.message) } : { throw: error },
      }),
  },
  {
    fault: 'answers XACK without acknowledging anything',
    mustFail: 'streams/consume-hands-out-entries-in-order',
    // A script that answers what XACK would for ids that were pending: their count.
    wrap: (driver) =>
      wrapDriver(driver, {
        command: (command) =>
          commandName(command) === 'XACK' ? ['EVAL', 'return #ARGV', 0, ...command.slice(3)] : command,
      }),
  },
  {
    fault: 'drops the last entry of a stream range',
    mustFail: 'streams/xadd-and-ranges-keep-order',
    wrap: (driver) => ({
      ...wrapDriver(driver, {}),
      send: async (command, options) => {
        const reply = await driver.send(command, options);
        const range = commandName(command) === 'XRANGE' || commandName(command) === 'XREVRANGE';
        return range && Array.isArray(reply) ? reply.slice(0, -1) : reply;
      },
    }),
  },
  {
    fault: 'hands out its shared connection as a dedicated one',
    mustFail: 'blocking/pops-never-delay-the-shared-connection',
    wrap: (driver) => ({ ...wrapDriver(driver, {}), openDedicated: () => sharedAsDedicated(driver) }),
  },
  {
    fault: 'reports refused credentials as a plain RedisReplyError (NOAUTH, WRONGPASS passed through)',
    mustFail: 'error-classes/refused-credentials-are-auth-errors',
    wrap: (driver) =>
      wrapDriver(driver, {
        error: (error) =>
          error instanceof RedisAuthError
            ? { throw: new RedisReplyError('NOAUTH Authentication required.') }
            : { throw: error },
      }),
  },
  {
    fault: 'reports a server that is loading, busy or read-only as a plain RedisReplyError',
    mustFail: 'errors/server-states-are-classified',
    wrap: (driver) =>
      wrapDriver(driver, {
        error: (error) =>
          error instanceof RedisUnavailableError
            ? { throw: new RedisReplyError(error.message) }
            : { throw: error },
      }),
  },
  {
    fault: 'keeps answering after close()',
    mustFail: 'close/driver-close-is-final',
    // The real driver is still released by the kit's teardown, which bypasses the wrapper.
    wrap: (driver) => wrapDriver(driver, { close: async () => {} }),
  },
  ...expiryFaults,
  ...concurrencyFaults,
  ...resourceFaults,
  ...recoveryFaults,
];
