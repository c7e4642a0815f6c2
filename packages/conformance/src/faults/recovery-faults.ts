import { RedisConnectionError, RedisTimeoutError } from '@redis-service/core';
import type { BrokenDriver } from './broken-drivers.js';
import { onConnectionsCut } from './connection-cuts.js';
import { forwardDriver } from './forward-driver.js';
import { wrapDriver } from './wrap-driver.js';

/** Faults in how a driver reports trouble and gets over it. */
export const recoveryFaults: readonly BrokenDriver[] = [
  {
    fault: 'reports a timeout as a lost connection (RedisConnectionError instead of RedisTimeoutError)',
    mustFail: [
      'faults/command-timeout',
      'faults/pipeline-timeout',
      'timeouts/driver-timeout-is-a-timeout-error',
    ],
    wrap: (driver) =>
      wrapDriver(driver, {
        error: (error) =>
          error instanceof RedisTimeoutError
            ? { throw: new RedisConnectionError(error.message, { cause: error }) }
            : { throw: error },
      }),
  },
  {
    fault: 'does not resubscribe after a reconnect (its subscriptions go quiet once the connection was cut)',
    mustFail: ['pubsub/server-restart', 'pubsub/resubscribes-after-connections-drop'],
    wrap: (driver) => {
      const subscribe = driver.subscribe?.bind(driver);
      if (!subscribe) return driver;
      return forwardDriver(driver, {
        async subscribe(target, onMessage) {
          let lost = false;
          const stop = onConnectionsCut(() => {
            lost = true;
          });
          const subscription = await subscribe(target, (message) => {
            if (!lost) onMessage(message);
          });
          return {
            unsubscribe: async () => {
              stop();
              await subscription.unsubscribe();
            },
          };
        },
      });
    },
  },
];
