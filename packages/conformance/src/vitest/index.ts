export { type DescribeConformanceOptions, describeConformance } from './describe-conformance.js';
