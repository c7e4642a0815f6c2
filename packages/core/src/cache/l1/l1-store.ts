/** What an L1 entry holds: GET's text (`get`, `getJson`, `getModel`), a hash, or a getOrCompute value. */
export type L1Kind = 'string' | 'hash' | 'entry';

/** One entry of the L1, also a link of its LRU list. */
export interface L1Node {
  /** The key relative to the service's key prefix. */
  readonly key: string;
  readonly kind: L1Kind;
  /** The value as read (GET's text or `null`, HGETALL's record, getOrCompute's value). */
  readonly value: unknown;
  /** Never served at or after this moment (monotonic ms): at most the key's TTL in Redis. */
  readonly expiresAt: number;
  /** Fresh until this moment (monotonic ms); past it a getOrCompute value is stale (served while refreshed). */
  readonly freshUntil: number;
  /** What the layer above keeps beside the value: decoded forms, a getOrCompute envelope's timings. */
  extra: unknown;
  /** The entry's estimated size (see `estimateBytes`). */
  bytes: number;
  /** Whether the entry is still held (an evicted node can still be in a caller's hands). */
  held: boolean;
  prev: L1Node | undefined;
  next: L1Node | undefined;
}

/**
 * A read from Redis that may become an entry. Taken before the read is sent: an invalidation of
 * its key (or a flush) that arrives while the read is in flight means the value read may already
 * be old, so the read is not stored. The value still goes to its caller: it was current when
 * Redis answered.
 */
export interface FillTicket {
  readonly key: string;
  readonly generation: number;
  poisoned: boolean;
}

/** Counters of an L1, for `L1Stats`. */
export interface L1Counters {
  hits: number;
  misses: number;
  invalidations: number;
  flushes: number;
  evictions: number;
}

/** What `commit` stores. */
export interface L1Fill {
  readonly kind: L1Kind;
  readonly value: unknown;
  readonly bytes: number;
  readonly expiresAt: number;
  readonly freshUntil: number;
  readonly extra?: unknown;
}

/**
 * The bounded in-process store of the L1: a least-recently-used list over a `Map`, bounded by
 * entries and by estimated bytes, with a per-entry deadline, and the bookkeeping that keeps it
 * coherent with Redis: fill tickets (a read in flight across an invalidation is not stored) and a
 * serving switch (while the coherence is down nothing is served or stored, and every change of
 * the switch empties the store, since invalidations may have been missed meanwhile).
 */
export class L1Store {
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly counters: L1Counters = { hits: 0, misses: 0, invalidations: 0, flushes: 0, evictions: 0 };
  readonly #map = new Map<string, L1Node>();
  readonly #pending = new Map<string, FillTicket[]>();
  // Most recently used at the head.
  #head: L1Node | undefined;
  #tail: L1Node | undefined;
  #bytes = 0;
  #generation = 0;
  #serving = false;

  constructor(maxEntries: number, maxBytes: number) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  /** How many entries are held. */
  get size(): number {
    return this.#map.size;
  }

  /** The estimated bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Whether entries are served and stored (the coherence is live). */
  get serving(): boolean {
    return this.#serving;
  }

  /** The live entry of `key` and `kind`, made the most recently used; `undefined` on a miss. */
  lookup(key: string, kind: L1Kind, now: number): L1Node | undefined {
    const node = this.#serving ? this.#map.get(key) : undefined;
    if (node === undefined || node.kind !== kind) {
      this.counters.misses++;
      return undefined;
    }
    if (now >= node.expiresAt) {
      this.#remove(node);
      this.counters.misses++;
      return undefined;
    }
    this.counters.hits++;
    if (node !== this.#head) {
      this.#unlink(node);
      this.#pushHead(node);
    }
    return node;
  }

  /** Starts a read that may become an entry of `key`; settle it with `commit` or `cancel`. */
  begin(key: string): FillTicket {
    const ticket: FillTicket = { key, generation: this.#generation, poisoned: false };
    const tickets = this.#pending.get(key);
    if (tickets) tickets.push(ticket);
    else this.#pending.set(key, [ticket]);
    return ticket;
  }

  /**
   * Stores what `ticket`'s read found, unless an invalidation or a flush came while it was in
   * flight, the store is not serving, or it alone exceeds `maxBytes`. Evicts the least recently
   * used entries until both bounds hold. Returns the new entry, or `undefined` when not stored.
   */
  commit(ticket: FillTicket, fill: L1Fill): L1Node | undefined {
    this.#settle(ticket);
    if (ticket.poisoned || ticket.generation !== this.#generation || !this.#serving) return undefined;
    if (fill.bytes > this.maxBytes) return undefined;
    const old = this.#map.get(ticket.key);
    if (old) this.#remove(old);
    const node: L1Node = {
      key: ticket.key,
      kind: fill.kind,
      value: fill.value,
      expiresAt: fill.expiresAt,
      freshUntil: fill.freshUntil,
      extra: fill.extra,
      bytes: fill.bytes,
      held: true,
      prev: undefined,
      next: undefined,
    };
    this.#map.set(node.key, node);
    this.#pushHead(node);
    this.#bytes += node.bytes;
    this.#evictOverflow();
    return node;
  }

  /** Gives up a read (it failed, or what it found is not to be stored). */
  cancel(ticket: FillTicket): void {
    this.#settle(ticket);
  }

  /** Counts `bytes` more for an entry that keeps another decoded form, evicting as needed. */
  grow(node: L1Node, bytes: number): void {
    if (!node.held) return;
    node.bytes += bytes;
    this.#bytes += bytes;
    this.#evictOverflow();
  }

  /** Evicts `key` and spoils the reads of it in flight. `counted`: Redis (or the bus) said so. */
  invalidate(key: string, counted: boolean): void {
    const node = this.#map.get(key);
    if (node) this.#remove(node);
    const tickets = this.#pending.get(key);
    if (tickets) for (const ticket of tickets) ticket.poisoned = true;
    if (counted) this.counters.invalidations++;
  }

  /** Empties the store and spoils every read in flight; serving goes on. */
  flush(): void {
    this.#generation++;
    this.counters.flushes++;
    this.#map.clear();
    // Unlinked one by one: a node still in a caller's hands must not keep the old list alive.
    for (let node = this.#head; node; ) {
      const next = node.next;
      node.held = false;
      node.prev = undefined;
      node.next = undefined;
      node = next;
    }
    this.#head = undefined;
    this.#tail = undefined;
    this.#bytes = 0;
  }

  /** The coherence is down: empty the store and stop serving and storing. */
  suspend(): void {
    this.flush();
    this.#serving = false;
  }

  /** The coherence is live (again): empty the store (what it missed meanwhile is unknown) and serve. */
  resume(): void {
    this.flush();
    this.#serving = true;
  }

  #settle(ticket: FillTicket): void {
    const tickets = this.#pending.get(ticket.key);
    if (!tickets) return;
    const index = tickets.indexOf(ticket);
    if (index !== -1) tickets.splice(index, 1);
    if (tickets.length === 0) this.#pending.delete(ticket.key);
  }

  #evictOverflow(): void {
    while ((this.#map.size > this.maxEntries || this.#bytes > this.maxBytes) && this.#tail) {
      this.#remove(this.#tail);
      this.counters.evictions++;
    }
  }

  #remove(node: L1Node): void {
    this.#unlink(node);
    this.#map.delete(node.key);
    this.#bytes -= node.bytes;
    node.held = false;
  }

  #unlink(node: L1Node): void {
    if (node.prev) node.prev.next = node.next;
    else this.#head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.#tail = node.prev;
    node.prev = undefined;
    node.next = undefined;
  }

  #pushHead(node: L1Node): void {
    node.next = this.#head;
    if (this.#head) this.#head.prev = node;
    this.#head = node;
    if (!this.#tail) this.#tail = node;
  }
}
