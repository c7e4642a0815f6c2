/**
 * `pnpm bench`: speed as ratios against the raw drivers, measured in one run on one private
 * redis-server. Never a pass/fail timing assert: the numbers are for reading and for the notes.
 *
 * It runs on the built packages (`pnpm bench` builds first), not on `src` through tsx: tsx's
 * transform wraps every closure in a naming helper that costs more than the code being measured.
 */
import { startRedisServer } from '@redis-service/conformance/harness';
import { benchBlocking } from './blocking.js';
import { benchGetSet } from './get-set.js';
import { benchRateLimit } from './rate-limit.js';
import { benchStampede } from './stampede.js';

const server = await startRedisServer();
try {
  console.log(`redis-server on ${server.url}; node ${process.version}\n`);
  await benchGetSet(server.url);
  await benchRateLimit(server.url);
  await benchStampede(server.url);
  await benchBlocking(server.url);
} finally {
  await server.stop();
}
