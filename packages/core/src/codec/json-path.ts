/** Where in a value a part sits: member names and array indexes from the top (`[]` is the value itself). */
export type JsonPath = readonly (string | number)[];

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A path as text: `$` for the value itself, then `.name`, `["odd name"]` or `[3]`. */
export function jsonPathText(path: JsonPath | undefined, member?: string): string {
  if (path === undefined) return `$..${member ?? ''}`;
  let text = '$';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += IDENTIFIER.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/**
 * The path of `holder[member]` within `root`, for error messages (only called once encoding has
 * failed, so the search costs nothing on success). `holder` is what `JSON.stringify` passed its
 * replacer as `this`: the wrapper `{ '': root }` at the top. Undefined when the holder is not
 * reachable through plain members (it came out of a `toJSON()`).
 */
export function pathToHolder(root: unknown, holder: unknown, member: string): JsonPath | undefined {
  // At the top, JSON.stringify hands its replacer a wrapper `{ '': root }` that root cannot reach.
  if (member === '' && holder !== root && Object.is((holder as Record<string, unknown> | null)?.[''], root)) {
    return [];
  }
  const step = (at: unknown): string | number => (Array.isArray(at) ? Number(member) : member);
  const seen = new Set<unknown>();
  const search = (at: unknown, path: (string | number)[]): (string | number)[] | undefined => {
    if (at === holder) return [...path, step(at)];
    if (typeof at !== 'object' || at === null || seen.has(at)) return undefined;
    seen.add(at);
    const entries: [string | number, unknown][] = Array.isArray(at)
      ? at.map((item, index) => [index, item])
      : Object.entries(at);
    for (const [name, child] of entries) {
      const found = search(child, [...path, name]);
      if (found) return found;
    }
    return undefined;
  };
  return search(root, []);
}
