import { RedisValidationError } from '../errors/redis-error.js';

/** How one endpoint is reached and how hard it may be driven. */
export interface EndpointSpec {
  /** The name callers use, e.g. `sessions` or `cache-eu`. */
  readonly id: string;
  /** The connection URL (`redis://`, `rediss://`, or an Upstash REST URL). Never printed with its password. */
  readonly url: string;
  /**
   * For a Redis Cluster endpoint: its seed node URLs (any reachable one is enough); `url` is then
   * one of them, for messages. Cluster factories (`createIoredisClusterService`,
   * `createNodeRedisClusterService`) take the spec as it is.
   */
  readonly nodes?: readonly string[];
  /** Which adapter factory serves it, e.g. `ioredis`, `node-redis`, `ioredis-cluster`, `upstash`. */
  readonly kind: string;
  /** The most commands in flight to this endpoint at once. */
  readonly maxInflight?: number;
  /** How long a command may wait for its reply once sent, in milliseconds (see `RedisServiceOptions`). */
  readonly commandTimeoutMs?: number;
  /** How long a caller may wait for an inflight permit, in milliseconds (see `RedisServiceOptions`). */
  readonly queueTimeoutMs?: number;
  /** Prepended to every key. */
  readonly keyPrefix?: string;
  /** Extra adapter-specific settings (e.g. an Upstash token). */
  readonly settings?: Readonly<Record<string, unknown>>;
}

/** Endpoint id -> spec. Ids are unique; specs are checked when registered. */
export class EndpointRegistry {
  readonly #specs = new Map<string, EndpointSpec>();

  /** @param specs endpoints to register at once */
  constructor(specs: Iterable<EndpointSpec> = []) {
    for (const spec of specs) this.register(spec);
  }

  /** Adds an endpoint. A duplicate id, an empty id, url or kind, or an empty `nodes` list is refused. */
  register(spec: EndpointSpec): this {
    for (const field of ['id', 'url', 'kind'] as const) {
      if (typeof spec?.[field] !== 'string' || spec[field].length === 0) {
        throw new RedisValidationError(`endpoint ${field} must be a non-empty string`);
      }
    }
    if (
      spec.nodes !== undefined &&
      (!Array.isArray(spec.nodes) ||
        spec.nodes.length === 0 ||
        spec.nodes.some((node) => typeof node !== 'string' || node.length === 0))
    ) {
      throw new RedisValidationError(
        `endpoint '${spec.id}': nodes must be a non-empty list of non-empty URLs`,
      );
    }
    if (this.#specs.has(spec.id))
      throw new RedisValidationError(`endpoint '${spec.id}' is already registered`);
    this.#specs.set(spec.id, spec);
    return this;
  }

  /** The spec registered under `id`; an unknown id throws `RedisValidationError`. */
  get(id: string): EndpointSpec {
    const spec = this.#specs.get(id);
    if (!spec) {
      const known = [...this.#specs.keys()].join(', ') || 'none';
      throw new RedisValidationError(`unknown endpoint '${id}' (registered: ${known})`);
    }
    return spec;
  }

  /** Whether `id` is registered. */
  has(id: string): boolean {
    return this.#specs.has(id);
  }

  /** Every registered endpoint id. */
  ids(): string[] {
    return [...this.#specs.keys()];
  }
}
