import type { IntegrationCase } from '../../case.js';
import { batchCaseSpecs } from './support/batch-cases.js';
import { defineCases } from './support/define-cases.js';

/** Cases on MULTI/EXEC transactions; every one needs the `transactions` capability. */
export const transactionCases: IntegrationCase[] = defineCases('transactions', batchCaseSpecs('transaction'));
