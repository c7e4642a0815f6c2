import { RedisReplyError, RedisSerializationError } from '../errors/redis-error.js';
import type { RedisArg, RedisCommand, RedisReply } from '../port/reply.js';
import { commandKeyIndexes } from './command-keys.js';
import { type KeyInSlot, keyText, RedisCrossSlotError } from './cross-slot-error.js';
import { keySlot } from './key-slot.js';

/** One single-slot command of a split multi-key command. */
export interface SlotPart {
  readonly command: RedisCommand;
  readonly slot: number;
  /**
   * The part is a `GET` standing in for a one-key `MGET` (cheaper for both sides: a bulk reply,
   * not an array of one): its reply is the value itself, and a `WRONGTYPE` error means the key
   * holds another type, which MGET answers with nil. See `partReplyOnError`.
   */
  readonly single?: true;
}

/**
 * Where one command goes on a cluster: to one `slot` (`undefined`: it has no keys, any node will
 * do), or, for a multi-key command whose keys span slots, as `parts` (one per slot, sent in
 * parallel) whose replies `merge` puts back together in the caller's order.
 */
export type CommandRoute =
  | { readonly slot: number | undefined; readonly parts?: undefined }
  | {
      readonly slot?: undefined;
      readonly parts: readonly SlotPart[];
      merge(replies: readonly RedisReply[]): RedisReply;
    };

/** Multi-key commands that keep their meaning when split by slot, and how their parts merge. */
const SPLITTABLE: Readonly<
  Record<string, { readonly step: 1 | 2; readonly merge: 'values' | 'sum' | 'ok' }>
> = {
  MGET: { step: 1, merge: 'values' },
  DEL: { step: 1, merge: 'sum' },
  UNLINK: { step: 1, merge: 'sum' },
  EXISTS: { step: 1, merge: 'sum' },
  TOUCH: { step: 1, merge: 'sum' },
  MSET: { step: 2, merge: 'ok' },
};

const KEYLESS: CommandRoute = Object.freeze({ slot: undefined });

/**
 * Routes `command` on a cluster: its slot when all its keys share one, else its per-slot parts
 * when the command can be split (MGET, MSET, DEL, UNLINK, EXISTS, TOUCH).
 *
 * @throws RedisCrossSlotError when its keys span slots and it cannot be split
 */
export function routeCommand(command: RedisCommand): CommandRoute {
  const indexes = commandKeyIndexes(command);
  if (indexes === undefined) return unknownRoute(command);
  if (indexes.length === 0) return keylessRoute(command);
  const first = keySlot(command[indexes[0]!]!);
  let spans = false;
  for (let i = 1; i < indexes.length; i++) {
    if (keySlot(command[indexes[i]!]!) !== first) {
      spans = true;
      break;
    }
  }
  if (!spans) return { slot: first };
  const split = SPLITTABLE[nameOf(command)];
  if (!split)
    throw crossSlot(
      `${nameOf(command)}`,
      indexes.map((index) => command[index]!),
    );
  return splitBySlot(command, split.step, split.merge);
}

/**
 * A command the table does not know (a module's: JSON.GET, TS.ADD, BF.ADD, ...) goes to the slot
 * of its first argument, which is where such commands name their key; a keyless one runs on
 * whichever node that is. (Sent to a random node instead, a keyed one would bounce on MOVED, and
 * node-redis re-routes a MOVED by the same routing key.)
 */
function unknownRoute(command: RedisCommand): CommandRoute {
  const first = command[1];
  return first === undefined ? KEYLESS : { slot: keySlot(first) };
}

/**
 * A PUBLISH goes to the node of its channel's slot: a cluster forwards a message to every node
 * whichever node receives it, but a channel's messages that always pass through the same node
 * arrive in the order one publisher sent them. (A channel is no key: a transaction or a script
 * may publish on any channel, so only this routing looks at it.)
 */
function keylessRoute(command: RedisCommand): CommandRoute {
  const channel = command[1];
  return channel !== undefined && nameOf(command) === 'PUBLISH' ? { slot: keySlot(channel) } : KEYLESS;
}

/**
 * The one slot of a group of commands that must run on one node (a transaction, a script), or
 * `undefined` when none of them has a key.
 *
 * @throws RedisCrossSlotError naming every key and its slot when they span slots
 */
export function sharedSlot(commands: readonly RedisCommand[], what: string): number | undefined {
  let slot: number | undefined;
  let spans = false;
  const keys: RedisArg[] = [];
  for (const command of commands) {
    for (const index of commandKeyIndexes(command) ?? []) {
      const key = command[index]!;
      keys.push(key);
      const own = keySlot(key);
      if (slot === undefined) slot = own;
      else if (own !== slot) spans = true;
    }
  }
  if (spans) throw crossSlot(what, keys);
  return slot;
}

/**
 * The one slot of `keys` (a script's keys), or `undefined` when there are none.
 *
 * @throws RedisCrossSlotError naming every key and its slot when they span slots
 */
export function keysSlot(keys: readonly RedisArg[], what: string): number | undefined {
  if (keys.length === 0) return undefined;
  const slot = keySlot(keys[0]!);
  for (let i = 1; i < keys.length; i++) if (keySlot(keys[i]!) !== slot) throw crossSlot(what, keys);
  return slot;
}

/**
 * Groups single-slot commands by slot, in the order each slot first appears (keyless commands
 * under `undefined`).
 *
 * @throws RedisCrossSlotError when one command's own keys span slots
 */
export function groupBySlot(commands: readonly RedisCommand[]): Map<number | undefined, RedisCommand[]> {
  const groups = new Map<number | undefined, RedisCommand[]>();
  for (const command of commands) {
    const slot = commandSlot(command);
    const group = groups.get(slot);
    if (group) group.push(command);
    else groups.set(slot, [command]);
  }
  return groups;
}

/**
 * The slot a driver routes `command` to when core did not name one (a direct caller of the port):
 * its first key's, or `undefined` for a command without keys. Whether every key shares it is the
 * server's to check (CROSSSLOT), as with any cluster client.
 */
export function routingSlot(command: RedisCommand): number | undefined {
  const indexes = commandKeyIndexes(command);
  const first = indexes === undefined ? (command.length > 1 ? 1 : undefined) : indexes[0];
  return first === undefined ? undefined : keySlot(command[first]!);
}

/** The slot of the keys of one command that must run on one node; see `sharedSlot`. */
export function commandSlot(command: RedisCommand): number | undefined {
  return sharedSlot([command], nameOf(command));
}

function crossSlot(what: string, keys: readonly RedisArg[]): RedisCrossSlotError {
  const named: KeyInSlot[] = keys.map((key) => ({ key: keyText(key), slot: keySlot(key) }));
  return new RedisCrossSlotError(what, named);
}

function splitBySlot(command: RedisCommand, step: 1 | 2, merge: 'values' | 'sum' | 'ok'): CommandRoute {
  const name = command[0]!;
  // Parts in the order their slot's first key appears, each remembering where its keys came
  // from: parallel arrays and a slot -> part index map (this runs once per key of every split
  // command, so it allocates little).
  const partOf = new Map<number, number>();
  const slots: number[] = [];
  const args: RedisArg[][] = [];
  const positions: number[][] = [];
  let position = 0;
  for (let i = 1; i < command.length; i += step, position++) {
    const slot = keySlot(command[i]!);
    let part = partOf.get(slot);
    if (part === undefined) {
      part = slots.length;
      partOf.set(slot, part);
      slots.push(slot);
      args.push([name]);
      positions.push([]);
    }
    const own = args[part]!;
    own.push(command[i]!);
    if (step === 2) own.push(command[i + 1]!);
    positions[part]!.push(position);
  }
  const total = position;
  const singles = merge === 'values' && step === 1;
  const parts = slots.map(
    (slot, part): SlotPart =>
      singles && positions[part]!.length === 1
        ? { command: ['GET', args[part]![1]!], slot, single: true }
        : { command: args[part]!, slot },
  );
  return {
    parts,
    merge(replies) {
      if (merge === 'ok') return 'OK';
      if (merge === 'sum') return sumOf(replies, nameOf(command));
      const values: RedisReply[] = new Array(total);
      for (let part = 0; part < parts.length; part++) {
        const reply = replies[part];
        const at = positions[part]!;
        if (parts[part]!.single) {
          if (Array.isArray(reply)) {
            throw new RedisSerializationError(`unexpected reply to one slot's part of ${nameOf(command)}`);
          }
          values[at[0]!] = reply ?? null;
          continue;
        }
        if (!Array.isArray(reply) || reply.length !== at.length) {
          throw new RedisSerializationError(`unexpected reply to one slot's part of ${nameOf(command)}`);
        }
        for (let i = 0; i < at.length; i++) values[at[i]!] = reply[i]!;
      }
      return values;
    },
  };
}

/**
 * What one part's failure means for the whole command: a `WRONGTYPE` of a `GET` standing in for a
 * one-key `MGET` is that key's nil (MGET answers nil for a key of another type); any other error
 * stays the part's error (`undefined`).
 */
export function partReplyOnError(part: SlotPart, error: unknown): { readonly value: RedisReply } | undefined {
  return part.single && error instanceof RedisReplyError && error.prefix === 'WRONGTYPE'
    ? { value: null }
    : undefined;
}

function sumOf(replies: readonly RedisReply[], name: string): number | bigint {
  let sum = 0n;
  for (const reply of replies) {
    if (typeof reply !== 'number' && typeof reply !== 'bigint') {
      throw new RedisSerializationError(`unexpected reply to one slot's part of ${name}`);
    }
    sum += BigInt(reply);
  }
  const asNumber = Number(sum);
  return Number.isSafeInteger(asNumber) ? asNumber : sum;
}

function nameOf(command: RedisCommand): string {
  const first = command[0];
  return (first instanceof Uint8Array ? new TextDecoder().decode(first) : String(first)).toUpperCase();
}
