import { coreScriptProcessesRunIn, describeConformance } from '@redis-service/conformance/vitest';
import { nodeRedisAdapter } from './conformance-adapter.js';

// Every case, without the broken-driver self-check: it proves the kit, not this adapter, and
// costs minutes per adapter, so `pnpm test` runs it once (the outside check's kit CLI step) and `pnpm conformance`
// runs it against every adapter. The multi-process core-script cases prove core's Lua scripts, not
// how node-redis sends them (the in-process cases of their groups do, and the cluster suite runs
// one of each with worker processes on node-redis), so they run in the ioredis column.
describeConformance(nodeRedisAdapter, {
  selfCheck: false,
  skip: coreScriptProcessesRunIn('the single-node ioredis column'),
});
