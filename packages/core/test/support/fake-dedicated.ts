import {
  type BatchItemResult,
  type DedicatedBatchOptions,
  type DedicatedConnection,
  RedisClosedError,
  type RedisCommand,
  type RedisReply,
} from '@redis-service/core';
import { type Deferred, deferred } from './deferred.js';
import { FakeDriver, type FakeDriverOptions } from './fake-driver.js';

/** One command a fake dedicated connection received, with the reply the test settles by hand. */
export interface PendingCommand {
  readonly command: RedisCommand;
  readonly reply: Deferred<RedisReply>;
}

/** A dedicated connection whose every reply the test settles by hand (or scripts with `answer`). */
export class FakeDedicated implements DedicatedConnection {
  readonly pending: PendingCommand[] = [];
  readonly batches: { commands: readonly RedisCommand[]; options: DedicatedBatchOptions }[] = [];
  closed = false;
  #end!: (error: Error | undefined) => void;
  readonly ended = new Promise<Error | undefined>((resolve) => {
    this.#end = resolve;
  });
  /** Answers a command at once instead of leaving it pending (return `undefined` to leave it). */
  answer: (command: RedisCommand) => RedisReply | undefined = () => undefined;
  /** Answers a batch. Default: `OK` for every command. */
  answerBatch: (commands: readonly RedisCommand[]) => BatchItemResult[] = (commands) =>
    commands.map(() => ({ ok: true, value: 'OK' }));

  constructor(readonly clientId: number) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Every command sent, in order. */
  get sent(): RedisCommand[] {
    return this.pending.map((entry) => entry.command);
  }

  send(command: RedisCommand): Promise<RedisReply> {
    if (this.closed) return Promise.reject(new RedisClosedError('fake dedicated connection is closed'));
    const reply = deferred<RedisReply>();
    this.pending.push({ command: [...command], reply });
    const answered = this.answer(command);
    if (answered !== undefined) reply.resolve(answered);
    return reply.promise;
  }

  async batch(commands: readonly RedisCommand[], options: DedicatedBatchOptions): Promise<BatchItemResult[]> {
    if (this.closed) throw new RedisClosedError('fake dedicated connection is closed');
    this.batches.push({ commands, options });
    return this.answerBatch(commands);
  }

  /** The server dropped the connection. */
  lose(error: Error): void {
    this.closed = true;
    for (const entry of this.pending) entry.reply.reject(error);
    this.#end(error);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const entry of this.pending) entry.reply.reject(new RedisClosedError('closed while in flight'));
    this.#end(undefined);
  }
}

/** A `FakeDriver` that opens `FakeDedicated` connections (ids 1, 2, ...) and records them. */
export class DedicatedFakeDriver extends FakeDriver {
  readonly opened: FakeDedicated[] = [];
  /** Called on each new connection, to script it. */
  prepare: (connection: FakeDedicated) => void = () => {};

  constructor(options: FakeDriverOptions = {}) {
    super(options);
  }

  async openDedicated(): Promise<DedicatedConnection> {
    const connection = new FakeDedicated(this.opened.length + 1);
    this.prepare(connection);
    this.opened.push(connection);
    return connection;
  }
}
