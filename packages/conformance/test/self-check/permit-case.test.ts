import { describe, expect, it } from 'vitest';
import { PERMIT_CASE, runPermitCase } from './permit-case.js';

describe(`${PERMIT_CASE} with core as it is`, () => {
  it('passes', async () => {
    const result = await runPermitCase();
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('passed');
  }, 90_000);
});
