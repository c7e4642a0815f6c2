import { describe, expect, it } from 'vitest';
import { clusterFailFastOptions } from '../src/index.js';

// node-redis types the nodes' defaults without `commandOptions`, yet hands them to every node's client.
const nodeCommandOptions = (options: ReturnType<typeof clusterFailFastOptions>) =>
  (options.defaults as { commandOptions?: object } | undefined)?.commandOptions;

describe('clusterFailFastOptions', () => {
  it('leaves node-redis no timer per command, on the cluster and on every node', () => {
    const options = clusterFailFastOptions({ connectTimeoutMs: 2000 });
    // The driver's command timeout bounds the whole wait; node-redis' own would only add a
    // timer and a signal to every command.
    expect(options.commandOptions).toEqual({ timeout: undefined });
    expect('timeout' in (options.commandOptions ?? {})).toBe(true);
    expect(nodeCommandOptions(options)).toEqual({ timeout: undefined });
    expect('timeout' in (nodeCommandOptions(options) ?? {})).toBe(true);
  });

  it('lets the caller give the nodes a command timeout of their own', () => {
    const options = clusterFailFastOptions({
      connectTimeoutMs: 2000,
      defaults: { commandOptions: { timeout: 1000 } },
    });
    expect(nodeCommandOptions(options)).toEqual({ timeout: 1000 });
  });
});
