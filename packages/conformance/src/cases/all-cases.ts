import type { ConformanceCase } from '../case.js';
import { integrationCases } from './integration/index.js';
import { unitCases } from './unit/index.js';

/** Every case of the kit, unit tier first. */
export const allCases: readonly ConformanceCase[] = [...unitCases, ...integrationCases];
