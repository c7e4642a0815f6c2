import { describe } from '../commands/validate.js';
import { RedisValidationError } from '../errors/redis-error.js';

// Field names go into query syntax (`@field:...`), where escaping is not supported for every
// construct; a strict identifier keeps them from ever carrying syntax.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Rejects a field name that is not a plain identifier (letters, digits, `_`, not starting with a digit). */
export function requireFieldName(name: unknown, what = 'field name'): string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new RedisValidationError(
      `${what} must be an identifier (letters, digits and _, not starting with a digit), got ${
        typeof name === 'string' ? JSON.stringify(name.slice(0, 64)) : describe(name)
      }`,
    );
  }
  return name;
}

/** The field RediSearch adds to each KNN hit with its distance, `__<field>_score`. */
export function knnScoreField(vectorField: string): string {
  return `__${vectorField}_score`;
}
