import type { RedisCommand } from '@redis-service/core';
import type { BrokenDriver } from './broken-drivers.js';
import { wrapDriver } from './wrap-driver.js';

/** PEXPIRE key ms [cond] sent as EXPIRE key ceil(ms / 1000) [cond]: right to the second, wrong to the millisecond. */
function pexpireAsExpire(command: RedisCommand): RedisCommand {
  const [name, key, ms, ...rest] = command;
  if (typeof name !== 'string' || name.toUpperCase() !== 'PEXPIRE') return command;
  const seconds = Math.ceil(Number(typeof ms === 'bigint' ? ms : String(ms)) / 1000);
  return ['EXPIRE', key ?? '', seconds, ...rest];
}

/** Faults in how a driver passes expiries on. */
export const expiryFaults: readonly BrokenDriver[] = [
  {
    fault: 'turns PEXPIRE into EXPIRE (milliseconds rounded up to whole seconds)',
    mustFail: ['keys/pexpire-keeps-milliseconds', 'keys/pexpire-in-a-batch-keeps-milliseconds'],
    wrap: (driver) => wrapDriver(driver, { command: pexpireAsExpire }),
  },
];
