/** What every entry counts besides its key and value: the node, its `Map` slot and the list links. */
export const ENTRY_OVERHEAD_BYTES = 160;

/**
 * The estimated size of an entry, the measure of `L1Options.maxBytes`: `ENTRY_OVERHEAD_BYTES`
 * plus two bytes per character of the key and of the text Redis returned (JS strings are UTF-16
 * at worst). An estimate, not a heap measurement: V8 stores Latin-1 strings in one byte per
 * character, and a decoded object costs more than its text, which `decodedBytes` counts again.
 */
export function estimateBytes(key: string, textLength: number): number {
  return ENTRY_OVERHEAD_BYTES + 2 * (key.length + textLength);
}

/** What one more decoded form (a JSON value, a model's output) of `textLength` characters of text adds. */
export function decodedBytes(textLength: number): number {
  return 2 * textLength;
}

/** The text length of a hash as HGETALL returned it: every field and value. */
export function recordTextLength(record: Readonly<Record<string, string>>): number {
  let length = 0;
  for (const field in record) length += field.length + (record[field]?.length ?? 0);
  return length;
}
