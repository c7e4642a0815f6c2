/** Stable machine-readable codes, one per error class. */
export type RedisErrorCode =
  | 'ERR_REDIS_CONNECTION'
  | 'ERR_REDIS_CONNECTION_LOST'
  | 'ERR_REDIS_UNKNOWN_MASTER'
  | 'ERR_REDIS_AUTH'
  | 'ERR_REDIS_TIMEOUT'
  | 'ERR_REDIS_REPLY'
  | 'ERR_REDIS_UNAVAILABLE'
  | 'ERR_REDIS_VALIDATION'
  | 'ERR_REDIS_SERIALIZATION'
  | 'ERR_REDIS_CAPABILITY'
  | 'ERR_REDIS_CLOSED'
  | 'ERR_REDIS_ABORTED'
  | 'ERR_REDIS_OVERFLOW'
  | 'ERR_REDIS_COMPUTE';

/** Options shared by every error of the hierarchy. */
export interface RedisErrorOptions {
  readonly cause?: unknown;
}

/**
 * What `JSON.stringify` writes for a `RedisError`: its name, code and message, and the detail
 * fields of its class (`prefix`, `timeoutMs`, `key`, `issues`, `capability`, ...).
 */
export interface RedisErrorJson {
  readonly name: string;
  readonly code: RedisErrorCode;
  readonly message: string;
  readonly [detail: string]: unknown;
}

// Never serialized: a driver's error in `cause` may quote a URL with its password, and a stack
// says where, not what. The messages of this library's own errors carry no credentials.
const UNSERIALIZED_FIELDS = new Set(['cause', 'stack']);

/**
 * The base of every error this library throws. Catch this to catch them all; check
 * `instanceof` a subclass (or `code`) to tell them apart. The same failure gives the same class
 * on every driver.
 */
export abstract class RedisError extends Error {
  /** A stable code for the class of failure. */
  abstract readonly code: RedisErrorCode;

  constructor(message: string, options?: RedisErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }

  /**
   * What `JSON.stringify(error)` writes, as loggers do: `name`, `code`, `message` (which an
   * `Error`'s own JSON leaves out) and the class's detail fields. `cause` and `stack` are left out.
   */
  toJSON(): RedisErrorJson {
    const json: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const [field, value] of Object.entries(this)) {
      if (value !== undefined && !(field in json) && !UNSERIALIZED_FIELDS.has(field)) json[field] = value;
    }
    return json as RedisErrorJson;
  }
}

/**
 * The connection to the server could not be made, was refused, or was lost before the reply.
 * When a driver knows the command had been written before the connection was lost, it says so with
 * the subclass `RedisConnectionLostError` (the command may have run); the ioredis and node-redis
 * drivers do, so from them a plain `RedisConnectionError` means the command was never sent.
 */
export class RedisConnectionError extends RedisError {
  readonly code:
    | 'ERR_REDIS_CONNECTION'
    | 'ERR_REDIS_CONNECTION_LOST'
    | 'ERR_REDIS_UNKNOWN_MASTER'
    | 'ERR_REDIS_AUTH' = 'ERR_REDIS_CONNECTION';
}

/**
 * The command had been written to the connection when the connection was lost, before its reply
 * arrived: like a `RedisTimeoutError`, the command **may have run** (the server may have applied
 * it, and a replica may have it after a failover). Retry only what is safe to run twice. A
 * `RedisConnectionError`, so code that treats every connection failure alike keeps working.
 */
export class RedisConnectionLostError extends RedisConnectionError {
  override readonly code = 'ERR_REDIS_CONNECTION_LOST' as const;
}

/**
 * Sentinels answered, but none of them knows a primary by the name the driver was given
 * (`masterName`), or none has one it considers up: a configuration error, or a group that lost its
 * primary with no replica to promote. Nothing was sent. A `RedisConnectionError`, since no command
 * can run; retrying helps only once the sentinels name a primary.
 */
export class RedisUnknownMasterError extends RedisConnectionError {
  override readonly code = 'ERR_REDIS_UNKNOWN_MASTER' as const;
  /** The master name the sentinels were asked about. */
  readonly masterName: string;

  constructor(masterName: string, message: string, options?: RedisErrorOptions) {
    super(message, options);
    this.masterName = masterName;
  }
}

/**
 * The server refused the client's credentials: none were given where it requires them (`NOAUTH`),
 * the password was wrong or the ACL user unknown or disabled (`WRONGPASS`), or the REST token was
 * refused (HTTP 401). A `RedisConnectionError`, since no command can run on such a connection;
 * retrying will not help until the configuration changes. Never carries the credentials.
 */
export class RedisAuthError extends RedisConnectionError {
  override readonly code = 'ERR_REDIS_AUTH' as const;
}

/** No reply arrived within the command timeout (the command may or may not have run). */
export class RedisTimeoutError extends RedisError {
  readonly code = 'ERR_REDIS_TIMEOUT' as const;
  /** The timeout that elapsed, in milliseconds. */
  readonly timeoutMs: number;

  constructor(message: string, timeoutMs: number, options?: RedisErrorOptions) {
    super(message, options);
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's AbortSignal fired before the reply arrived. */
export class RedisAbortedError extends RedisError {
  readonly code = 'ERR_REDIS_ABORTED' as const;
}

/**
 * The server answered with an error reply. `message` is the server's own text
 * (e.g. `WRONGTYPE Operation against a key holding the wrong kind of value`), and `prefix` its
 * first word (`WRONGTYPE`, `ERR`, `NOSCRIPT`, ...).
 */
export class RedisReplyError extends RedisError {
  readonly code: 'ERR_REDIS_REPLY' | 'ERR_REDIS_UNAVAILABLE' = 'ERR_REDIS_REPLY';
  /** The first word of the server's message, e.g. `WRONGTYPE`. */
  readonly prefix: string;

  constructor(message: string, options?: RedisErrorOptions) {
    super(message, options);
    const space = message.indexOf(' ');
    this.prefix = space === -1 ? message : message.slice(0, space);
  }
}

/**
 * The server answered, but cannot serve the command right now: it is loading its dataset
 * (`LOADING`), running a script or function that does not yield (`BUSY`), a read-only replica
 * (`READONLY`), a replica that lost its master (`MASTERDOWN`), part of a cluster that is down
 * (`CLUSTERDOWN`) or resharding the keys (`TRYAGAIN`), or refusing writes for now: too few
 * replicas for `min-replicas-to-write` (`NOREPLICAS`), a failing RDB save (`MISCONF`). A `RedisReplyError` with the server's
 * message and `prefix`; failure policies count it as "Redis is unavailable", like a lost
 * connection. The command did not run.
 */
export class RedisUnavailableError extends RedisReplyError {
  override readonly code = 'ERR_REDIS_UNAVAILABLE' as const;
}

/** One problem found while validating input or a stored value. */
export interface ValidationIssue {
  readonly message: string;
  /** Where in the value the problem is, when known. */
  readonly path?: readonly PropertyKey[];
}

/**
 * Input was rejected before anything was sent (an empty key list, a NaN score, a negative TTL,
 * a model that fails its schema), or a stored value failed its schema on read (`key` names it).
 */
export class RedisValidationError extends RedisError {
  readonly code = 'ERR_REDIS_VALIDATION' as const;
  /** The key whose stored value failed validation, for read-side failures. */
  readonly key: string | undefined;
  /** What was wrong. */
  readonly issues: readonly ValidationIssue[];

  constructor(
    message: string,
    details: { key?: string; issues?: readonly ValidationIssue[] } = {},
    options?: RedisErrorOptions,
  ) {
    super(message, options);
    this.key = details.key;
    this.issues = details.issues ?? [{ message }];
  }
}

/**
 * A value could not be encoded without changing it (NaN, a Map, an `undefined` member, a cycle,
 * ...; nothing was written), or a reply or stored value could not be decoded.
 */
export class RedisSerializationError extends RedisError {
  readonly code = 'ERR_REDIS_SERIALIZATION' as const;
  /** The key involved, when known. */
  readonly key: string | undefined;
  /** Where in the value the part that could not be encoded sits (`[]`: the value itself), when known. */
  readonly path: readonly (string | number)[] | undefined;

  constructor(
    message: string,
    details: { key?: string; path?: readonly (string | number)[] } = {},
    options?: RedisErrorOptions,
  ) {
    super(message, options);
    this.key = details.key;
    this.path = details.path;
  }
}

/** The driver does not declare a capability the call needs (e.g. binary values on Upstash). */
export class RedisCapabilityError extends RedisError {
  readonly code = 'ERR_REDIS_CAPABILITY' as const;
  /** The missing capability. */
  readonly capability: string;
  /** The driver that lacks it. */
  readonly driver: string;

  constructor(capability: string, driver: string, what?: string) {
    super(
      `${what ?? 'this operation'} needs the '${capability}' capability, which the ${driver} driver does not declare`,
    );
    this.capability = capability;
    this.driver = driver;
  }
}

/** The service or driver was closed; commands in flight and later commands reject with this. */
export class RedisClosedError extends RedisError {
  readonly code = 'ERR_REDIS_CLOSED' as const;
}
