import type { CommandDoc, DocArgument } from '../../src/command-docs.js';

/** How `sampleCommands` fills the arguments of one sample. */
interface Shape {
  /** Include optional arguments. */
  readonly optionals: boolean;
  /** How many values a `multiple` argument gets. */
  readonly multiple: number;
  /** Which alternative of a `oneof` to take (modulo its size). */
  readonly choice: number;
}

const SHAPES: readonly Shape[] = [
  { optionals: false, multiple: 1, choice: 0 },
  { optionals: true, multiple: 2, choice: 0 },
  { optionals: true, multiple: 3, choice: 1 },
  { optionals: true, multiple: 2, choice: 2 },
  { optionals: true, multiple: 1, choice: 3 },
];

/**
 * Argument vectors built from each command's own `COMMAND DOCS` grammar (several shapes each:
 * without optional arguments, with them, with 1-3 values per repeated argument, each alternative
 * of a choice). Every key and value is a distinct word, so the keys the server names map back to
 * positions. Key counts (`numkeys`) match the keys that follow, so EVAL, ZUNION, LMPOP ... are valid.
 */
export function sampleCommands(name: string, doc: CommandDoc): string[][] {
  const prefix = name.split('|').map((part) => part.toUpperCase());
  const samples = new Map<string, string[]>();
  for (const shape of SHAPES) {
    const words = new Words();
    const argv = [...prefix, ...fill(doc.arguments, shape, words)];
    samples.set(argv.join('\u0000'), argv);
  }
  return [...samples.values()];
}

/** Distinct words: `key1`, `value2`, ... */
class Words {
  #next = 0;
  take(kind: string): string {
    this.#next += 1;
    return `${kind}${this.#next}`;
  }
}

function fill(args: readonly DocArgument[], shape: Shape, words: Words): string[] {
  const out: string[] = [];
  // A key count is written once the keys after it are known.
  const counts: { index: number }[] = [];
  let keysAfterCount = 0;
  for (const arg of args) {
    if (arg.flags.includes('optional') && !shape.optionals) continue;
    if (arg.type === 'integer' && /numkeys|numkey|^count$/.test(arg.name) && isKeyCount(arg, args)) {
      counts.push({ index: out.length });
      keysAfterCount = 0;
      out.push('0');
      continue;
    }
    const repeat = arg.flags.includes('multiple') ? shape.multiple : 1;
    for (let i = 0; i < repeat; i++) {
      if (arg.token && (i === 0 || arg.flags.includes('multiple_token'))) out.push(arg.token);
      const values = value(arg, shape, words);
      if (arg.type === 'key') keysAfterCount += 1;
      out.push(...values);
    }
    if (counts.length > 0) out[counts[counts.length - 1]!.index] = String(keysAfterCount);
  }
  return out;
}

/** Whether an integer argument counts the key argument that follows it. */
function isKeyCount(arg: DocArgument, args: readonly DocArgument[]): boolean {
  const next = args[args.indexOf(arg) + 1];
  return next?.type === 'key' || arg.name === 'numkeys';
}

function value(arg: DocArgument, shape: Shape, words: Words): string[] {
  switch (arg.type) {
    case 'key':
      return [words.take('key')];
    case 'integer':
      return ['1'];
    case 'double':
      return ['1.5'];
    case 'unix-time':
      return ['100'];
    case 'pure-token':
      return [];
    case 'oneof': {
      const choice = arg.arguments[shape.choice % arg.arguments.length];
      if (!choice) return [];
      return fill([{ ...choice, flags: choice.flags.filter((flag) => flag !== 'optional') }], shape, words);
    }
    case 'block':
      return fill(arg.arguments, shape, words);
    default:
      return [words.take('word')];
  }
}
