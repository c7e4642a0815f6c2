export { fullClusterMatrixOnly } from './cluster-quick-selection.js';
export { type DescribeConformanceOptions, describeConformance } from './describe-conformance.js';
