import { RestRequestError } from '../fake/upstash-rest-request.js';
import type { RedisTarget } from './redis-target.js';
import { type RespArg, RespConnection, RespConnectionError } from './resp-connection.js';

/**
 * A small pool of Redis connections, each lent to one HTTP request at a time: a request's
 * commands (a pipeline, or a whole MULTI ... EXEC) go out on one connection and nothing else is
 * interleaved with them. Connections are opened on demand (logged in and on the right database)
 * and a broken one is dropped, so the bridge recovers when Redis restarts. A login Redis refuses
 * (`WRONGPASS`, `NOAUTH`) rejects with a `RestRequestError` of status 401.
 */
export class RespPool {
  readonly #target: RedisTarget;
  readonly #size: number;
  readonly #idle: RespConnection[] = [];
  readonly #waiting: ((outcome: RespConnection | Error) => void)[] = [];
  readonly #all = new Set<RespConnection>();
  #opening = 0;
  #closed = false;

  constructor(target: RedisTarget, size: number) {
    this.#target = target;
    this.#size = size;
  }

  /** Runs `work` with a connection of its own, then gives the connection back (or drops it if broken). */
  async use<T>(work: (connection: RespConnection) => Promise<T>): Promise<T> {
    const connection = await this.#acquire();
    try {
      return await work(connection);
    } finally {
      this.#release(connection);
    }
  }

  /** Closes every connection; requests waiting for one reject. */
  close(): void {
    this.#closed = true;
    for (const connection of this.#all) connection.close();
    this.#all.clear();
    this.#idle.length = 0;
    for (const waiter of this.#waiting.splice(0)) waiter(new RespConnectionError('the bridge is closed'));
  }

  async #acquire(): Promise<RespConnection> {
    if (this.#closed) throw new RespConnectionError('the bridge is closed');
    while (this.#idle.length > 0) {
      const connection = this.#idle.pop()!;
      if (!connection.broken) return connection;
      this.#all.delete(connection);
    }
    if (this.#all.size + this.#opening < this.#size) return this.#open();
    const outcome = await new Promise<RespConnection | Error>((resolve) => this.#waiting.push(resolve));
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }

  #release(connection: RespConnection): void {
    if (this.#closed) {
      connection.close();
      return;
    }
    if (connection.broken) {
      this.#all.delete(connection);
      const waiter = this.#waiting.shift();
      // The waiter gets a fresh connection, or the error of trying to open one.
      if (waiter) {
        this.#open().then(waiter, (error: Error) => waiter(error));
      }
      return;
    }
    const waiter = this.#waiting.shift();
    if (waiter) waiter(connection);
    else this.#idle.push(connection);
  }

  async #open(): Promise<RespConnection> {
    this.#opening++;
    try {
      const { host, port, username, password, db } = this.#target;
      const connection = await RespConnection.open(host, port);
      const setup: RespArg[][] = [];
      if (password !== undefined) setup.push(username ? ['AUTH', username, password] : ['AUTH', password]);
      if (db !== 0) setup.push(['SELECT', String(db)]);
      if (setup.length > 0) {
        const replies = await connection.sendAll(setup);
        const failed = replies.find((reply) => reply.type === 'error');
        if (failed && failed.type === 'error') {
          connection.close();
          // Refused credentials are the endpoint refusing the request, as a REST service answers
          // a bad token: HTTP 401 with Redis's own message.
          if (/^(NOAUTH|WRONGPASS)\b/.test(failed.message)) throw new RestRequestError(401, failed.message);
          throw new RespConnectionError(`redis refused the bridge's login: ${failed.message}`);
        }
      }
      if (this.#closed) {
        connection.close();
        throw new RespConnectionError('the bridge is closed');
      }
      this.#all.add(connection);
      return connection;
    } finally {
      this.#opening--;
    }
  }
}
