import type { UnitCase } from '../../case.js';
import { argumentCases } from './arguments.js';
import { batchCases } from './batches.js';
import { clusterUnitCases } from './cluster.js';
import { errorCases } from './errors.js';
import { faultCases } from './faults.js';
import { limiterCases } from './limiter.js';
import { replyCases } from './replies.js';
import { scriptCases } from './scripts.js';
import { searchCases } from './search.js';
import { serverStateCases } from './server-states.js';
import { timeoutFaultCases } from './timeout-faults.js';

/** Every unit case: the port checked directly against scripted fake servers, no Redis needed. */
export const unitCases: UnitCase[] = [
  ...replyCases,
  ...errorCases,
  ...serverStateCases,
  ...argumentCases,
  ...batchCases,
  ...scriptCases,
  ...faultCases,
  ...timeoutFaultCases,
  ...clusterUnitCases,
  ...limiterCases,
  ...searchCases,
];
