import type { IntegrationCase } from '../../case.js';
import { batchCaseSpecs } from './support/batch-cases.js';
import { defineCases } from './support/define-cases.js';

/** Cases on pipelines (one round trip, not atomic). */
export const pipelineCases: IntegrationCase[] = defineCases('pipelines', batchCaseSpecs('pipeline'));
