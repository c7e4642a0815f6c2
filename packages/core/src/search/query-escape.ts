import { RedisValidationError } from '../errors/redis-error.js';

// Every ASCII character that is not a letter or a digit may be query syntax ({ } | @ : ( ) - ~ *
// space ...); RediSearch reads a backslash before any character as that character, literally.
// Characters beyond ASCII are never syntax and pass through.
function isQuerySyntax(code: number): boolean {
  const letterOrDigit =
    (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
  return code <= 0x7f && !letterOrDigit;
}

/**
 * A user string made safe for a TAG value or a TEXT term of a RediSearch query: every ASCII
 * character that is not a letter or a digit is backslash-escaped, so the value can never close a
 * brace, start an operator or name another field. Empty strings and NUL are refused.
 */
export function escapeQueryValue(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new RedisValidationError(`${what} must be a non-empty string`);
  }
  if (value.includes('\u0000')) throw new RedisValidationError(`${what} must not contain NUL`);
  let escaped = '';
  for (const char of value) escaped += isQuerySyntax(char.charCodeAt(0)) ? `\\${char}` : char;
  return escaped;
}
