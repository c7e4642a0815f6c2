/** The wake-up scenario's worker processes, and waiting for their messages. */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromWakeUpWorker, ToWakeUpWorker } from './protocol.js';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
const MESSAGE_TIMEOUT_MS = 30_000;

/** One forked worker and a queue of what it sent. */
export class WakeUpWorker {
  readonly #child: ChildProcess;
  readonly #inbox: FromWakeUpWorker[] = [];
  #waiting: ((message: FromWakeUpWorker) => void) | undefined;
  #exit: string | undefined;

  constructor() {
    // The worker's own file goes through tsx; the packages it imports are the built ones.
    this.#child = fork(WORKER, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child.on('message', (message: FromWakeUpWorker) => {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      if (waiting) waiting(message);
      else this.#inbox.push(message);
    });
    this.#child.once('exit', (code) => {
      this.#exit = `the wake-up worker exited (code ${String(code)})`;
    });
  }

  send(message: ToWakeUpWorker): void {
    this.#child.send(message);
  }

  /** The next message, which must be of `type` (a `failed` one throws its reason). */
  async next<T extends FromWakeUpWorker['type']>(type: T): Promise<Extract<FromWakeUpWorker, { type: T }>> {
    const message =
      this.#inbox.shift() ??
      (await new Promise<FromWakeUpWorker>((resolve, reject) => {
        if (this.#exit) reject(new Error(this.#exit));
        const timer = setTimeout(
          () => reject(new Error(`no '${type}' from a wake-up worker within ${MESSAGE_TIMEOUT_MS} ms`)),
          MESSAGE_TIMEOUT_MS,
        );
        this.#waiting = (received) => {
          clearTimeout(timer);
          resolve(received);
        };
      }));
    if (message.type === 'failed') throw new Error(`wake-up worker: ${message.message}`);
    if (message.type !== type)
      throw new Error(`expected '${type}' from a wake-up worker, got '${message.type}'`);
    return message as Extract<FromWakeUpWorker, { type: T }>;
  }

  /** Asks the worker to close its services; kills it if it is still there after a grace period. */
  async close(): Promise<void> {
    if (this.#exit) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    if (this.#child.connected) this.#child.send({ type: 'close' } satisfies ToWakeUpWorker);
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  }
}
