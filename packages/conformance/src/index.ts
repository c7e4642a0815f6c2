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
  type SentinelCredentials,
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
export { type CleanupOptions, type CleanupSummary, cleanupKitKeys } from './cleanup/cleanup-kit-keys.js';
export { type BrokenDriver, brokenDrivers, mustFailIds } from './faults/broken-drivers.js';
export { type JsonReport, toJsonReport } from './report/json-report.js';
export { formatDetails, formatMatrix } from './report/matrix.js';
export {
  type ConformanceLevel,
  type ConformanceProfile,
  type ConformanceVerdict,
  conformanceProfiles,
  conformanceVerdict,
} from './report/profiles.js';
export {
  appliesToTopology,
  ConformanceRun,
  type ConformanceRunOptions,
  type RunTimeLimits,
} from './runner/conformance-run.js';
export { driverFacingCase } from './runner/driver-facing.js';
export { KIT_KEY_TTL_MS } from './runner/kit-keys.js';
export type { CaseResult, CaseStatus } from './runner/outcome.js';
export {
  type ConformanceReport,
  type RunConformanceOptions,
  runConformance,
} from './runner/run-conformance.js';
export { checkCatches, type SelfCheckOptions } from './runner/self-check.js';
