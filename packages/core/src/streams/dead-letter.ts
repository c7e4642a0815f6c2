import { defineScript } from '../port/script.js';
import { type StreamEntry, setField } from './stream-entries.js';

/**
 * The fields a dead-letter entry has after the original entry's own fields: where it came from,
 * who held it, how often it was delivered and why it was moved.
 */
export const DEAD_LETTER_FIELDS = {
  stream: 'dead-letter-stream',
  group: 'dead-letter-group',
  consumer: 'dead-letter-consumer',
  id: 'dead-letter-id',
  deliveries: 'dead-letter-deliveries',
  reason: 'dead-letter-reason',
} as const;

/** The reason recorded for an entry moved because it was delivered more than `maxDeliveries` times. */
export const MAX_DELIVERIES_REASON = 'max-deliveries';

/** A dead-letter entry taken apart by `readDeadLetter`. */
export interface DeadLetter {
  /** The dead-letter entry's own id. */
  readonly deadLetterId: string;
  /** The stream the entry was moved from (without the key prefix). */
  readonly stream: string;
  readonly group: string;
  /** The consumer that moved it. */
  readonly consumer: string;
  /** The entry's id in its stream. */
  readonly id: string;
  /** How many times it had been delivered. */
  readonly deliveries: number;
  /** `max-deliveries`, or the reason given to `message.deadLetter(reason)`. */
  readonly reason: string;
  /** The original entry's fields. */
  readonly fields: Record<string, string>;
}

/**
 * Moves one pending entry to a dead-letter stream, atomically: only when it is still pending for
 * this consumer (so two consumers never both move it, and an entry acknowledged meanwhile is left
 * alone), XADD to the dead-letter stream first and XACK after, so a failing XADD acknowledges
 * nothing. An entry deleted from its stream meanwhile is only acknowledged.
 *
 * KEYS: the stream, the dead-letter stream. ARGV: group, consumer, id, reason, the stream's name
 * as the caller knows it (no key prefix). Returns 1 (moved), 0 (not pending for this consumer),
 * -1 (the entry was deleted: acknowledged, nothing to move).
 */
export const DEAD_LETTER_SCRIPT = defineScript(`
local held = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)[1]
if held == nil or held[2] ~= ARGV[2] then return 0 end
local found = redis.call('XRANGE', KEYS[1], ARGV[3], ARGV[3])[1]
if found == nil then
  redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
  return -1
end
local args = { KEYS[2], '*' }
for _, value in ipairs(found[2]) do args[#args + 1] = value end
local metadata = {
  '${DEAD_LETTER_FIELDS.stream}', ARGV[5], '${DEAD_LETTER_FIELDS.group}', ARGV[1],
  '${DEAD_LETTER_FIELDS.consumer}', ARGV[2], '${DEAD_LETTER_FIELDS.id}', ARGV[3],
  '${DEAD_LETTER_FIELDS.deliveries}', tostring(held[4]), '${DEAD_LETTER_FIELDS.reason}', ARGV[4] }
for _, value in ipairs(metadata) do args[#args + 1] = value end
redis.call('XADD', unpack(args))
redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
return 1
`);

const METADATA = new Set<string>(Object.values(DEAD_LETTER_FIELDS));

/**
 * Takes a dead-letter entry apart: where it came from and the original fields. `null` for an
 * entry that is not one (it lacks the `dead-letter-*` fields). An original field that itself had
 * one of those names is shadowed by the metadata (the metadata comes last, and the last value of
 * a name wins).
 */
export function readDeadLetter(entry: StreamEntry): DeadLetter | null {
  const { fields } = entry;
  for (const name of METADATA) if (!Object.hasOwn(fields, name)) return null;
  const original: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields))
    if (!METADATA.has(name)) setField(original, name, value);
  return {
    deadLetterId: entry.id,
    stream: fields[DEAD_LETTER_FIELDS.stream]!,
    group: fields[DEAD_LETTER_FIELDS.group]!,
    consumer: fields[DEAD_LETTER_FIELDS.consumer]!,
    id: fields[DEAD_LETTER_FIELDS.id]!,
    deliveries: Number(fields[DEAD_LETTER_FIELDS.deliveries]),
    reason: fields[DEAD_LETTER_FIELDS.reason]!,
    fields: original,
  };
}
