import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A self-signed certificate for `localhost` / `127.0.0.1`, made for one test run. */
export interface SelfSignedCertificate {
  /** The certificate, PEM. */
  readonly cert: string;
  /** Its private key, PEM. */
  readonly key: string;
  /** The certificate's file (for `redis-server --tls-cert-file`). */
  readonly certFile: string;
  /** The key's file (for `redis-server --tls-key-file`). */
  readonly keyFile: string;
  /** Deletes the files. Idempotent. */
  remove(): Promise<void>;
}

/** Whether `openssl` can be run here (`createSelfSignedCertificate` needs it). */
export function opensslAvailable(): boolean {
  const probe = spawnSync('openssl', ['version'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

/**
 * Makes a fresh self-signed certificate with `openssl` (valid for a day, for `localhost` and
 * `127.0.0.1`), so that no key is ever checked in: a server presenting it is one a client does
 * not trust. Throws when `openssl` is not available.
 */
export async function createSelfSignedCertificate(): Promise<SelfSignedCertificate> {
  if (!opensslAvailable()) throw new Error('openssl was not found on PATH');
  const dir = await mkdtemp(join(tmpdir(), 'redis-service-kit-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`openssl could not make a certificate: ${made.stderr || made.error?.message}`);
  }
  const [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
  let removed: Promise<void> | undefined;
  return {
    cert,
    key,
    certFile,
    keyFile,
    remove() {
      removed ??= rm(dir, { recursive: true, force: true });
      return removed;
    },
  };
}
