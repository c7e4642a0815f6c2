import {
  type BatchItemResult,
  type BatchOptions,
  commandKeyIndexes,
  type DriverCapabilities,
  evalWithFallback,
  keySlot,
  type LuaScript,
  type RedisArg,
  type RedisCommand,
  type RedisDriver,
  type RedisReply,
  RedisReplyError,
  type SendOptions,
} from '@redis-service/core';

/** One call the fake cluster received. */
export interface ClusterCall {
  readonly command: readonly string[];
  readonly slot: number | undefined;
  readonly node: string | undefined;
  readonly transaction?: boolean;
}

const MASTERS = ['127.0.0.1:7001', '127.0.0.1:7002', '127.0.0.1:7003'] as const;

/** Which fake master owns `slot`: three equal ranges, as `redis-cli --cluster create` makes them. */
export function ownerOf(slot: number): string {
  return MASTERS[Math.min(2, Math.floor(slot / 5462))]!;
}

/**
 * A cluster-routed driver over an in-memory keyspace, for core's routing tests: it answers like a
 * cluster would (CROSSSLOT for a command whose keys span slots, MOVED for a node-targeted command
 * of another node's slot) and checks that core passed each command's own slot. Strings, DEL,
 * EXISTS, MGET, MSET, SCAN (per node) and EVALSHA of one script that GETs its keys.
 */
export class FakeClusterDriver implements RedisDriver {
  readonly name = 'fake-cluster';
  readonly capabilities: DriverCapabilities = {
    transactions: true,
    scripting: true,
    pubsub: false,
    binary: true,
    blocking: false,
    search: false,
    exactIntegers: true,
    cluster: true,
    shardedPubsub: false,
  };
  readonly calls: ClusterCall[] = [];
  readonly store = new Map<string, string>();

  async masters(): Promise<readonly string[]> {
    return MASTERS;
  }

  send(command: RedisCommand, options?: SendOptions): Promise<RedisReply> {
    const argv = command.map(String);
    this.calls.push({ command: argv, slot: options?.slot, node: options?.node });
    try {
      return Promise.resolve(this.#run(argv, options));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async batch(commands: readonly RedisCommand[], options: BatchOptions): Promise<BatchItemResult[]> {
    for (const command of commands) {
      this.calls.push({
        command: command.map(String),
        slot: options.slot,
        node: undefined,
        transaction: options.transaction,
      });
    }
    return commands.map((command) => {
      try {
        return { ok: true, value: this.#run(command.map(String), { slot: options.slot }) };
      } catch (error) {
        return { ok: false, error: error as Error };
      }
    });
  }

  evalScript(
    script: LuaScript,
    keys: readonly RedisArg[],
    args: readonly RedisArg[],
    options?: SendOptions,
  ): Promise<RedisReply> {
    return evalWithFallback(this.send.bind(this), script, keys, args, options);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  #run(argv: string[], options: SendOptions | undefined): RedisReply {
    const keys = (commandKeyIndexes(argv) ?? []).map((index) => argv[index]!);
    const slots = new Set(keys.map((key) => keySlot(key)));
    if (slots.size > 1) throw new RedisReplyError("CROSSSLOT Keys in request don't hash to the same slot");
    const [slot] = slots;
    if (options?.node !== undefined) {
      if (slot !== undefined && ownerOf(slot) !== options.node) {
        throw new RedisReplyError(`MOVED ${slot} ${ownerOf(slot)}`);
      }
    } else if (slot !== undefined && options?.slot !== slot) {
      throw new Error(
        `core routed ${argv[0]} to slot ${String(options?.slot)}, its keys are in slot ${slot}`,
      );
    }
    const [name, ...args] = argv;
    switch (name!.toUpperCase()) {
      case 'GET':
        return this.store.get(args[0]!) ?? null;
      case 'SET':
        this.store.set(args[0]!, args[1]!);
        return 'OK';
      case 'MGET':
        return args.map((key) => this.store.get(key) ?? null);
      case 'MSET':
        for (let i = 0; i < args.length; i += 2) this.store.set(args[i]!, args[i + 1]!);
        return 'OK';
      case 'DEL':
        return args.filter((key) => this.store.delete(key)).length;
      case 'EXISTS':
        return args.filter((key) => this.store.has(key)).length;
      case 'SCAN': {
        const node = options?.node;
        const match = new RegExp(`^${args[2]!.replace(/\*/g, '.*')}$`);
        const keys = [...this.store.keys()].filter(
          (key) => (node === undefined || ownerOf(keySlot(key)) === node) && match.test(key),
        );
        return ['0', keys];
      }
      case 'EVALSHA':
        return args.slice(2, 2 + Number(args[1])).map((key) => this.store.get(key) ?? null);
      case 'DBSIZE':
        return this.store.size;
      case 'PING':
        return 'PONG';
      default:
        throw new RedisReplyError(`ERR unknown command '${name}'`);
    }
  }
}
