import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort, type RedisServerHandle, startRedisServer } from '@redis-service/conformance/harness';

/** A private redis-server with a TLS port signed by a throwaway CA, and an ACL user. */
export interface TlsRedis {
  readonly server: RedisServerHandle;
  /** `rediss://app:PASSWORD@127.0.0.1:TLS_PORT` */
  readonly tlsUrl: string;
  /** The PEM file of the private CA that signed the server's certificate. */
  readonly caFile: string;
}

export const ACL_USER = 'app';

/**
 * Makes a private CA and a server certificate for 127.0.0.1 with openssl, and starts a
 * redis-server (through the kit's harness) that also listens with TLS and knows the ACL user `app`.
 */
export async function startTlsRedis(dir: string): Promise<TlsRedis> {
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=outside-check CA',
  );
  openssl('req', '-new', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(file('san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'san.cnf',
  );
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const tlsPort = await findFreePort();
  const server = await startRedisServer({
    args: [
      '--tls-port',
      String(tlsPort),
      '--tls-cert-file',
      file('server.pem'),
      '--tls-key-file',
      file('server.key'),
      '--tls-ca-cert-file',
      file('ca.pem'),
      '--tls-auth-clients',
      'no',
      '--user',
      ACL_USER,
      'on',
      `>${password}`,
      '~*',
      '&*',
      '+@all',
    ],
  });
  return { server, tlsUrl: `rediss://${ACL_USER}:${password}@127.0.0.1:${tlsPort}`, caFile: file('ca.pem') };
}
