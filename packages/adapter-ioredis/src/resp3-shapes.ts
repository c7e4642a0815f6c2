/** Kept for the cluster and sentinel drivers written against it: see `@redis-service/core/adapter`. */
export { resp2Shape } from '@redis-service/core/adapter';
