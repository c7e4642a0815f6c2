/**
 * Producing stream entries: XADD with an approximate MAXLEN trim (what a producer of a bounded
 * stream sends), the service against a default ioredis client and against ioredis' own
 * autopipelining, each on a stream of its own.
 */
import { createIoredisService } from '@redis-service/adapter-ioredis';
import { Redis } from 'ioredis';
import type { ContenderRole, ContenderSpec, ThroughputScenario } from '../framework/scenario.js';
import { SWEEP_MAX_INFLIGHT } from './get-set-workload.js';

const RAW = 'raw ioredis';
const AUTOPIPE = 'raw ioredis (autopipelining)';
const OURS = 'service (ioredis)';
/** Every stream is trimmed to about this many entries, so a long run does not fill the server. */
const MAX_LEN = 10_000;

function rawContender(name: string, options: { enableAutoPipelining?: boolean }): ContenderSpec {
  return {
    name,
    role: 'raw' satisfies ContenderRole,
    open: ({ redisUrl }) => {
      const client = new Redis(redisUrl, options);
      const stream = `bench:stream:${name}`;
      return Promise.resolve({
        operation: (i) => client.xadd(stream, 'MAXLEN', '~', String(MAX_LEN), '*', 'n', String(i)),
        close: () => client.del(stream).finally(() => client.disconnect()),
      });
    },
  };
}

export const streamsProduce: ThroughputScenario = {
  kind: 'throughput',
  id: 'streams/produce',
  title: `XADD (MAXLEN ~ ${MAX_LEN}), ioredis`,
  unit: 'entries/s',
  contenders: [
    rawContender(RAW, {}),
    rawContender(AUTOPIPE, { enableAutoPipelining: true }),
    {
      name: OURS,
      role: 'ours',
      open: ({ redisUrl }) => {
        const service = createIoredisService({
          url: redisUrl,
          keyPrefix: 'bench:stream:',
          maxInflight: SWEEP_MAX_INFLIGHT,
        });
        const trim = { maxLen: MAX_LEN, approximate: true } as const;
        return Promise.resolve({
          operation: (i) => service.xadd('ours', { n: i }, { trim }),
          close: () => service.delete('ours').finally(() => service.close()),
        });
      },
    },
  ],
  targets: [
    { ours: OURS, theirs: RAW, atLeast: 0.95 },
    { ours: OURS, theirs: AUTOPIPE, atLeast: 0.95, at: [64] },
  ],
};
