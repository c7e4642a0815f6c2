import type { StandardSchemaV1 } from '@standard-schema/spec';
import { RedisValidationError, type ValidationIssue } from '../errors/redis-error.js';

/** Any Standard Schema (zod, valibot, arktype, ...). */
export type Schema<Input = unknown, Output = Input> = StandardSchemaV1<Input, Output>;
/** The type a schema accepts. */
export type SchemaInput<S extends Schema> = StandardSchemaV1.InferInput<S>;
/** The type a schema produces. */
export type SchemaOutput<S extends Schema> = StandardSchemaV1.InferOutput<S>;

/**
 * Validates a value with a Standard Schema. On failure throws `RedisValidationError` with the
 * schema's issues; `key` names the key for read-side failures.
 */
export async function validateWithSchema<S extends Schema>(
  schema: S,
  value: unknown,
  context: { readonly key?: string; readonly when: 'write' | 'read' },
): Promise<SchemaOutput<S>> {
  requireSchema(schema);
  let result = schema['~standard'].validate(value);
  if (result instanceof Promise) result = await result;
  if (result.issues) {
    const issues: ValidationIssue[] = result.issues.map((issue) => ({
      message: issue.message,
      ...(issue.path
        ? { path: issue.path.map((segment) => (typeof segment === 'object' ? segment.key : segment)) }
        : {}),
    }));
    const where = context.key === undefined ? '' : ` for key '${context.key}'`;
    const summary = summarizeIssues(issues);
    const verb = context.when === 'write' ? 'value to write' : 'stored value';
    throw new RedisValidationError(
      `${verb}${where} failed schema validation: ${summary}`,
      context.key === undefined ? { issues } : { key: context.key, issues },
    );
  }
  return result.value;
}

/** Throws `RedisValidationError` unless `schema` is a Standard Schema. */
export function requireSchema(schema: unknown): asserts schema is Schema {
  // arktype's types are functions, so a schema may be callable as well as a plain object.
  if (!schema || (typeof schema !== 'object' && typeof schema !== 'function') || !('~standard' in schema)) {
    throw new RedisValidationError('expected a Standard Schema (zod, valibot, arktype, ...)');
  }
}

/** Issues as one line for a message: `path.to.field: message; ...`. */
export function summarizeIssues(issues: readonly ValidationIssue[]): string {
  return issues
    .map((issue) => (issue.path?.length ? `${issue.path.join('.')}: ` : '') + issue.message)
    .join('; ');
}
