/** The GET/SET workload every GET/SET row runs: the classic cache mix. */
import type { BenchContext, ContenderRole, ContenderSpec } from '../framework/scenario.js';

/** How many keys the mix spreads over (redis-benchmark's `-r` for the ceiling). */
export const GET_SET_KEYS = 1000;
/** The value every SET writes (redis-benchmark's `-d` is its length). */
export const GET_SET_VALUE = 'x'.repeat(64);
/**
 * The services' `maxInflight` in the sweep: as many permits as the sweep has callers, so the
 * service keeps as many commands in flight as a raw client does (the default, 64, would queue
 * the rest of 512 callers by design).
 */
export const SWEEP_MAX_INFLIGHT = 512;

/** A client under test: its GET and SET, and how to close it. */
export interface GetSetClient {
  get(key: string): Promise<unknown>;
  set(key: string, value: string): Promise<unknown>;
  close(): Promise<unknown> | unknown;
}

/** A contender that alternates SET and GET over `GET_SET_KEYS` keys. */
export function getSetContender(
  name: string,
  role: ContenderRole,
  open: (ctx: BenchContext) => Promise<GetSetClient> | GetSetClient,
): ContenderSpec {
  return {
    name,
    role,
    async open(ctx) {
      const client = await open(ctx);
      await client.set('bench:warm', GET_SET_VALUE);
      return {
        operation: (i) =>
          i % 2 === 0
            ? client.set(`bench:${i % GET_SET_KEYS}`, GET_SET_VALUE)
            : client.get(`bench:${i % GET_SET_KEYS}`),
        close: () => client.close(),
      };
    },
  };
}
