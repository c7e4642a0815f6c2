import type { IntegrationCase } from '../../case.js';
import { workerCases } from '../../workers/worker-cases.js';
import { badInputCases } from './bad-input.js';
import { binaryCases } from './binary.js';
import { closeCases } from './close.js';
import { connectionCases } from './connections.js';
import { errorCases } from './errors.js';
import { expiryPrecisionCases } from './expiry-precision.js';
import { failFastCases } from './fail-fast.js';
import { getOrComputeCases } from './get-or-compute.js';
import { hashCases } from './hashes.js';
import { jsonCases } from './json.js';
import { keyCases } from './keys.js';
import { limiterCases } from './limiter.js';
import { listCases } from './lists.js';
import { modelCases } from './models.js';
import { orderingCases } from './ordering.js';
import { pipelineCases } from './pipelines.js';
import { processExitCases } from './process-exit.js';
import { pubsubCases } from './pubsub.js';
import { pubsubRecoveryCases } from './pubsub-recovery.js';
import { rateLimitCases } from './rate-limit.js';
import { searchCases } from './search.js';
import { setCases } from './sets.js';
import { sortedSetCases } from './sorted-sets.js';
import { stringCases } from './strings.js';
import { timeoutCases } from './timeouts.js';
import { transactionIsolationCases } from './transaction-isolation.js';
import { transactionCases } from './transactions.js';

/** Every integration case of the kit (real Redis), grouped as they are reported. */
export const integrationCases: IntegrationCase[] = [
  ...keyCases,
  ...expiryPrecisionCases,
  ...stringCases,
  ...hashCases,
  ...listCases,
  ...setCases,
  ...sortedSetCases,
  ...jsonCases,
  ...modelCases,
  ...pipelineCases,
  ...transactionCases,
  ...transactionIsolationCases,
  ...errorCases,
  ...badInputCases,
  ...binaryCases,
  ...searchCases,
  ...limiterCases,
  ...timeoutCases,
  ...orderingCases,
  ...failFastCases,
  ...closeCases,
  ...connectionCases,
  ...processExitCases,
  ...pubsubCases,
  ...pubsubRecoveryCases,
  ...workerCases,
  ...rateLimitCases,
  ...getOrComputeCases,
];
