import type { Schema } from '@redis-service/core';

/** The record the model cases store. */
export interface User {
  readonly name: string;
  readonly age: number;
  readonly tags: readonly string[];
}

interface Issue {
  readonly message: string;
  readonly path: readonly PropertyKey[];
}

function userIssues(value: unknown): Issue[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ message: 'expected an object', path: [] }];
  }
  const record = value as Record<string, unknown>;
  const issues: Issue[] = [];
  if (typeof record.name !== 'string' || record.name.length === 0) {
    issues.push({ message: 'expected a non-empty string', path: ['name'] });
  }
  if (typeof record.age !== 'number' || !Number.isInteger(record.age) || record.age < 0) {
    issues.push({ message: 'expected an integer >= 0', path: ['age'] });
  }
  if (!Array.isArray(record.tags)) {
    issues.push({ message: 'expected an array', path: ['tags'] });
  } else {
    record.tags.forEach((tag, i) => {
      if (typeof tag !== 'string') issues.push({ message: 'expected a string', path: ['tags', i] });
    });
  }
  return issues;
}

function validateUser(value: unknown) {
  const issues = userIssues(value);
  return issues.length > 0 ? { issues } : { value: value as User };
}

/**
 * A hand-written Standard Schema v1 for `User`, so the kit tests models without depending on any
 * schema library: core must accept any vendor that implements `~standard`.
 */
export const userSchema: Schema<User, User> = {
  '~standard': { version: 1, vendor: 'redis-service-kit', validate: validateUser },
};

/** The same schema validating asynchronously (its `validate` returns a Promise), as some vendors do. */
export const asyncUserSchema: Schema<User, User> = {
  '~standard': {
    version: 1,
    vendor: 'redis-service-kit',
    validate: async (value) => {
      // A macrotask, not just a microtask: real async validators wait on I/O.
      await new Promise((resolve) => setTimeout(resolve, 1));
      return validateUser(value);
    },
  },
};

/** A valid user. */
export const ada: User = { name: 'Ada', age: 36, tags: ['math', 'engines'] };
/** Another valid user, with unicode. */
export const grace: User = { name: 'Grace Hopper 👩‍💻', age: 85, tags: [] };
/** Fails `userSchema`: a negative age. */
export const invalidUser: unknown = { name: 'Nobody', age: -1, tags: [] };
