import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { onAbort } from '../../src/util/abort-fanout.js';
import { LinkedList } from '../../src/util/linked-list.js';

describe('onAbort', () => {
  it('runs every callback once on abort through a single listener, and cancels in O(1)', () => {
    const controller = new AbortController();
    const ran: number[] = [];
    const cancels = Array.from({ length: 50 }, (_, i) => onAbort(controller.signal, () => ran.push(i)));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    cancels[3]!();
    cancels[3]!();
    controller.abort();
    controller.abort();
    expect(ran).toEqual(Array.from({ length: 50 }, (_, i) => i).filter((i) => i !== 3));
  });

  it('removes its listener when the last callback is cancelled, and adds one again when needed', () => {
    const controller = new AbortController();
    const cancel = onAbort(controller.signal, () => {});
    cancel();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    let ran = 0;
    onAbort(controller.signal, () => ran++);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    expect(ran).toBe(1);
  });

  it('runs at once on a signal that already fired, and lets a callback cancel another one mid-dispatch', () => {
    let ran = 0;
    onAbort(AbortSignal.abort(), () => ran++);
    expect(ran).toBe(1);
    const controller = new AbortController();
    const order: string[] = [];
    let cancelSecond = () => {};
    onAbort(controller.signal, () => {
      order.push('first');
      cancelSecond();
    });
    cancelSecond = onAbort(controller.signal, () => order.push('second'));
    controller.abort();
    expect(order).toEqual(['first']);
  });
});

describe('LinkedList', () => {
  it('is a FIFO whose nodes leave from anywhere, once', () => {
    const list = new LinkedList<number>();
    const nodes = [1, 2, 3, 4].map((value) => list.push(value));
    expect(list.remove(nodes[1]!)).toBe(true);
    expect(list.remove(nodes[1]!)).toBe(false);
    expect(list.remove(nodes[3]!)).toBe(true);
    expect(list.size).toBe(2);
    expect(list.peek()).toBe(1);
    expect(list.shift()).toBe(1);
    list.push(5);
    expect(list.drain()).toEqual([3, 5]);
    expect(list.size).toBe(0);
    expect(list.shift()).toBeUndefined();
    expect(new LinkedList<number>().remove(nodes[0]!)).toBe(false);
  });
});
