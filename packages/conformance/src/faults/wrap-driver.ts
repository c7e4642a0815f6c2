import type {
  BatchItemResult,
  RedisCommand,
  RedisDriver,
  RedisReply,
  SendOptions,
} from '@redis-service/core';

/** The hooks one fault overrides; every hook left out passes through unchanged. */
export interface DriverFault {
  /** Rewrites a command before it is sent (single commands and batch members alike). */
  readonly command?: (command: RedisCommand) => RedisCommand;
  /** Rewrites a successful reply (single commands, batch members, scripts). */
  readonly reply?: (reply: RedisReply, options: SendOptions | undefined) => RedisReply;
  /** Turns an error into something else: a reply to pretend success, or another error to throw. */
  readonly error?: (error: unknown) => { readonly reply: RedisReply } | { readonly throw: unknown };
  /** Rewrites the list of batch results after the per-item hooks ran. */
  readonly batchResults?: (results: BatchItemResult[]) => BatchItemResult[];
  /** Replaces `close()`. */
  readonly close?: (close: () => Promise<void>) => Promise<void>;
}

/**
 * Wraps a driver so one fault sits between core and the real driver. Name and capabilities pass
 * through, so the broken driver claims exactly what the real one claims.
 */
export function wrapDriver(driver: RedisDriver, fault: DriverFault): RedisDriver {
  const rewrite = (command: RedisCommand) => (fault.command ? fault.command(command) : command);
  const settleReply = (reply: RedisReply, options?: SendOptions) =>
    fault.reply ? fault.reply(reply, options) : reply;
  const settleError = (error: unknown): RedisReply => {
    if (!fault.error) throw error;
    const outcome = fault.error(error);
    if ('reply' in outcome) return outcome.reply;
    throw outcome.throw;
  };
  const item = (result: BatchItemResult, options: SendOptions): BatchItemResult => {
    if (result.ok) return { ok: true, value: settleReply(result.value, options) };
    try {
      return { ok: true, value: settleError(result.error) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
    }
  };

  const wrapped: RedisDriver = {
    name: driver.name,
    capabilities: driver.capabilities,
    async send(command, options) {
      try {
        return settleReply(await driver.send(rewrite(command), options), options);
      } catch (error) {
        return settleError(error);
      }
    },
    async batch(commands, options) {
      let results: BatchItemResult[];
      try {
        results = await driver.batch(commands.map(rewrite), options);
      } catch (error) {
        const outcome = fault.error?.(error);
        if (outcome && 'throw' in outcome) throw outcome.throw;
        throw error;
      }
      const itemOptions = options.binary ? { binary: true } : {};
      const settled = results.map((result) => item(result, itemOptions));
      return fault.batchResults ? fault.batchResults(settled) : settled;
    },
    async evalScript(script, keys, args, options) {
      try {
        return settleReply(await driver.evalScript(script, keys, args, options), options);
      } catch (error) {
        return settleError(error);
      }
    },
    close: () => (fault.close ? fault.close(() => driver.close()) : driver.close()),
  };
  if (driver.subscribe) wrapped.subscribe = driver.subscribe.bind(driver);
  if (driver.openDedicated) wrapped.openDedicated = driver.openDedicated.bind(driver);
  if (driver.resetConnection) wrapped.resetConnection = driver.resetConnection.bind(driver);
  return wrapped;
}
