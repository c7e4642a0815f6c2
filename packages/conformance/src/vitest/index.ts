export { fullClusterMatrixOnly } from './cluster-quick-selection.js';
export { coreScriptProcessesRunIn } from './core-script-processes.js';
export { type DescribeConformanceOptions, describeConformance } from './describe-conformance.js';
