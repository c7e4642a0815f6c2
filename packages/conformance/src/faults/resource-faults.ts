import { connect } from 'node:net';
import { RedisClosedError, type RedisDriver } from '@redis-service/core';
import type { DriverRequest } from '../case.js';
import type { BrokenDriver } from './broken-drivers.js';
import { forwardDriver } from './forward-driver.js';
import { leakResource } from './leaks.js';

/** `close()` that refuses every later call but never closes the real driver, so its sockets stay open. */
function closeKeepsSockets(driver: RedisDriver): RedisDriver {
  let closed = false;
  const refused = () => Promise.reject(new RedisClosedError(`the ${driver.name} driver is closed`));
  const subscribe = driver.subscribe?.bind(driver);
  return forwardDriver(driver, {
    send: (command, options) => (closed ? refused() : driver.send(command, options)),
    batch: (commands, options) => (closed ? refused() : driver.batch(commands, options)),
    evalScript: (script, keys, args, options) =>
      closed ? refused() : driver.evalScript(script, keys, args, options),
    ...(subscribe
      ? { subscribe: (target, onMessage) => (closed ? refused() : subscribe(target, onMessage)) }
      : {}),
    close: async () => {
      closed = true;
    },
  });
}

/** `close()` that closes the real driver and then leaves an interval running. */
function closeLeavesTimer(driver: RedisDriver): RedisDriver {
  return forwardDriver(driver, {
    close: async () => {
      await driver.close();
      const timer = setInterval(() => {}, 1000);
      leakResource(() => clearInterval(timer));
    },
  });
}

/** A driver that opens one more connection of its own with its first command and never closes it. */
function extraSocketNeverClosed(driver: RedisDriver, request: DriverRequest): RedisDriver {
  let opened = false;
  const openExtra = () => {
    if (opened) return;
    opened = true;
    const target = new URL(request.url);
    const socket = connect({ host: target.hostname.replace(/^\[|\]$/g, ''), port: Number(target.port) });
    socket.on('error', () => {});
    leakResource(() => socket.destroy());
  };
  return forwardDriver(driver, {
    send: (command, options) => {
      openExtra();
      return driver.send(command, options);
    },
    batch: (commands, options) => {
      openExtra();
      return driver.batch(commands, options);
    },
  });
}

/** Faults in what a driver releases on close: its connections, its sockets and its timers. */
export const resourceFaults: readonly BrokenDriver[] = [
  {
    fault: 'rejects commands after close() but never closes its sockets',
    mustFail: 'connections/close-leaves-no-connection',
    wrap: closeKeepsSockets,
  },
  {
    fault: 'leaves a socket of its own open after close()',
    mustFail: ['connections/close-leaves-no-connection', 'process/exits-after-close'],
    wrap: extraSocketNeverClosed,
  },
  {
    fault: 'leaves a timer running after close()',
    mustFail: 'process/exits-after-close',
    wrap: closeLeavesTimer,
  },
];
