import {
  type RedisCommand,
  RedisConnectionError,
  type RedisReply,
  RedisService,
  RedisValidationError,
} from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { FakeDriver } from '../support/fake-driver.js';

const entry = (id: string, ...fields: string[]): RedisReply => [id, fields];

/**
 * A driver without dedicated connections (so the consumer polls, and every command it sends is
 * on the shared connection, in order) that answers from `answer`, recording what it was asked.
 */
function scripted(answer: (command: readonly string[]) => RedisReply): FakeDriver {
  return new FakeDriver({
    capabilities: { blocking: false },
    respond: (command: RedisCommand) => answer(command.map(String)),
  });
}

const isHistory = (command: readonly string[]) => command[0] === 'XREADGROUP' && command.at(-1) !== '>';
const isNew = (command: readonly string[]) => command[0] === 'XREADGROUP' && command.at(-1) === '>';

describe('StreamConsumer', () => {
  it('re-reads its pending entries first: acknowledges deleted ones, skips entries claimed away, dead-letters those delivered too often', async () => {
    let newReads = 0;
    const driver = scripted((command) => {
      if (isHistory(command)) {
        return command.at(-1) === '0'
          ? [['s', [entry('1-0', 'a', '1'), ['2-0', null], entry('3-0', 'a', '3'), entry('4-0', 'a', '4')]]]
          : [['s', []]];
      }
      if (isNew(command)) return newReads++ === 0 ? [['s', [entry('5-0', 'a', '5')]]] : null;
      if (command[0] === 'XPENDING') {
        const id = command[3]!;
        const holder = id === '3-0' ? 'other' : 'c';
        return [[id, holder, 10, id === '4-0' ? 4 : 2]];
      }
      if (command[0] === 'EVALSHA') return 1;
      if (command[0] === 'XACK') return 1;
      throw new Error(`unexpected ${command.join(' ')}`);
    });
    const redis = new RedisService(driver);
    const consumer = redis.consume('s', {
      group: 'g',
      consumer: 'c',
      maxDeliveries: 3,
      deadLetterStream: 'dead',
    });
    const first = await consumer.next();
    const second = await consumer.next();
    expect(first.done ? null : [first.value.id, first.value.deliveryCount]).toEqual(['1-0', 2]);
    expect(second.done ? null : [second.value.id, second.value.deliveryCount]).toEqual(['5-0', 1]);
    await consumer.close();
    const sent = driver.sent.map((command) => command.map(String));
    expect(sent.filter((command) => command[0] !== 'XPENDING' && command[0] !== 'EVALSHA')).toEqual([
      ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '10', 'STREAMS', 's', '0'],
      ['XACK', 's', 'g', '2-0'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '10', 'STREAMS', 's', '4-0'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '10', 'STREAMS', 's', '>'],
    ]);
    const moved = sent.find((command) => command[0] === 'EVALSHA')!;
    expect(moved.slice(2)).toEqual(['2', 's', 'dead', 'g', 'c', '4-0', 'max-deliveries', 's']);
    expect(consumer.stats).toEqual({
      delivered: 2,
      acked: 0,
      claimed: 0,
      deadLettered: 1,
      deletedPending: 1,
    });
  });

  it('never claims back into itself a message the caller still holds', async () => {
    let handedOut = false;
    let served = false;
    let claimsAfter = 0;
    const stop = new AbortController();
    const driver = scripted((command) => {
      if (command[0] === 'XAUTOCLAIM') {
        if (!handedOut) return ['0-0', [], []];
        // The message it handed out has been idle long enough: a scan claims it (again) for itself.
        if (++claimsAfter === 2) stop.abort();
        return ['0-0', [entry('1-0', 'a', '1')], []];
      }
      if (isHistory(command)) return [['s', []]];
      if (isNew(command)) {
        if (served) return null;
        served = true;
        return [['s', [entry('1-0', 'a', '1')]]];
      }
      throw new Error(`unexpected ${command.join(' ')}`);
    });
    const redis = new RedisService(driver);
    const consumer = redis.consume('s', {
      group: 'g',
      consumer: 'c',
      claimIdleMs: 1,
      blockMs: 5,
      signal: stop.signal,
    });
    const first = await consumer.next();
    expect(first.done ? null : first.value.id).toBe('1-0');
    handedOut = true;
    expect(await consumer.next()).toEqual({ done: true, value: undefined });
    expect(claimsAfter).toBe(2);
    expect(consumer.stats).toMatchObject({ delivered: 1, claimed: 0 });
    expect(driver.sent.some((command) => command[0] === 'XPENDING')).toBe(false);
  });

  it('does not hand out again, when it re-reads its pending list, what a claim scan handed out first', async () => {
    const stop = new AbortController();
    const driver = scripted((command) => {
      if (command[0] === 'XAUTOCLAIM') return ['0-0', [entry('1-0', 'a', '1')], []];
      if (command[0] === 'XPENDING') return [['1-0', 'c', 70_000, 2]];
      if (isHistory(command)) return command.at(-1) === '0' ? [['s', [entry('1-0', 'a', '1')]]] : [['s', []]];
      if (isNew(command)) {
        stop.abort();
        return null;
      }
      throw new Error(`unexpected ${command.join(' ')}`);
    });
    const redis = new RedisService(driver);
    const consumer = redis.consume('s', {
      group: 'g',
      consumer: 'c',
      claimIdleMs: 60_000,
      signal: stop.signal,
    });
    const first = await consumer.next();
    expect(first.done ? null : [first.value.id, first.value.deliveryCount]).toEqual(['1-0', 2]);
    expect(await consumer.next()).toEqual({ done: true, value: undefined });
    expect(consumer.stats).toMatchObject({ delivered: 1, claimed: 1 });
  });

  it('ack() sends one XACK however often it is called, may be retried after a failure, and close() waits for it', async () => {
    const redis = new RedisService(
      scripted((command) => {
        if (isHistory(command)) return [['s', []]];
        if (isNew(command)) return [['s', [entry('1-0', 'a', '1')]]];
        throw new Error(`unexpected ${command.join(' ')}`);
      }),
    );
    const consumer = redis.consume('s', { group: 'g', consumer: 'c' });
    const next = await consumer.next();
    if (next.done) throw new Error('no message');
    const message = next.value;
    let acks = 0;
    let release!: (acknowledged: number) => void;
    redis.xack = () => {
      acks++;
      if (acks === 1) return Promise.reject(new RedisConnectionError('lost'));
      return new Promise<number>((resolve) => {
        release = resolve;
      });
    };
    await expect(message.ack()).rejects.toBeInstanceOf(RedisConnectionError);
    const acking = message.ack();
    expect(message.ack()).toBe(acking);
    expect(acks).toBe(2);
    let closed = false;
    const closing = consumer.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(closed).toBe(false);
    release(1);
    await expect(acking).resolves.toBe(true);
    await closing;
    expect(consumer.stats.acked).toBe(1);
    await expect(message.deadLetter()).resolves.toBe(false);
    expect(acks).toBe(2);
  });

  it('deadLetter() without a dead-letter stream is refused', async () => {
    const redis = new RedisService(
      scripted((command) => {
        if (isHistory(command)) return [['s', []]];
        return [['s', [entry('1-0', 'a', '1')]]];
      }),
    );
    const consumer = redis.consume('s', { group: 'g', consumer: 'c' });
    const next = await consumer.next();
    if (next.done) throw new Error('no message');
    await expect(next.value.deadLetter()).rejects.toBeInstanceOf(RedisValidationError);
    await consumer.close();
  });

  it('deadLetter() with a reason that is not a non-empty string is refused before anything is sent; the message can still be settled', async () => {
    const driver = scripted((command) => {
      if (isHistory(command)) return [['s', []]];
      if (isNew(command)) return [['s', [entry('1-0', 'a', '1')]]];
      if (command[0] === 'EVALSHA') return 1;
      throw new Error(`unexpected ${command.join(' ')}`);
    });
    const redis = new RedisService(driver);
    const consumer = redis.consume('s', { group: 'g', consumer: 'c', deadLetterStream: 'dead' });
    const next = await consumer.next();
    if (next.done) throw new Error('no message');
    for (const reason of [42, '', 'bad\uD800'] as string[]) {
      await expect(next.value.deadLetter(reason)).rejects.toBeInstanceOf(RedisValidationError);
    }
    expect(driver.sent.filter((command) => command[0] === 'EVALSHA' || command[0] === 'EVAL')).toEqual([]);
    await expect(next.value.deadLetter('poison')).resolves.toBe(true);
    expect(consumer.stats.deadLettered).toBe(1);
    await consumer.close();
  });
});
