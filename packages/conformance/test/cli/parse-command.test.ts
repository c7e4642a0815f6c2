import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/cli/duration.js';
import { parseCommand } from '../../src/cli/parse-command.js';
import { newRunPrefix, runPrefixOf, runStartOf } from '../../src/runner/run-prefix.js';

describe('parseCommand', () => {
  it('reads a run with every option', () => {
    expect(
      parseCommand(
        [
          './a.js',
          '--export',
          'x',
          '--url',
          'redis://h:1',
          '--tier',
          'unit',
          '--case',
          'a/',
          '--case',
          'b/',
          '--no-self-check',
          '--json',
          'r.json',
          '--quiet',
        ],
        {},
      ),
    ).toEqual({
      kind: 'run',
      run: {
        module: './a.js',
        exportName: 'x',
        url: 'redis://h:1',
        tiers: ['unit'],
        casePrefixes: ['a/', 'b/'],
        selfCheck: false,
        json: 'r.json',
        quiet: true,
      },
    });
  });

  it('defaults to both tiers, the default export and the self-check', () => {
    expect(parseCommand(['run', './a.js'], {})).toMatchObject({
      kind: 'run',
      run: {
        module: './a.js',
        exportName: 'default',
        tiers: ['unit', 'integration'],
        selfCheck: true,
        url: undefined,
      },
    });
  });

  it('reads cleanup, taking the URL from REDIS_URL', () => {
    expect(parseCommand(['cleanup', '--older-than', '2h'], { REDIS_URL: 'redis://h:2' })).toEqual({
      kind: 'cleanup',
      cleanup: {
        url: 'redis://h:2',
        run: undefined,
        olderThanMs: 7_200_000,
        adapterModule: undefined,
        exportName: 'default',
      },
    });
  });

  it('refuses what it cannot do', () => {
    const error = (argv: string[]) => {
      const command = parseCommand(argv, {});
      return command.kind === 'usage-error' ? command.message : command.kind;
    };
    expect(error([])).toBe('name the adapter module to test');
    expect(error(['./a.js', '--tier', 'e2e'])).toMatch(/unknown tier 'e2e'/);
    expect(error(['./a.js', '--nope'])).toMatch(/Unknown option '--nope'/);
    expect(error(['cleanup', '--run', 'rsk:x:'])).toBe('cleanup needs --url (or REDIS_URL)');
    expect(error(['cleanup', '--url', 'redis://h'])).toBe(
      'cleanup needs --run <prefix> or --older-than <age>',
    );
    expect(error(['cleanup', '--url', 'redis://h', '--older-than', 'soon'])).toMatch(/not an age: 'soon'/);
    expect(parseCommand(['--help'], {}).kind).toBe('help');
  });
});

describe('durations and run prefixes', () => {
  it('parse ages', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('250')).toBe(250);
    expect(parseDuration('1w')).toBeUndefined();
  });

  it('carry the start time of the run', () => {
    const prefix = newRunPrefix(1_700_000_000_000);
    expect(prefix).toMatch(/^rsk:[0-9a-z]+-[0-9a-f]{12}:$/);
    expect(runStartOf(`${prefix}case/x:key`)).toBe(1_700_000_000_000);
    expect(runPrefixOf(`${prefix}case/x:key`)).toBe(prefix);
    expect(runStartOf('rsk:0123456789ab:key')).toBeUndefined();
    expect(runPrefixOf('app:key')).toBeUndefined();
  });
});
