/** The adapters of this repo, as the conformance kit sees them (shared by `pnpm conformance` and `pnpm bench`). */
import type { AdapterUnderTest } from '@redis-service/conformance';
import { ioredisAdapter } from '../packages/adapter-ioredis/test/conformance-adapter.js';

export const adapters: readonly AdapterUnderTest[] = [ioredisAdapter];
