import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { type L1Fill, L1Store } from '../../../src/cache/l1/l1-store.js';
import { ENTRY_OVERHEAD_BYTES, estimateBytes } from '../../../src/cache/l1/size-estimate.js';

const NOW = 1000;

function fill(value: unknown, bytes = 200, expiresAt = NOW + 10_000): L1Fill {
  return { kind: 'string', value, bytes, expiresAt, freshUntil: expiresAt };
}

function serving(maxEntries = 100, maxBytes = 1_000_000): L1Store {
  const store = new L1Store(maxEntries, maxBytes);
  store.resume();
  return store;
}

function put(store: L1Store, key: string, value: unknown, bytes?: number, expiresAt?: number) {
  return store.commit(store.begin(key), fill(value, bytes, expiresAt));
}

describe('L1Store: bounds', () => {
  it('evicts the least recently used entry past maxEntries, a hit counting as a use', () => {
    const store = serving(3);
    put(store, 'a', 1);
    put(store, 'b', 2);
    put(store, 'c', 3);
    expect(store.lookup('a', 'string', NOW)?.value).toBe(1);
    put(store, 'd', 4);
    expect(store.size).toBe(3);
    expect(store.lookup('b', 'string', NOW)).toBeUndefined();
    expect(['a', 'c', 'd'].map((key) => store.lookup(key, 'string', NOW)?.value)).toEqual([1, 3, 4]);
    expect(store.counters.evictions).toBe(1);
  });

  it('evicts past maxBytes, counts an entry grown by a decoded form, and refuses one larger than the bound', () => {
    const store = serving(100, 1000);
    put(store, 'a', 1, 400);
    put(store, 'b', 2, 400);
    expect(store.bytes).toBe(800);
    put(store, 'c', 3, 400);
    expect(store.bytes).toBe(800);
    expect(store.lookup('a', 'string', NOW)).toBeUndefined();
    const b = store.lookup('b', 'string', NOW)!;
    store.grow(b, 300);
    expect(store.bytes).toBeLessThanOrEqual(1000);
    expect(store.lookup('c', 'string', NOW)).toBeUndefined();
    expect(put(store, 'huge', 'x', 1001)).toBeUndefined();
    expect(store.lookup('b', 'string', NOW)?.value).toBe(2);
  });

  it('never serves an entry at or past its deadline', () => {
    const store = serving();
    put(store, 'a', 1, 200, NOW + 50);
    expect(store.lookup('a', 'string', NOW + 49)?.value).toBe(1);
    expect(store.lookup('a', 'string', NOW + 50)).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('keeps entries of one kind apart from reads of another', () => {
    const store = serving();
    put(store, 'a', 'text');
    expect(store.lookup('a', 'hash', NOW)).toBeUndefined();
    expect(store.lookup('a', 'string', NOW)?.value).toBe('text');
  });
});

describe('L1Store: coherence bookkeeping', () => {
  it('does not store a read its key was invalidated during, nor one a flush happened during', () => {
    const store = serving();
    const invalidated = store.begin('a');
    const other = store.begin('b');
    store.invalidate('a', true);
    expect(store.commit(invalidated, fill('old'))).toBeUndefined();
    expect(store.commit(other, fill('fine'))?.value).toBe('fine');
    const flushed = store.begin('c');
    store.flush();
    expect(store.commit(flushed, fill('old'))).toBeUndefined();
    expect(store.counters.invalidations).toBe(1);
  });

  it('serves and stores nothing while suspended; resuming starts empty and spoils reads begun before', () => {
    const store = serving();
    put(store, 'a', 1);
    store.suspend();
    expect(store.lookup('a', 'string', NOW)).toBeUndefined();
    const during = store.begin('b');
    expect(store.commit(during, fill(2))).toBeUndefined();
    const straddling = store.begin('c');
    store.resume();
    expect(store.commit(straddling, fill(3))).toBeUndefined();
    expect(store.size).toBe(0);
    expect(put(store, 'd', 4)?.value).toBe(4);
  });

  it('forgets settled tickets (no bookkeeping is left per key)', () => {
    const store = serving();
    for (let i = 0; i < 1000; i++) {
      const ticket = store.begin(`k${i % 10}`);
      if (i % 2 === 0) store.cancel(ticket);
      else store.commit(ticket, fill(i));
    }
    store.invalidate('k1', false);
    // A ticket begun after the invalidation is not spoiled by it.
    expect(put(store, 'k1', 'new')?.value).toBe('new');
  });
});

/** `global.gc`, made available from inside the test (vitest runs without --expose-gc). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('L1Store: memory under 1M distinct keys', () => {
  it('stays within maxEntries and maxBytes, and the heap with it, through 1M distinct keys', () => {
    const maxEntries = 20_000;
    const maxBytes = 4 * 1024 * 1024;
    const store = serving(maxEntries, maxBytes);
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    let maxSeenEntries = 0;
    let maxSeenBytes = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const key = `user:${i}:profile`;
      const value = `{"id":${i},"name":"user number ${i}","tags":["a","b"]}`;
      store.commit(store.begin(key), fill(value, estimateBytes(key, value.length)));
      if (i % 1000 === 0) {
        maxSeenEntries = Math.max(maxSeenEntries, store.size);
        maxSeenBytes = Math.max(maxSeenBytes, store.bytes);
      }
    }
    collectGarbage();
    const grown = process.memoryUsage().heapUsed - before;
    expect(maxSeenEntries).toBeLessThanOrEqual(maxEntries);
    expect(maxSeenBytes).toBeLessThanOrEqual(maxBytes);
    expect(store.bytes).toBeLessThanOrEqual(maxBytes);
    expect(store.counters.evictions).toBeGreaterThan(900_000);
    // What is held really is bounded: 1M such entries would take well over 150 MB; the bound
    // allows about 4 MB of estimate, and the heap may hold a few times that.
    expect(grown).toBeLessThan(32 * 1024 * 1024);
    // The estimate is not wildly below the heap: per entry held, heap growth vs estimate.
    const perEntryHeap = grown / store.size;
    const perEntryEstimate = store.bytes / store.size;
    console.log(
      `L1 1M keys: ${store.size} entries held, estimate ${Math.round(perEntryEstimate)} B/entry, heap ${Math.round(perEntryHeap)} B/entry (overhead constant ${ENTRY_OVERHEAD_BYTES})`,
    );
    expect(store.lookup('user:999999:profile', 'string', NOW)).toBeDefined();
    expect(store.lookup('user:0:profile', 'string', NOW)).toBeUndefined();
    // A hang guard only: a million synchronous commits take seconds alone, minutes on a shared machine.
  }, 600_000);
});
