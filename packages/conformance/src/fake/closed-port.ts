import type { Transport } from '../case.js';
import { closedPort } from '../harness/free-port.js';

/**
 * A URL of a loopback port with nothing listening (bound, read, released), in the scheme of the
 * transport (`redis://`, or `http://` for REST), for cases where connecting must fail fast.
 */
export async function closedPortUrl(transport: Transport = 'resp'): Promise<string> {
  const scheme = transport === 'upstash-rest' ? 'http' : 'redis';
  return `${scheme}://127.0.0.1:${await closedPort()}`;
}
