import assert from 'node:assert/strict';
import {
  RedisAuthError,
  RedisClosedError,
  RedisConnectionError,
  RedisReplyError,
  type RedisService,
  RedisTimeoutError,
  RedisUnavailableError,
} from '@redis-service/core';
import type { IntegrationCase, IntegrationContext } from '../../case.js';
import { startFaultProxy } from '../../harness/fault-proxy.js';
import { closedPort, findFreePort } from '../../harness/free-port.js';
import { createSelfSignedCertificate, opensslAvailable } from '../../harness/tls-certificate.js';
import { defineCases } from './support/define-cases.js';
import { pauseServer, privateServer, rawConnection, serviceFor } from './support/private-server.js';
import { rejectsWith } from './support/rejects-with.js';

/** How long a server may take to get into the state a case needs (generous: machines are shared). */
const STATE_GUARD_MS = 15_000;

/** Asserts a server error reply kept its text and prefix, and is not one of the "unavailable" states. */
function assertPlainReply(error: RedisReplyError, prefix: string, what: string): void {
  assert.equal(error.prefix, prefix, `${what}: prefix`);
  assert.ok(error.message.startsWith(prefix), `${what}: message ${error.message}`);
  assert.ok(!(error instanceof RedisUnavailableError), `${what}: ${prefix} is not "unavailable"`);
  assert.equal(error.code, 'ERR_REDIS_REPLY', `${what}: code`);
}

/** Asserts a server state that means "not available right now" arrived as `RedisUnavailableError`. */
async function assertUnavailable(call: Promise<unknown>, prefix: string, what: string): Promise<void> {
  const error = await rejectsWith(call, RedisUnavailableError, what);
  assert.ok(error instanceof RedisReplyError, `${what}: a RedisUnavailableError is a RedisReplyError`);
  assert.equal(error.prefix, prefix, `${what}: prefix`);
  assert.ok(error.message.startsWith(prefix), `${what}: the server's message verbatim, got ${error.message}`);
  assert.equal(error.code, 'ERR_REDIS_UNAVAILABLE', `${what}: code`);
}

/** `url` with its scheme made secure (`redis:` -> `rediss:`, `http:` -> `https:`), nothing else changed. */
function secureUrl(url: string): string {
  const secure = new URL(url);
  secure.protocol = secure.protocol === 'redis:' ? 'rediss:' : 'https:';
  return secure.toString();
}

/** Whether the adapter connects with RESP URLs (else it speaks another protocol, behind `exposeServer`). */
function speaksResp(ctx: IntegrationContext): boolean {
  return new URL(ctx.url).protocol === 'redis:' || new URL(ctx.url).protocol === 'rediss:';
}

/** A TLS endpoint the adapter can be pointed at whose certificate it does not trust. */
async function untrustedTlsUrl(ctx: IntegrationContext): Promise<string> {
  if (!opensslAvailable()) ctx.skip('making a test certificate needs openssl, which is not on PATH');
  const certificate = await createSelfSignedCertificate();
  ctx.defer(() => certificate.remove());
  if (speaksResp(ctx)) {
    // A real redis-server speaking TLS with the certificate, plaintext on its own port too.
    const tlsPort = await findFreePort();
    const server = await privateServer(ctx, [
      '--tls-port',
      String(tlsPort),
      '--tls-cert-file',
      certificate.certFile,
      '--tls-key-file',
      certificate.keyFile,
      '--tls-ca-cert-file',
      certificate.certFile,
      '--tls-auth-clients',
      'no',
    ]);
    const url = new URL(server.url);
    url.protocol = 'rediss:';
    url.port = String(tlsPort);
    return url.toString();
  }
  // Another protocol (a REST bridge): TLS with the certificate in front of the adapter's endpoint.
  const proxy = await startFaultProxy({
    target: ctx.url,
    tls: { cert: certificate.cert, key: certificate.key },
  });
  ctx.defer(() => proxy.close());
  return secureUrl(proxy.urlFor(ctx.url));
}

async function assertAuthRefused(redis: RedisService, what: string, password?: string): Promise<void> {
  const error = await rejectsWith(redis.get('k'), RedisAuthError, what);
  assert.ok(error instanceof RedisConnectionError, `${what}: a RedisAuthError is a RedisConnectionError`);
  assert.equal(error.code, 'ERR_REDIS_AUTH', `${what}: code`);
  if (password) assert.ok(!error.message.includes(password), `${what}: the password is not in the message`);
}

/** Asserts a rate-limit check under `'fail-open'` carries on (degraded) instead of throwing. */
async function assertFailsOpen(redis: RedisService, when: string): Promise<void> {
  const limited = await redis.checkRateLimit('rl', {
    algorithm: 'fixed-window',
    limit: 1,
    windowMs: 1000,
    failurePolicy: 'fail-open',
  });
  assert.equal(limited.degraded, true, `'fail-open' carries on ${when}`);
}

const ONE_SERVER =
  'it brings a private single server into the state under test (a password, a pause, maxmemory, a replica); a cluster driver needs a whole cluster there. The cluster columns check the cluster states (CLUSTERDOWN, TRYAGAIN, MOVED, ASK) in cluster/* instead';

/**
 * The failure -> class table (see `classifyServerError` and the README's error section), checked
 * on real servers put into each state: the same failure gives the same class on every adapter, so
 * failure policies behave the same on every driver. States a real server cannot be brought into
 * on demand (LOADING, TRYAGAIN) are in the unit tier (`errors/server-states-are-classified`); a
 * closed port is `fail-fast/refused-connection-rejects-fast`, an unparsable reply
 * `faults/malformed-reply`.
 */
export const errorClassCases: IntegrationCase[] = defineCases('error-classes', [
  {
    slug: 'refused-credentials-are-auth-errors',
    skipOnCluster: ONE_SERVER,
    name: 'a missing password, a wrong one and an unknown ACL user all reject with RedisAuthError (a RedisConnectionError), never a reply error',
    timeoutMs: 60_000,
    async run(ctx) {
      const password = 'kit-Secret-5e1f';
      const server = await privateServer(ctx, [
        '--requirepass',
        password,
        '--user',
        'alice',
        'on',
        '>alice-Secret-77',
        '~*',
        '&*',
        '+@all',
      ]);
      const { port } = server;
      const at = (auth: string) => `redis://${auth}127.0.0.1:${port}`;
      const right = await serviceFor(ctx, at(`:${password}@`));
      assert.equal(await right.set('k', 'v'), true, 'the right password works');
      const alice = await serviceFor(ctx, at('alice:alice-Secret-77@'));
      assert.equal(await alice.get('k'), 'v', 'an ACL user with the right password works');
      await assertAuthRefused(await serviceFor(ctx, at('')), 'no password');
      await assertAuthRefused(
        await serviceFor(ctx, at(':wrong-Secret-1@')),
        'a wrong password',
        'wrong-Secret-1',
      );
      await assertAuthRefused(
        await serviceFor(ctx, at('mallory:mallory-Secret-2@')),
        'an unknown ACL user',
        'mallory-Secret-2',
      );
      await assertFailsOpen(await serviceFor(ctx, at('')), 'when the credentials are refused');
    },
  },
  {
    slug: 'refused-tls-is-a-connection-error',
    name: 'TLS to a plaintext server, and to a server whose certificate is not trusted, rejects with RedisConnectionError',
    timeoutMs: 60_000,
    async run(ctx) {
      const plaintext = await ctx.createService({ url: secureUrl(ctx.url) });
      await rejectsWith(plaintext.get('k'), RedisConnectionError, 'TLS to a plaintext server');
      const untrusted = await ctx.createService({ url: await untrustedTlsUrl(ctx) });
      const error = await rejectsWith(
        untrusted.get('k'),
        RedisConnectionError,
        'TLS with an untrusted certificate',
      );
      assert.ok(!(error instanceof RedisAuthError), 'a refused certificate is not an auth error');
    },
  },
  {
    slug: 'a-stopped-server-times-out',
    skipOnCluster: ONE_SERVER,
    name: 'a server that stopped answering rejects with RedisTimeoutError after the command timeout',
    timeoutMs: 60_000,
    async run(ctx) {
      const server = await privateServer(ctx);
      const redis = await serviceFor(ctx, server.url, { commandTimeoutMs: 1000, healthCheckTimeoutMs: 0 });
      await redis.set('k', 'v');
      const resume = pauseServer(ctx, server);
      const error = await rejectsWith(redis.get('k'), RedisTimeoutError, 'GET on a stopped server');
      assert.equal(error.timeoutMs, 1000);
      resume();
    },
  },
  {
    slug: 'closed-service-is-closed-error',
    name: 'a call after close() rejects with RedisClosedError, which is no connection or reply error',
    async run(ctx) {
      const redis = await ctx.createService();
      await redis.close();
      const error = await rejectsWith(redis.get('k'), RedisClosedError, 'GET after close');
      assert.ok(!(error instanceof RedisConnectionError) && !(error instanceof RedisReplyError));
    },
  },
  {
    slug: 'command-errors-are-reply-errors',
    name: 'a command error (WRONGTYPE, ERR) is a RedisReplyError with the server text, not "unavailable"',
    async run(ctx) {
      await ctx.redis.rpush('list', 'x');
      assertPlainReply(
        await rejectsWith(ctx.redis.get('list'), RedisReplyError, 'GET on a list'),
        'WRONGTYPE',
        'GET',
      );
      assertPlainReply(
        await rejectsWith(ctx.redis.command(['NOSUCHCOMMAND']), RedisReplyError, 'unknown'),
        'ERR',
        'x',
      );
    },
  },
  {
    slug: 'busy-script-is-unavailable',
    skipOnCluster: ONE_SERVER,
    name: 'a server busy running a long script answers BUSY: RedisUnavailableError, and fail-open carries on',
    requires: ['scripting'],
    timeoutMs: 60_000,
    async run(ctx) {
      const server = await privateServer(ctx, ['--busy-reply-threshold', '50']);
      const redis = await serviceFor(ctx, server.url);
      await redis.set('k', 'v');
      const runner = await rawConnection(ctx, server.url);
      // Read-only, so SCRIPT KILL can end it; bounded, so a kit that dies cannot leave it spinning.
      const busy = runner.send([
        'EVAL',
        "local t = redis.call('TIME') local stop = t[1] + 20 while tonumber(redis.call('TIME')[1]) < stop do end return 1",
        '0',
      ]);
      busy.catch(() => {});
      const killer = await rawConnection(ctx, server.url);
      try {
        await waitForBusy(killer);
        await assertUnavailable(redis.get('k'), 'BUSY', 'GET while a script runs');
        await assertFailsOpen(redis, 'while the server is busy');
      } finally {
        await killer.send(['SCRIPT', 'KILL']);
      }
      await busy.catch(() => {});
      assert.equal(await redis.get('k'), 'v', 'served again once the script is gone');
    },
  },
  {
    slug: 'out-of-memory-is-a-reply-error',
    skipOnCluster: ONE_SERVER,
    name: 'a write refused for maxmemory (noeviction) is a RedisReplyError with prefix OOM, not "unavailable"',
    timeoutMs: 60_000,
    async run(ctx) {
      const server = await privateServer(ctx, ['--maxmemory', '1', '--maxmemory-policy', 'noeviction']);
      const redis = await serviceFor(ctx, server.url);
      const error = await rejectsWith(redis.set('k', 'v'), RedisReplyError, 'SET over maxmemory');
      assertPlainReply(error, 'OOM', 'SET over maxmemory');
      assert.equal(await redis.get('k'), null, 'reads still work');
    },
  },
  {
    slug: 'read-only-replica-is-unavailable',
    skipOnCluster: ONE_SERVER,
    name: 'a write to a read-only replica is RedisUnavailableError with prefix READONLY',
    timeoutMs: 60_000,
    async run(ctx) {
      const master = await privateServer(ctx);
      const replica = await privateServer(ctx, ['--replicaof', '127.0.0.1', String(master.port)]);
      const redis = await serviceFor(ctx, replica.url);
      await assertUnavailable(redis.set('k', 'v'), 'READONLY', 'SET on a replica');
    },
  },
  {
    slug: 'too-few-replicas-is-unavailable',
    skipOnCluster: ONE_SERVER,
    name: 'a write without enough replicas (min-replicas-to-write) is RedisUnavailableError with prefix NOREPLICAS, in a script too; reads still work',
    timeoutMs: 60_000,
    async run(ctx) {
      const server = await privateServer(ctx, ['--min-replicas-to-write', '1']);
      const redis = await serviceFor(ctx, server.url);
      await assertUnavailable(redis.set('k', 'v'), 'NOREPLICAS', 'SET without a replica');
      assert.equal(await redis.get('k'), null, 'reads still work, and the write did not run');
      await assertFailsOpen(redis, 'when the server refuses writes for want of replicas');
    },
  },
  {
    slug: 'replica-without-master-is-unavailable',
    skipOnCluster: ONE_SERVER,
    name: 'a read on a replica that lost its master (replica-serve-stale-data no) is RedisUnavailableError with prefix MASTERDOWN',
    timeoutMs: 60_000,
    async run(ctx) {
      const replica = await privateServer(ctx, [
        '--replicaof',
        '127.0.0.1',
        String(await closedPort()),
        '--replica-serve-stale-data',
        'no',
      ]);
      const redis = await serviceFor(ctx, replica.url);
      await assertUnavailable(redis.get('k'), 'MASTERDOWN', 'GET on a replica without its master');
    },
  },
  {
    slug: 'cluster-down-is-unavailable',
    skipOnCluster: ONE_SERVER,
    name: 'a key command on a cluster node that serves no slot is RedisUnavailableError with prefix CLUSTERDOWN',
    timeoutMs: 60_000,
    async run(ctx) {
      const node = await privateServer(ctx, ['--cluster-enabled', 'yes']);
      const redis = await serviceFor(ctx, node.url);
      await assertUnavailable(redis.get('k'), 'CLUSTERDOWN', 'GET on a cluster that is down');
    },
  },
]);

/** Waits until the server answers BUSY (the script has run past `busy-reply-threshold`). */
async function waitForBusy(connection: Awaited<ReturnType<typeof rawConnection>>): Promise<void> {
  const deadline = performance.now() + STATE_GUARD_MS;
  while (performance.now() < deadline) {
    const reply = await connection.send(['PING']);
    if (reply.type === 'error' && reply.message.startsWith('BUSY')) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the server did not become BUSY within ${STATE_GUARD_MS} ms`);
}
