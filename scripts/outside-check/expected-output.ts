/**
 * The output a README block promises: the comment after each `console.log(...)`, up to the first
 * ` (` or `: ` (so `// 1 (a number)` promises `1`). A `console.log` without such a comment is an
 * error: every line the README prints says what it prints.
 */
export function expectedOutput(file: string, code: string): string[] {
  const expected: string[] = [];
  for (const line of code.split('\n')) {
    if (!line.includes('console.log(')) continue;
    const comment = /\/\/ (.+)$/.exec(line)?.[1];
    if (comment === undefined) throw new Error(`${file}: '${line.trim()}' does not say what it prints`);
    expected.push(comment.split(/ \(|: /)[0]?.trim() ?? '');
  }
  return expected;
}
