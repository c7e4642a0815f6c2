import assert from 'node:assert/strict';
import { RedisValidationError } from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import { defineCases } from './support/define-cases.js';
import { assertExpiresWithin } from './support/expiry.js';
import { rejectsWith } from './support/rejects-with.js';
import { unchecked } from './support/unchecked.js';
import { ada, asyncUserSchema, grace, invalidUser, type User, userSchema } from './support/user-schema.js';

/** Cases on schema-checked values (any Standard Schema; here a hand-written one). */
export const modelCases: IntegrationCase[] = defineCases('models', [
  {
    slug: 'set-and-get-model',
    name: 'setModel stores a valid value and getModel reads it back checked, or null when missing',
    async run({ redis }) {
      assert.equal(await redis.getModel('u', userSchema), null);
      assert.equal(await redis.setModel('u', userSchema, ada), true);
      assert.deepEqual(await redis.getModel('u', userSchema), ada);
      assert.equal(await redis.setModel('u', userSchema, grace, { xx: true, ttl: 100 }), true);
      assert.deepEqual(await redis.getModel('u', userSchema), grace);
      assertExpiresWithin(await redis.pttl('u'), 100_000, 'setModel ttl');
    },
  },
  {
    slug: 'async-schema',
    name: 'a schema that validates asynchronously works for every model call',
    async run({ redis }) {
      assert.equal(await redis.setModel('a', asyncUserSchema, ada), true);
      assert.deepEqual(await redis.getModel('a', asyncUserSchema), ada);
      await redis.msetModels(asyncUserSchema, { b: grace, c: ada });
      assert.deepEqual(await redis.mgetModels(['b', 'missing', 'c'], asyncUserSchema), [grace, null, ada]);
      await rejectsWith(
        redis.setModel('bad', asyncUserSchema, unchecked<User>(invalidUser)),
        RedisValidationError,
        'async setModel of an invalid value',
      );
      assert.equal(await redis.exists('bad'), 0);
    },
  },
  {
    slug: 'invalid-value-is-not-written',
    name: 'setModel of a value that fails the schema rejects with RedisValidationError and writes nothing',
    async run({ redis }) {
      const error = await rejectsWith(
        redis.setModel('u', userSchema, unchecked<User>(invalidUser)),
        RedisValidationError,
        'setModel of an invalid value',
      );
      assert.ok(error.issues.length > 0, 'issues are reported');
      assert.ok(
        error.issues.some((issue) => issue.path?.[0] === 'age'),
        `an issue points at age: ${JSON.stringify(error.issues)}`,
      );
      assert.equal(await redis.exists('u'), 0);
      await redis.setModel('kept', userSchema, ada);
      await rejectsWith(
        redis.setModel('kept', userSchema, unchecked<User>({ ...ada, name: '' })),
        RedisValidationError,
        'setModel over an existing value',
      );
      assert.deepEqual(await redis.getModel('kept', userSchema), ada, 'the old value is untouched');
    },
  },
  {
    slug: 'mset-and-mget-models',
    name: 'msetModels stores every valid value (with or without ttl) and mgetModels reads them checked',
    async run({ redis }) {
      await redis.msetModels(userSchema, { a: ada, b: grace });
      assert.equal(await redis.pttl('a'), -1);
      await redis.msetModels(userSchema, [['c', ada]], { ttl: 100 });
      assertExpiresWithin(await redis.pttl('c'), 100_000, 'msetModels ttl');
      assert.deepEqual(await redis.mgetModels(['c', 'missing', 'b', 'a'], userSchema), [
        ada,
        null,
        grace,
        ada,
      ]);
    },
  },
  {
    slug: 'mset-models-writes-nothing-when-one-fails',
    name: 'msetModels with one invalid entry rejects with RedisValidationError and writes none of them',
    async run({ redis }) {
      await rejectsWith(
        redis.msetModels(userSchema, unchecked<Record<string, User>>({ a: ada, bad: invalidUser, c: grace })),
        RedisValidationError,
        'msetModels without ttl',
      );
      assert.equal(await redis.exists('a', 'bad', 'c'), 0);
      await rejectsWith(
        redis.msetModels(
          userSchema,
          unchecked<[string, User][]>([
            ['d', ada],
            ['bad', invalidUser],
          ]),
          {
            ttl: 100,
          },
        ),
        RedisValidationError,
        'msetModels with ttl',
      );
      assert.equal(await redis.exists('d', 'bad'), 0);
    },
  },
  {
    slug: 'invalid-stored-value-fails-on-read',
    name: 'reading a stored value that fails the schema rejects with RedisValidationError naming the key and issues',
    async run({ redis }) {
      await redis.setJson('u', { name: 5, age: 'old' });
      await redis.setModel('ok', userSchema, ada);
      const error = await rejectsWith(redis.getModel('u', userSchema), RedisValidationError, 'getModel');
      assert.equal(error.key, 'u');
      assert.ok(error.issues.length >= 2, `issues: ${JSON.stringify(error.issues)}`);
      const many = await rejectsWith(
        redis.mgetModels(['ok', 'u'], userSchema),
        RedisValidationError,
        'mgetModels',
      );
      assert.equal(many.key, 'u');
      assert.ok(many.issues.length > 0);
      const asyncError = await rejectsWith(
        redis.getModel('u', asyncUserSchema),
        RedisValidationError,
        'getModel with an async schema',
      );
      assert.equal(asyncError.key, 'u');
    },
  },
]);
