import { describe, expect, it } from 'vitest';
import { sentToKeySlot } from '../src/cluster-direct-route.js';

describe('sentToKeySlot', () => {
  it('sends the commands of the command table straight to their slot, whatever their case', () => {
    for (const name of ['GET', 'set', 'MGET', 'EVALSHA', 'PUBLISH', 'XINFO'])
      expect(sentToKeySlot(name)).toBe(true);
  });

  it("leaves module commands, unknown ones and Buffer names to node-redis' routing", () => {
    for (const name of ['FT.SEARCH', 'TS.MGET', 'JSON.GET', 'NOSUCHCOMMAND', Buffer.from('GET'), undefined])
      expect(sentToKeySlot(name)).toBe(false);
  });
});
