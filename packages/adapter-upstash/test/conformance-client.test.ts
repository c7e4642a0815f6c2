import { coreScriptProcessesRunIn, describeConformance } from '@redis-service/conformance/vitest';
import { upstashClientAdapter } from './conformance-client-adapter.js';

// Every case, without the broken-driver self-check: it proves the kit, not this adapter, and
// costs minutes per adapter, so `pnpm test` runs it once (the outside check's kit CLI step) and `pnpm conformance`
// runs it against every adapter. The multi-process core-script cases run over REST in the
// `upstash` suite (the same bridge, the same scripts); here they would only prove the scripts again.
describeConformance(upstashClientAdapter, {
  selfCheck: false,
  skip: coreScriptProcessesRunIn('the upstash (REST driver) column'),
});
