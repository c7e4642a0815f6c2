/** Kept for the cluster and sentinel drivers written against it: see `@redis-service/core/adapter`. */
export { doubleText, normalizeReply } from '@redis-service/core/adapter';
