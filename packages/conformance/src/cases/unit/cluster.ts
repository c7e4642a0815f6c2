import assert from 'node:assert/strict';
import { keySlot, RedisReplyError, RedisUnavailableError } from '@redis-service/core';
import type { UnitCase, UnitContext } from '../../case.js';
import { reply } from '../../fake/resp-value.js';
import type { ScriptedServer, ScriptedServerScript } from '../../fake/scripted-server.js';
import { clusterSlotsReply } from '../../fake/server-defaults.js';
import {
  commandsNamed,
  PROMPT_FAILURE_MS,
  rejectsWithin,
  settleWithin,
  UNIT_COMMAND_TIMEOUT_MS,
} from './unit-support.js';

/** The last slot node A serves; B serves the rest. */
const SPLIT = 8191;

/** A key of A's half of the slots, and another of the same slot. */
const KEY = firstKey((slot) => slot <= SPLIT, 'a');
const SAME_SLOT = `{${KEY}}:2`;
const KEY_SLOT = keySlot(KEY);

function firstKey(accept: (slot: number) => boolean, stem: string): string {
  for (let i = 0; ; i++) if (accept(keySlot(`${stem}${i}`))) return `${stem}${i}`;
}

interface TwoNodes {
  readonly a: ScriptedServer;
  readonly b: ScriptedServer;
  readonly driver: Awaited<ReturnType<UnitContext['createDriver']>>;
  /** Moves `slot` to node B in the topology both nodes describe from now on. */
  moveToB(slot: number): void;
}

/** What a fake node's script gets: the other node's port, once it is known. */
interface Peers {
  readonly a: () => number;
  readonly b: () => number;
}

/**
 * Two fake cluster nodes: A serves slots 0..8191, B the rest, as both say in `CLUSTER SLOTS`. Like
 * real nodes, each answers a keyed command of a slot the other one serves with MOVED to it; the
 * scripts answer first (and may redirect or refuse on their own). The driver gets A as its seed.
 */
async function twoNodes(
  ctx: UnitContext,
  scripts: {
    readonly a: (peers: Peers) => ScriptedServerScript;
    readonly b: (peers: Peers) => ScriptedServerScript;
  },
): Promise<TwoNodes> {
  let aPort = 0;
  let bPort = 0;
  const peers: Peers = { a: () => aPort, b: () => bPort };
  const movedToB = new Set<number>();
  const owner = (slot: number) => (slot <= SPLIT && !movedToB.has(slot) ? aPort : bPort);
  const node =
    (script: ScriptedServerScript, own: () => number): ScriptedServerScript =>
    (command, info) => {
      if (command[0] === 'CLUSTER' && command[1]?.toUpperCase() === 'SLOTS') {
        const ranges = [
          { first: 0, last: SPLIT, port: aPort },
          { first: SPLIT + 1, last: 16383, port: bPort },
        ].flatMap((range) => splitAround(range, movedToB, bPort));
        return clusterSlotsReply(ranges);
      }
      const scripted = script(command, info);
      if (scripted !== undefined) return scripted;
      const key = command[1];
      if (
        key !== undefined &&
        command[0] !== 'CLUSTER' &&
        command[0] !== 'CLIENT' &&
        command[0] !== 'HELLO' &&
        command[0] !== 'AUTH'
      ) {
        const slot = keySlot(key);
        if (owner(slot) !== own()) return reply.error(`MOVED ${slot} 127.0.0.1:${owner(slot)}`);
      }
      return undefined;
    };
  const b = await ctx.fakeServer(node(scripts.b(peers), () => bPort));
  bPort = b.port;
  const a = await ctx.fakeServer(node(scripts.a(peers), () => aPort));
  aPort = a.port;
  const driver = await ctx.createDriver({ url: a.url, commandTimeoutMs: UNIT_COMMAND_TIMEOUT_MS });
  return { a, b, driver, moveToB: (slot) => movedToB.add(slot) };
}

/** A slot range with the slots moved to B carved out and given to B. */
function splitAround(
  range: { first: number; last: number; port: number },
  moved: ReadonlySet<number>,
  bPort: number,
): { first: number; last: number; port: number }[] {
  const ranges: { first: number; last: number; port: number }[] = [];
  let start = range.first;
  for (let slot = range.first; slot <= range.last; slot++) {
    if (!moved.has(slot) || range.port === bPort) continue;
    if (slot > start) ranges.push({ first: start, last: slot - 1, port: range.port });
    ranges.push({ first: slot, last: slot, port: bPort });
    start = slot + 1;
  }
  if (start <= range.last) ranges.push({ first: start, last: range.last, port: range.port });
  return ranges;
}

const moved: UnitCase = {
  id: 'cluster/moved-is-followed',
  group: 'cluster',
  name: 'a -MOVED reply sends the command to the node it names, and its reply is the answer',
  tier: 'unit',
  requires: ['cluster'],
  async run(ctx) {
    const { b, driver, moveToB } = await twoNodes(ctx, {
      a: () => () => undefined,
      b: () => (command) =>
        command[0] === 'GET' && command[1] === KEY ? reply.bulk(`from b: ${command[1]}`) : undefined,
    });
    // The driver learns the topology (A serves the key's slot), then the slot moves to B.
    assert.equal(await driver.send(['PING']), 'PONG');
    moveToB(KEY_SLOT);
    const outcome = await settleWithin(driver.send(['GET', KEY]), PROMPT_FAILURE_MS, 'GET on a moved slot');
    assert.ok(outcome.ok, `GET on a moved slot failed: ${String(outcome.ok ? '' : outcome.error)}`);
    assert.equal(outcome.value, `from b: ${KEY}`);
    assert.deepEqual(commandsNamed(b, 'GET')[0], ['GET', KEY], 'node B got the command');
  },
};

const ask: UnitCase = {
  id: 'cluster/ask-is-followed',
  group: 'cluster',
  name: 'an -ASK reply sends ASKING and then the command to the node it names (a slot being migrated), once',
  tier: 'unit',
  requires: ['cluster'],
  async run(ctx) {
    const asking = new Set<number>();
    const { b, driver } = await twoNodes(ctx, {
      a:
        ({ b: bPort }) =>
        (command) =>
          command[0] === 'GET' ? reply.error(`ASK ${KEY_SLOT} 127.0.0.1:${bPort()}`) : undefined,
      // Like an importing node: the command is served only right after ASKING on its connection.
      b:
        ({ a: aPort }) =>
        (command, { connection }) => {
          if (command[0] === 'ASKING') {
            asking.add(connection);
            return reply.ok();
          }
          if (command[0] !== 'GET') return undefined;
          const asked = asking.delete(connection);
          return asked ? reply.bulk('imported') : reply.error(`MOVED ${KEY_SLOT} 127.0.0.1:${aPort()}`);
        },
    });
    const outcome = await settleWithin(
      driver.send(['GET', KEY]),
      PROMPT_FAILURE_MS,
      'GET on a migrating slot',
    );
    assert.ok(outcome.ok, `GET on a migrating slot failed: ${String(outcome.ok ? '' : outcome.error)}`);
    assert.equal(outcome.value, 'imported');
    const sequence = b.received
      .map((command) => command.argv[0])
      .filter((name) => name === 'ASKING' || name === 'GET');
    assert.deepEqual(sequence, ['ASKING', 'GET'], 'ASKING right before the command, on node B');
  },
};

const crossSlot: UnitCase = {
  id: 'cluster/crossslot-is-a-reply-error',
  group: 'cluster',
  name: 'a -CROSSSLOT reply rejects with RedisReplyError, the server message verbatim, promptly (no retry)',
  tier: 'unit',
  requires: ['cluster'],
  async run(ctx) {
    const message = "CROSSSLOT Keys in request don't hash to the same slot";
    const { a, driver } = await twoNodes(ctx, {
      a: () => (command) => (command[0] === 'MGET' ? reply.error(message) : undefined),
      b: () => () => undefined,
    });
    const error = await rejectsWithin(
      driver.send(['MGET', KEY, SAME_SLOT]),
      RedisReplyError,
      PROMPT_FAILURE_MS,
      'MGET answered CROSSSLOT',
    );
    assert.equal(error.message, message);
    assert.equal(error.prefix, 'CROSSSLOT');
    assert.equal(commandsNamed(a, 'MGET').length, 1, 'sent once: CROSSSLOT is not worth a retry');
  },
};

const tryAgain: UnitCase = {
  id: 'cluster/tryagain-is-retried',
  group: 'cluster',
  name: 'a -TRYAGAIN reply (a multi-key command on a half-migrated slot) is sent again until the slot settles',
  tier: 'unit',
  requires: ['cluster'],
  async run(ctx) {
    let refusals = 2;
    const { a, driver } = await twoNodes(ctx, {
      a: () => (command) => {
        if (command[0] !== 'MGET') return undefined;
        if (refusals-- > 0) return reply.error('TRYAGAIN Multiple keys request during rehashing of slot');
        return reply.array([reply.bulk('1'), reply.bulk('2')]);
      },
      b: () => () => undefined,
    });
    const outcome = await settleWithin(
      driver.send(['MGET', KEY, SAME_SLOT]),
      PROMPT_FAILURE_MS,
      'MGET answered TRYAGAIN twice',
    );
    assert.ok(outcome.ok, `MGET after TRYAGAIN failed: ${String(outcome.ok ? '' : outcome.error)}`);
    assert.deepEqual(outcome.value, ['1', '2']);
    assert.equal(commandsNamed(a, 'MGET').length, 3, 'sent three times: twice refused, then served');
  },
};

const clusterDown: UnitCase = {
  id: 'cluster/clusterdown-is-a-typed-error',
  group: 'cluster',
  name: 'a cluster that keeps answering -CLUSTERDOWN fails the command with RedisUnavailableError (CLUSTERDOWN) within the command timeout, not a hang',
  tier: 'unit',
  requires: ['cluster'],
  async run(ctx) {
    const message = 'CLUSTERDOWN The cluster is down';
    // A cluster that is down says so on every node.
    const down: ScriptedServerScript = (command) => (command[0] === 'GET' ? reply.error(message) : undefined);
    const { driver } = await twoNodes(ctx, { a: () => down, b: () => down });
    const error = await rejectsWithin(
      driver.send(['GET', KEY]),
      RedisUnavailableError,
      PROMPT_FAILURE_MS,
      'GET on a cluster that is down',
    );
    assert.equal(error.message, message);
    assert.equal(error.prefix, 'CLUSTERDOWN');
  },
};

/** The cluster-specific unit cases: redirections and cluster errors answered by scripted fake nodes. */
export const clusterUnitCases: UnitCase[] = [moved, ask, crossSlot, tryAgain, clusterDown];
