export { closedPort, findFreePort } from './free-port.js';
export {
  type RedisServerHandle,
  redisServerAvailable,
  type StartRedisServerOptions,
  startRedisServer,
  useRedisServer,
} from './redis-server.js';
