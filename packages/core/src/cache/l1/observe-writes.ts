import { argText } from '../../command-table/command-name.js';
import type { DedicatedConnection } from '../../port/dedicated.js';
import type { RedisDriver } from '../../port/driver.js';
import type { RedisCommand } from '../../port/reply.js';
import { QUIET_SCRIPTS } from './quiet-scripts.js';
import { type WrittenKeys, writtenKeys } from './written-keys.js';

/** Hears of every write a service sends, twice: when it is sent, and when it settled (either way). */
export interface WriteObserver {
  written(keys: WrittenKeys, phase: 'sent' | 'settled'): void;
}

/**
 * The driver as the service sees it when it has an L1: every command that may write (through
 * `send`, `batch`, `evalScript`, and the dedicated connections of WATCH and blocking commands) is
 * shown to `observer` before it is sent and once it settled, so a read of the same key in flight
 * across the write is never stored and the entry is evicted at once. Everything else is the
 * driver's own (a proxy, so members added to the port later pass through unchanged).
 */
export function observeWrites(driver: RedisDriver, observer: WriteObserver): RedisDriver {
  const overrides: Partial<RedisDriver> = {
    send: (command, options) => observed(observer, writtenKeys(command), () => driver.send(command, options)),
    batch: (commands, options) =>
      observed(observer, batchWrites(commands), () => driver.batch(commands, options)),
    evalScript: (script, keys, args, options) =>
      observed(
        observer,
        keys.length === 0
          ? undefined
          : { keys: keys.map(argText), announce: !QUIET_SCRIPTS.has(script.sha1) },
        () => driver.evalScript(script, keys, args, options),
      ),
  };
  const openDedicated = driver.openDedicated?.bind(driver);
  if (openDedicated) {
    overrides.openDedicated = async () => {
      const connection = await openDedicated();
      return withOverrides<DedicatedConnection>(connection, {
        send: (command, options) =>
          observed(observer, writtenKeys(command), () => connection.send(command, options)),
        batch: (commands, options) =>
          observed(observer, batchWrites(commands), () => connection.batch(commands, options)),
      });
    };
  }
  return withOverrides(driver, overrides);
}

function observed<T>(
  observer: WriteObserver,
  written: WrittenKeys | undefined,
  send: () => Promise<T>,
): Promise<T> {
  if (written === undefined) return send();
  observer.written(written, 'sent');
  return send().finally(() => observer.written(written, 'settled'));
}

/** The writes of a batch as one: `'all'` if any command flushes, else every command's keys. */
function batchWrites(commands: readonly RedisCommand[]): WrittenKeys | undefined {
  let keys: string[] | undefined;
  let announce = false;
  for (const command of commands) {
    const written = writtenKeys(command);
    if (written === undefined) continue;
    if (written === 'all') return 'all';
    keys ??= [];
    keys.push(...written.keys);
    announce ||= written.announce;
  }
  return keys === undefined ? undefined : { keys, announce };
}

/** `target` with some members replaced; every other member is the target's own, bound to it. */
function withOverrides<T extends object>(target: T, overrides: Partial<T>): T {
  const bound = new Map<PropertyKey, { readonly of: unknown; readonly fn: unknown }>();
  return new Proxy(target, {
    get(object, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof T];
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      const cached = bound.get(property);
      if (cached?.of === value) return cached.fn;
      const fn = (value as (...args: unknown[]) => unknown).bind(object);
      bound.set(property, { of: value, fn });
      return fn;
    },
  });
}
