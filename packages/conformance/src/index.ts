export {
  type AdapterUnderTest,
  type AdapterWorkerEntry,
  type BaseContext,
  CaseSkipped,
  type ConformanceCase,
  type CreatedDriver,
  type DriverRequest,
  type ExposedServer,
  type IntegrationCase,
  type IntegrationContext,
  type SentinelControl,
  type SentinelEndpoint,
  type Tier,
  type Topology,
  type Transport,
  type UnitCase,
  type UnitContext,
} from './case.js';
export { allCases } from './cases/all-cases.js';
export { integrationCases } from './cases/integration/index.js';
export { unitCases } from './cases/unit/index.js';
export { type BrokenDriver, brokenDrivers } from './faults/broken-drivers.js';
export { appliesToTopology, ConformanceRun, type ConformanceRunOptions } from './runner/conformance-run.js';
export { driverFacingCase } from './runner/driver-facing.js';
export type { CaseResult, CaseStatus } from './runner/outcome.js';
export {
  type ConformanceReport,
  checkCatches,
  type RunConformanceOptions,
  runConformance,
} from './runner/run-conformance.js';
