import type { DriverMessage } from '../port/driver.js';

/** What happens when a message arrives and the buffer is full. */
export type OverflowPolicy = 'drop-oldest' | 'error';

interface Waiter {
  readonly resolve: (result: IteratorResult<DriverMessage, undefined>) => void;
  readonly reject: (error: unknown) => void;
}

const DONE: IteratorResult<DriverMessage, undefined> = Object.freeze({ done: true, value: undefined });

/**
 * A fixed-capacity FIFO of messages between the driver (which pushes as messages arrive) and one
 * or more readers (which pull with `next`). A ring, so pushing and pulling never copy the buffer:
 * a slow reader costs at most `capacity` messages of memory, whatever the publish rate.
 */
export class MessageBuffer {
  readonly capacity: number;
  readonly #overflow: OverflowPolicy;
  readonly #onOverflow: () => Error;
  readonly #ring: (DriverMessage | undefined)[];
  #head = 0;
  #size = 0;
  #dropped = 0;
  #waiters: Waiter[] = [];
  #ended = false;
  #failure: Error | undefined;

  /**
   * @param onOverflow builds the error of the `'error'` policy (and closes what feeds the buffer)
   */
  constructor(capacity: number, overflow: OverflowPolicy, onOverflow: () => Error) {
    this.capacity = capacity;
    this.#overflow = overflow;
    this.#onOverflow = onOverflow;
    this.#ring = new Array<DriverMessage | undefined>(capacity);
  }

  /** Messages discarded by the `'drop-oldest'` policy so far. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Whether nothing more will be accepted (ended, or failed by an overflow). */
  get ended(): boolean {
    return this.#ended || this.#failure !== undefined;
  }

  /** Hands a message to a waiting reader, or buffers it; applies the overflow policy when full. */
  push(message: DriverMessage): void {
    if (this.ended) return;
    const waiter = this.#waiters.shift();
    if (waiter) {
      waiter.resolve({ done: false, value: message });
      return;
    }
    if (this.#size === this.capacity) {
      if (this.#overflow === 'error') {
        this.#failure = this.#onOverflow();
        return;
      }
      this.#ring[this.#head] = undefined;
      this.#head = (this.#head + 1) % this.capacity;
      this.#size--;
      this.#dropped++;
    }
    this.#ring[(this.#head + this.#size) % this.capacity] = message;
    this.#size++;
  }

  /**
   * The next message; waits for one when the buffer is empty. After `end()`: done. After an
   * overflow: the messages buffered before it, then the overflow error once, then done.
   */
  next(): Promise<IteratorResult<DriverMessage, undefined>> {
    if (this.#size > 0) {
      const message = this.#ring[this.#head]!;
      this.#ring[this.#head] = undefined;
      this.#head = (this.#head + 1) % this.capacity;
      this.#size--;
      return Promise.resolve({ done: false, value: message });
    }
    if (this.#failure !== undefined && !this.#ended) {
      this.#ended = true;
      return Promise.reject(this.#failure);
    }
    if (this.ended) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /**
   * Ends the buffer: buffered messages are discarded and every reader (waiting or later) gets done.
   * After an overflow it changes nothing: the reader still gets what was buffered, then the error.
   */
  end(): void {
    if (this.#failure !== undefined) return;
    this.#ended = true;
    this.#ring.fill(undefined);
    this.#size = 0;
    for (const waiter of this.#waiters.splice(0)) waiter.resolve(DONE);
  }
}
