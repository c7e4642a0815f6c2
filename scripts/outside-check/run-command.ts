import { spawn } from 'node:child_process';

/** Options of `runCommand`. */
export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** A hang guard, not a timing assertion: the command is killed and the step fails after it. */
  readonly timeoutMs: number;
  /** Echo the output as it comes (long steps), else keep it for the error message only. */
  readonly echo?: boolean;
}

/** Runs a command to completion; rejects with its output when it fails or outlives its hang guard. */
export function runCommand(command: string, args: readonly string[], options: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stdout = '';
    const take = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      if (stream === 'stdout') stdout += text;
      if (options.echo) process[stream].write(text);
    };
    child.stdout.on('data', take('stdout'));
    child.stderr.on('data', take('stderr'));
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`${command} ${args.join(' ')} did not finish within ${options.timeoutMs} ms\n${output}`),
      );
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(guard);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}\n${output}`));
    });
  });
}
