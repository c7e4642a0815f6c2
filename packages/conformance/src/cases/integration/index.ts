import type { IntegrationCase } from '../../case.js';
import { workerCases } from '../../workers/worker-cases.js';
import { badInputCases } from './bad-input.js';
import { binaryCases } from './binary.js';
import { bitmapCases } from './bitmaps.js';
import { blockingCases } from './blocking.js';
import { closeCases } from './close.js';
import { clusterCases } from './cluster.js';
import { clusterTopologyCases } from './cluster-topology.js';
import { connectionCases } from './connections.js';
import { errorClassCases } from './error-classes.js';
import { errorCases } from './errors.js';
import { expiryPrecisionCases } from './expiry-precision.js';
import { failFastCases } from './fail-fast.js';
import { failoverCases } from './failover.js';
import { geoCases } from './geo.js';
import { getOrComputeCases } from './get-or-compute.js';
import { halfOpenCases } from './half-open.js';
import { hashCases } from './hashes.js';
import { hyperLogLogCases } from './hyperloglog.js';
import { jsonCases } from './json.js';
import { keyCases } from './keys.js';
import { l1Cases } from './l1.js';
import { limiterCases } from './limiter.js';
import { listCases } from './lists.js';
import { modelCases } from './models.js';
import { orderingCases } from './ordering.js';
import { pipelineCases } from './pipelines.js';
import { processExitCases } from './process-exit.js';
import { pubsubCases } from './pubsub.js';
import { pubsubRecoveryCases } from './pubsub-recovery.js';
import { rateLimitCases } from './rate-limit.js';
import { rawCommandCases } from './raw-commands.js';
import { searchCases } from './search.js';
import { setCases } from './sets.js';
import { sortedSetCases } from './sorted-sets.js';
import { streamCases } from './streams.js';
import { streamConsumeCases } from './streams-consume.js';
import { streamWorkerCases } from './streams-workers.js';
import { stringCases } from './strings.js';
import { timeoutCases } from './timeouts.js';
import { transactionIsolationCases } from './transaction-isolation.js';
import { transactionCases } from './transactions.js';
import { watchCases } from './watch.js';

/** Every integration case of the kit (real Redis), grouped as they are reported. */
export const integrationCases: IntegrationCase[] = [
  ...keyCases,
  ...expiryPrecisionCases,
  ...stringCases,
  ...hashCases,
  ...listCases,
  ...setCases,
  ...sortedSetCases,
  ...hyperLogLogCases,
  ...bitmapCases,
  ...geoCases,
  ...jsonCases,
  ...modelCases,
  ...pipelineCases,
  ...transactionCases,
  ...transactionIsolationCases,
  ...watchCases,
  ...streamCases,
  ...streamConsumeCases,
  ...streamWorkerCases,
  ...errorCases,
  ...rawCommandCases,
  ...errorClassCases,
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
  ...blockingCases,
  ...halfOpenCases,
  ...workerCases,
  ...rateLimitCases,
  ...getOrComputeCases,
  ...clusterCases,
  ...clusterTopologyCases,
  ...l1Cases,
  ...failoverCases,
];
