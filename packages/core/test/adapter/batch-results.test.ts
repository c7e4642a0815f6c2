import {
  type BatchItemResult,
  RedisConnectionError,
  type RedisError,
  RedisReplyError,
  RedisSerializationError,
} from '@redis-service/core';
import {
  type BatchReader,
  type CommandOutcome,
  pipelineResults,
  settledFromErrorFirst,
  transactionResults,
} from '@redis-service/core/adapter';
import { describe, expect, it } from 'vitest';
import { isExecNil } from '../../src/port/dedicated.js';

/** Reads raw values as they are; a "reply error" is an Error whose message starts with ERR/EXECABORT. */
const reader: BatchReader = {
  read: (command, raw) => (command === 'BAD' ? fail() : (raw as string)),
  mapError: (error): RedisError =>
    error instanceof Error && /^(ERR|EXECABORT|WRONGTYPE)/.test(error.message)
      ? new RedisReplyError(error.message)
      : new RedisConnectionError(String(error instanceof Error ? error.message : error)),
};
const fail = (): never => {
  throw new RedisReplyError('ERR unreadable');
};
const ok = (value: unknown): CommandOutcome => ({ status: 'fulfilled', value });
const no = (message: string): CommandOutcome => ({ status: 'rejected', reason: new Error(message) });
const shape = (results: BatchItemResult[]) =>
  results.map((result) =>
    result.ok ? result.value : `${result.error.constructor.name}: ${result.error.message}`,
  );

describe('pipelineResults', () => {
  it('gives every command its reply or its own error reply, in order', () => {
    const results = pipelineResults(['GET', 'INCR', 'BAD'], [ok('a'), no('WRONGTYPE no'), ok('x')], reader);
    expect(shape(results)).toEqual(['a', 'RedisReplyError: WRONGTYPE no', 'RedisReplyError: ERR unreadable']);
  });

  it('throws a failure that is not an error reply for the whole batch', () => {
    expect(() => pipelineResults(['GET', 'GET'], [ok('a'), no('socket closed')], reader)).toThrow(
      RedisConnectionError,
    );
  });

  it('refuses a batch whose outcomes do not match its commands', () => {
    expect(() => pipelineResults(['GET', 'GET'], [ok('a')], reader)).toThrow(RedisSerializationError);
  });
});

describe('transactionResults', () => {
  it("gives every command EXEC's reply, or its own run-time error", () => {
    const exec = ok(['1', new Error('WRONGTYPE run'), '3']);
    const results = transactionResults(
      ['SET', 'INCR', 'GET'],
      [ok('OK'), ok('QUEUED'), ok('QUEUED'), ok('QUEUED'), exec],
      reader,
    );
    expect(shape(results)).toEqual(['1', 'RedisReplyError: WRONGTYPE run', '3']);
  });

  it('gives the command refused at queue time its error, the others EXECABORT', () => {
    const results = transactionResults(
      ['SET', 'GET'],
      [ok('OK'), ok('QUEUED'), no('ERR wrong number of arguments'), no('EXECABORT discarded')],
      reader,
    );
    expect(shape(results)).toEqual([
      'RedisReplyError: EXECABORT discarded',
      'RedisReplyError: ERR wrong number of arguments',
    ]);
  });

  it('gives every command the nil-EXEC error when a watched key changed', () => {
    const results = transactionResults(
      ['GET', 'GET'],
      [ok('OK'), ok('QUEUED'), ok('QUEUED'), ok(null)],
      reader,
    );
    expect(results.every((result) => !result.ok && isExecNil(result.error))).toBe(true);
  });

  it('throws for the whole batch: a refused MULTI, a lost connection, an EXEC reply of the wrong length', () => {
    expect(() => transactionResults(['GET'], [no('socket closed'), ok('QUEUED'), ok(['a'])], reader)).toThrow(
      RedisConnectionError,
    );
    expect(() => transactionResults(['GET'], [ok('OK'), ok('QUEUED'), no('socket closed')], reader)).toThrow(
      RedisConnectionError,
    );
    expect(() => transactionResults(['GET'], [ok('OK'), no('socket closed'), ok(null)], reader)).toThrow(
      RedisConnectionError,
    );
    expect(() => transactionResults(['GET'], [ok('OK'), ok('QUEUED'), ok(['a', 'b'])], reader)).toThrow(
      RedisSerializationError,
    );
    expect(() => transactionResults(['GET'], [ok('OK'), ok(['a'])], reader)).toThrow(RedisSerializationError);
  });

  it('reads error-first pairs, and a pipeline that did not run as no outcomes', () => {
    const pairs: [Error | null, unknown][] = [
      [null, 'OK'],
      [null, 'QUEUED'],
      [null, ['v']],
    ];
    expect(shape(transactionResults(['GET'], settledFromErrorFirst(pairs), reader))).toEqual(['v']);
    expect(settledFromErrorFirst(null)).toEqual([]);
    expect(settledFromErrorFirst([[new Error('x'), undefined]])[0]?.status).toBe('rejected');
  });
});
