import { coreScriptProcessesRunIn, describeConformance } from '@redis-service/conformance/vitest';
import { countingAdapter } from '../src/counting-adapter.js';

// Every case, as a third party runs the kit against their own adapter under vitest. The broken-
// driver self-check runs once in the outside check, through the kit's CLI (kit-cli.ts), and so do
// the multi-process core-script cases: the CLI step runs every case against this same adapter.
describeConformance(countingAdapter, {
  selfCheck: false,
  skip: coreScriptProcessesRunIn("this check's kit CLI step"),
});
