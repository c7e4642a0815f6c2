import { RedisClosedError, RedisValidationError } from '../errors/redis-error.js';
import type { RedisService } from '../service/redis-service.js';
import type { EndpointRegistry, EndpointSpec } from './endpoint-registry.js';

/** Builds the service for one endpoint; adapter factories such as `createIoredisService` fit as they are. */
export type ServiceFactory = (spec: EndpointSpec) => RedisService;

/** Options of `RedisClients`. */
export interface RedisClientsOptions {
  /** Where endpoints are looked up. */
  readonly registry: EndpointRegistry;
  /** One factory per endpoint `kind`. */
  readonly factories: Readonly<Record<string, ServiceFactory>>;
}

/**
 * A process-wide cache of services, one per endpoint id, created on first use and closed together.
 * Callers ask for an endpoint by id and never see which driver serves it:
 *
 * ```ts
 * const clients = new RedisClients({ registry, factories: { ioredis: createIoredisService } });
 * await clients.get('sessions').set('s:1', 'x');
 * ```
 */
export class RedisClients implements AsyncDisposable {
  readonly #registry: EndpointRegistry;
  readonly #factories: Readonly<Record<string, ServiceFactory>>;
  readonly #services = new Map<string, RedisService>();
  #closed = false;

  constructor(options: RedisClientsOptions) {
    this.#registry = options.registry;
    this.#factories = options.factories;
  }

  /** The service for endpoint `id`, created on first use. */
  get(id: string): RedisService {
    if (this.#closed) throw new RedisClosedError('these redis clients are closed');
    const existing = this.#services.get(id);
    if (existing) return existing;
    const spec = this.#registry.get(id);
    const factory = this.#factories[spec.kind];
    if (!factory) {
      throw new RedisValidationError(
        `endpoint '${id}' has kind '${spec.kind}', which has no factory (known: ${Object.keys(this.#factories).join(', ') || 'none'})`,
      );
    }
    const service = factory({
      ...spec,
      ...(spec.keyPrefix === undefined ? {} : { keyPrefix: spec.keyPrefix }),
    });
    this.#services.set(id, service);
    return service;
  }

  /** The ids of the services created so far. */
  get open(): string[] {
    return [...this.#services.keys()];
  }

  /** Closes every service created so far; later `get` calls throw `RedisClosedError`. */
  async closeAll(): Promise<void> {
    this.#closed = true;
    const services = [...this.#services.values()];
    this.#services.clear();
    const outcomes = await Promise.allSettled(services.map((service) => service.close()));
    const failures = outcomes.filter(
      (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
    );
    if (failures.length > 0)
      throw new AggregateError(
        failures.map((failure) => failure.reason),
        'some redis services failed to close',
      );
  }

  /** Lets `await using clients = ...` close every service at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.closeAll();
  }
}
