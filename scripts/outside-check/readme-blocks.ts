/** A code block of the README that the outside check runs, named by its marker. */
export interface MarkedBlock {
  /** The file the block becomes in the scratch project, e.g. `quick-start.ts`. */
  readonly file: string;
  readonly code: string;
}

const MARKED_BLOCK = /<!-- outside-check: ([\w.-]+) -->\n```(?:ts|js)\n([\s\S]*?)\n```/g;

/**
 * The README's code blocks marked `<!-- outside-check: FILE -->` on the line before the fence:
 * exactly what a reader copies, so the check proves the README and not a copy of it.
 */
export function markedBlocks(readme: string): MarkedBlock[] {
  return [...readme.matchAll(MARKED_BLOCK)].map((match) => ({
    file: match[1] as string,
    code: `${match[2] as string}\n`,
  }));
}
