import { asBoolean, asInteger, asOk } from './replies.js';
import { SortedSetCommands } from './sorted-sets.js';
import { type RedisValue, requireNonEmpty, requireValue } from './validate.js';

/** Commands on HyperLogLogs: approximate distinct counts in at most 12 KB per key. */
export class HyperLogLogCommands extends SortedSetCommands {
  /**
   * Adds elements to the HyperLogLog at `key` (created when missing, also with no elements).
   * Resolves `true` when its estimate changed.
   */
  pfadd(key: string, ...elements: RedisValue[]): Promise<boolean> {
    return this.call(
      () => ['PFADD', this.key(key), ...elements.map((element) => requireValue(element, 'element'))],
      asBoolean,
    );
  }

  /**
   * The estimated number of distinct elements (standard error 0.81%); over several keys, of their
   * union. A missing key counts as empty.
   */
  pfcount(...keys: string[]): Promise<number> {
    return this.call(() => ['PFCOUNT', ...this.keys(requireNonEmpty(keys, 'pfcount'))], asInteger);
  }

  /** Merges the HyperLogLogs at `sources` into `destination` (which keeps its own elements too). */
  pfmerge(destination: string, ...sources: string[]): Promise<true> {
    return this.call(() => ['PFMERGE', this.key(destination), ...this.keys(sources)], asOk);
  }
}
