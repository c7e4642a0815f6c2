/**
 * The compact encoding of the generated command table (`commands.generated.ts`). It ships to edge
 * bundles, so a command is an array of numbers rather than an object with named fields: names
 * and bit masks here, decoded once per command on first lookup (`command-info.ts`). The generator
 * (`packages/command-table-generator`) writes this format and a test decodes it back.
 */

/** Where a key spec's search for keys begins: 0 unknown, 1 at an index, 2 after a keyword. */
export type BeginSearchType = 0 | 1 | 2;

/** How a key spec finds its keys: 0 unknown, 1 a range, 2 a key count argument. */
export type FindKeysType = 0 | 1 | 2;

/**
 * One key spec: `[flags, beginType, beginA, beginB, findType, findA, findB, findC]`.
 * - `flags`: a bit mask over `KEY_SPEC_FLAGS`;
 * - begin search: index -> `[1, index, 0]`, keyword -> `[2, keyword, startFrom]`, unknown -> `[0, 0, 0]`;
 * - find keys: range -> `[1, lastKey, keyStep, limit]`, keynum -> `[2, keyNumIndex, firstKey, keyStep]`,
 *   unknown -> `[0, 0, 0, 0]`.
 */
export type KeySpecRow = readonly [
  flags: number,
  beginType: BeginSearchType,
  beginA: number | string,
  beginB: number,
  findType: FindKeysType,
  findA: number,
  findB: number,
  findC: number,
];

/**
 * One command or subcommand (named `container|sub`, e.g. `client|reply`), lowercase:
 * `[name, arity, flags, aclCategories, group, firstKey, lastKey, keyStep, keySpecs, tips?, blockingToken?]`.
 * `flags`, `aclCategories` and `tips` are bit masks over `COMMAND_FLAGS`, `ACL_CATEGORIES` and
 * `COMMAND_TIPS`; `group` indexes `COMMAND_GROUPS`. `blockingToken` is set for a command flagged
 * `blocking` that blocks only when given that optional argument (XREAD `BLOCK`).
 */
export type CommandRow = readonly [
  name: string,
  arity: number,
  flags: number,
  aclCategories: number,
  group: number,
  firstKey: number,
  lastKey: number,
  keyStep: number,
  keySpecs: readonly KeySpecRow[],
  tips?: number,
  blockingToken?: string,
];
