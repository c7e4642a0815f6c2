import { Command } from 'ioredis';

const DIGITS = /^\d+$/;
let installed = false;

/**
 * ioredis reads `CLUSTER SLOTS` over a duplicate of a node connection, so with `stringNumbers: true`
 * (which exact integers need) the slot numbers arrive as text, and its slot-table loop
 * (`for (slot = start; slot <= end; slot++)`) compares `'5461' <= '10922'` as text: whole ranges
 * are left out, so commands for them go to a random node and bounce on MOVED, and the sharded
 * subscribers' table breaks. This installs, once per process, a reply transformer on ioredis' own
 * lowercase `cluster` command (the driver sends its commands uppercase, so they are never touched)
 * that turns the numeric text of a `CLUSTER SLOTS` reply back into numbers. A reply of any other
 * shape, or one already holding numbers, passes unchanged.
 */
export function installClusterSlotsFix(): void {
  if (installed) return;
  installed = true;
  Command.setReplyTransformer('cluster', (result: unknown) =>
    isTextualSlotsReply(result) ? result.map(numericRange) : result,
  );
}

type SlotRange = [unknown, unknown, ...unknown[]];

function isTextualSlotsReply(result: unknown): result is SlotRange[] {
  return (
    Array.isArray(result) &&
    result.length > 0 &&
    result.every(
      (range) =>
        Array.isArray(range) &&
        range.length >= 3 &&
        typeof range[0] === 'string' &&
        DIGITS.test(range[0]) &&
        typeof range[1] === 'string' &&
        DIGITS.test(range[1]) &&
        range.slice(2).every(Array.isArray),
    )
  );
}

function numericRange([first, last, ...nodes]: SlotRange): unknown[] {
  return [
    Number(first),
    Number(last),
    ...nodes.map((node) =>
      Array.isArray(node)
        ? node.map((part, i) =>
            i === 1 && typeof part === 'string' && DIGITS.test(part) ? Number(part) : part,
          )
        : node,
    ),
  ];
}
