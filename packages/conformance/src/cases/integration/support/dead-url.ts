import { closedPort } from '../../../harness/free-port.js';

/**
 * The case's own URL pointed at a loopback port nothing listens on. Only host and port change, so
 * an adapter that speaks another scheme (an HTTP bridge) gets a URL of its own kind.
 */
export async function deadUrl(url: string): Promise<string> {
  const target = new URL(url);
  target.hostname = '127.0.0.1';
  target.port = String(await closedPort());
  return target.toString();
}
