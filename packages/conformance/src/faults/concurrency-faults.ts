import {
  type BatchItemResult,
  type RedisCommand,
  type RedisDriver,
  type RedisReply,
  RedisReplyError,
  RedisTimeoutError,
  type SendOptions,
} from '@redis-service/core';
import type { BrokenDriver } from './broken-drivers.js';
import { forwardDriver as forward } from './forward-driver.js';

/**
 * Holds the commands sent in one tick and passes them on in reverse order: each still gets its
 * own reply, but the server runs them out of the order they were issued in.
 */
function reorderingDriver(driver: RedisDriver): RedisDriver {
  let held: (() => void)[] = [];
  const hold = <T>(send: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (held.length === 0) {
        setImmediate(() => {
          const batch = held.reverse();
          held = [];
          for (const start of batch) start();
        });
      }
      held.push(() => send().then(resolve, reject));
    });
  return forward(driver, {
    send: (command, options) => hold(() => driver.send(command, options)),
    batch: (commands, options) => hold(() => driver.batch(commands, options)),
    evalScript: (script, keys, args, options) => hold(() => driver.evalScript(script, keys, args, options)),
  });
}

/** The text of a reply that should be `QUEUED` or an error. */
function queuedError(reply: RedisReply, command: RedisCommand): Error | undefined {
  if (reply === 'QUEUED') return undefined;
  return new RedisReplyError(`ERR ${String(command[0])} was answered ${String(reply)} inside MULTI`);
}

/**
 * Sends a transaction as separate commands on the driver's shared connection, each awaited in
 * turn (MULTI, every command, EXEC): whatever another caller sends meanwhile lands inside the
 * transaction, and is answered QUEUED.
 */
function nonAtomicTransactions(driver: RedisDriver): RedisDriver {
  return forward(driver, {
    async batch(commands, options) {
      if (!options.transaction) return driver.batch(commands, options);
      const sendOptions: SendOptions = options.binary ? { binary: true } : {};
      await driver.send(['MULTI']);
      const queued: (Error | undefined)[] = [];
      for (const command of commands) {
        try {
          queued.push(queuedError(await driver.send(command, sendOptions), command));
        } catch (error) {
          queued.push(error instanceof Error ? error : new Error(String(error)));
        }
      }
      const replies = await driver.send(['EXEC'], sendOptions);
      const values = Array.isArray(replies) ? replies : [];
      return commands.map((_, index): BatchItemResult => {
        const error = queued[index];
        if (error) return { ok: false, error };
        return { ok: true, value: values[index] ?? null };
      });
    },
  });
}

/**
 * A driver with a pool of four slots of its own: each command takes one and gives it back when
 * it settles, except when it times out, which keeps the slot for good. After four timeouts every
 * later command waits for a slot forever.
 */
function slotLeakingDriver(driver: RedisDriver): RedisDriver {
  let free = 4;
  const waiting: (() => void)[] = [];
  const take = async () => {
    if (free > 0) {
      free--;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const give = () => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  const inSlot = async <T>(work: () => Promise<T>): Promise<T> => {
    await take();
    try {
      const value = await work();
      give();
      return value;
    } catch (error) {
      if (!(error instanceof RedisTimeoutError)) give();
      throw error;
    }
  };
  return forward(driver, {
    send: (command, options) => inSlot(() => driver.send(command, options)),
    batch: (commands, options) => inSlot(() => driver.batch(commands, options)),
    evalScript: (script, keys, args, options) => inSlot(() => driver.evalScript(script, keys, args, options)),
  });
}

/** Faults in how a driver handles concurrent callers: order, isolation, and what a timeout gives back. */
export const concurrencyFaults: readonly BrokenDriver[] = [
  {
    fault: 'sends concurrent commands out of the order they were issued in',
    mustFail: [
      'limiter/ceiling-and-fifo-order',
      'ordering/concurrent-sends-run-in-issue-order',
      'ordering/interleaved-writes-and-reads',
    ],
    wrap: reorderingDriver,
  },
  {
    fault:
      'sends a transaction as MULTI, each command, EXEC, awaited one by one on the shared connection (not atomic to other callers)',
    mustFail: [
      'transactions/isolated-from-concurrent-callers',
      'transactions/concurrent-transactions-stay-apart',
    ],
    wrap: nonAtomicTransactions,
  },
  {
    fault: 'keeps a slot of its own pool for every command that timed out',
    mustFail: 'timeouts/driver-timeouts-give-back-what-they-held',
    wrap: slotLeakingDriver,
  },
];
