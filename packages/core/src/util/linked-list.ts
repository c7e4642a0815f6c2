/** A place in a `LinkedList`, kept by whoever pushed it so it can leave from the middle in O(1). */
export interface ListNode<T> {
  readonly value: T;
  /** @internal */
  prev: ListNode<T> | undefined;
  /** @internal */
  next: ListNode<T> | undefined;
  /** @internal the list it is in, or undefined once removed */
  list: LinkedList<T> | undefined;
}

/**
 * A doubly linked FIFO: push at the tail, shift at the head, and remove any node in O(1). What
 * queues need whose members may leave early (an aborted caller, a timed-out one): an array would
 * make each departure O(queue).
 */
export class LinkedList<T> {
  #head: ListNode<T> | undefined;
  #tail: ListNode<T> | undefined;
  #size = 0;

  /** How many nodes the list holds. */
  get size(): number {
    return this.#size;
  }

  /** The value at the head, without removing it. */
  peek(): T | undefined {
    return this.#head?.value;
  }

  /** Appends `value` and returns its node (for `remove`). */
  push(value: T): ListNode<T> {
    const node: ListNode<T> = { value, prev: this.#tail, next: undefined, list: this };
    if (this.#tail) this.#tail.next = node;
    else this.#head = node;
    this.#tail = node;
    this.#size++;
    return node;
  }

  /** Removes and returns the value at the head. */
  shift(): T | undefined {
    const head = this.#head;
    if (!head) return undefined;
    this.remove(head);
    return head.value;
  }

  /** Takes `node` out of the list; false when it is not (or no longer) in this one. */
  remove(node: ListNode<T>): boolean {
    if (node.list !== this) return false;
    if (node.prev) node.prev.next = node.next;
    else this.#head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.#tail = node.prev;
    node.prev = undefined;
    node.next = undefined;
    node.list = undefined;
    this.#size--;
    return true;
  }

  /** Empties the list and returns its values, head first. */
  drain(): T[] {
    const values: T[] = [];
    let node = this.#head;
    while (node) {
      const next = node.next;
      node.prev = undefined;
      node.next = undefined;
      node.list = undefined;
      values.push(node.value);
      node = next;
    }
    this.#head = undefined;
    this.#tail = undefined;
    this.#size = 0;
    return values;
  }
}
