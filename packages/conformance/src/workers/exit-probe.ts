import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AdapterUnderTest } from '../case.js';
import { injectedFault } from '../runner/break-adapter.js';
import { CLOSED_LINE, type ExitProbeStartup } from './exit-probe-protocol.js';

/** How a probe process ended. */
export type ExitProbeOutcome =
  | {
      readonly status: 'exited';
      readonly code: number | null;
      readonly signal: string | null;
      /** Whether it printed that it closed everything before it ended. */
      readonly closed: boolean;
      readonly stderr: string;
    }
  | { readonly status: 'lingered'; readonly stderr: string }
  | { readonly status: 'no-close'; readonly stderr: string };

/** Options of `runExitProbe`. */
export interface ExitProbeOptions {
  readonly adapter: AdapterUnderTest;
  readonly url: string;
  readonly prefix: string;
  /** How long the child may take to load the adapter, use it and close it (ms). */
  readonly workTimeoutMs: number;
  /** How long the child may live on after it closed everything (ms): a hang guard. */
  readonly exitTimeoutMs: number;
}

const STDERR_TAIL = 4_000;

// The child entry sits next to this module: `.ts` when the kit runs from src, `.js` from dist.
const PROBE_MAIN = fileURLToPath(
  new URL(`./exit-probe-main${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
);

/**
 * Runs a child process that builds the adapter from its `worker` entry, uses a service, closes it
 * and returns without calling `process.exit`, then waits for it to end by itself. No IPC channel:
 * one would keep the child alive on its own.
 */
export function runExitProbe(options: ExitProbeOptions): Promise<ExitProbeOutcome> {
  const entry = options.adapter.worker;
  if (!entry) throw new Error(`${options.adapter.name} has no 'worker' entry`);
  const fault = injectedFault(options.adapter)?.fault;
  const startup: ExitProbeStartup = {
    module: entry.module,
    export: entry.export,
    url: options.url,
    prefix: options.prefix,
    ...(fault ? { fault } : {}),
  };
  const child = spawn(process.execPath, [...(entry.execArgv ?? []), PROBE_MAIN, JSON.stringify(startup)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL);
  });
  return new Promise((resolve) => {
    let closed = false;
    let gaveUp: 'lingered' | 'no-close' | undefined;
    const giveUp = (status: 'lingered' | 'no-close') => {
      gaveUp = status;
      child.kill('SIGKILL');
    };
    let timer = setTimeout(() => giveUp('no-close'), options.workTimeoutMs);
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (!closed && stdout.includes(CLOSED_LINE)) {
        closed = true;
        clearTimeout(timer);
        timer = setTimeout(() => giveUp('lingered'), options.exitTimeoutMs);
      }
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve(gaveUp ? { status: gaveUp, stderr } : { status: 'exited', code, signal, closed, stderr });
    });
    child.once('error', (error) => {
      stderr += `\n${error.message}`;
    });
  });
}
