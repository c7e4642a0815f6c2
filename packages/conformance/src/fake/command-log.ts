import type { CommandInfo } from './script.js';

/** One command as a fake server received it. */
export interface ReceivedCommand extends CommandInfo {
  /** The argument vector decoded as UTF-8, name uppercased (what the script saw). */
  readonly argv: readonly string[];
}

interface Waiter {
  readonly matches: (command: ReceivedCommand) => boolean;
  readonly resolve: (command: ReceivedCommand) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Every command a fake server received, in arrival order, and a way to wait for one: cases close a
 * driver "with a command in flight" only once that command has really reached the server.
 */
export class CommandLog {
  readonly #received: ReceivedCommand[] = [];
  readonly #waiters = new Set<Waiter>();

  /** Adds a command and wakes whoever waits for it. */
  record(command: ReceivedCommand): void {
    this.#received.push(command);
    for (const waiter of this.#waiters) {
      if (waiter.matches(command)) waiter.resolve(command);
    }
  }

  /** A copy of everything received so far. */
  get received(): ReceivedCommand[] {
    return [...this.#received];
  }

  /**
   * Resolves with the first command (received already or still to come) that `matches`; rejects
   * after `timeoutMs`, or when the log is closed, so a case never waits forever.
   */
  waitFor(matches: (command: ReceivedCommand) => boolean, timeoutMs: number): Promise<ReceivedCommand> {
    const found = this.#received.find(matches);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      const waiter: Waiter = {
        matches,
        resolve: (command) => {
          settle();
          resolve(command);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      };
      const timer = setTimeout(
        () =>
          waiter.reject(
            new Error(`the fake server did not receive the awaited command within ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
      this.#waiters.add(waiter);
    });
  }

  /** Rejects every pending wait (the server stopped). */
  close(): void {
    for (const waiter of this.#waiters) {
      waiter.reject(new Error('the fake server was closed before it received the awaited command'));
    }
  }
}
