export { adminCommand, adminText, infoField, replyText } from './admin-command.js';
export { closedPort, findFreePort } from './free-port.js';
export {
  type RedisServerHandle,
  redisServerAvailable,
  type StartRedisServerOptions,
  startRedisServer,
  useRedisServer,
} from './redis-server.js';
export {
  type FailoverOutcome,
  type SentinelAddress,
  type SentinelGroupHandle,
  type StartSentinelGroupOptions,
  startSentinelGroup,
} from './sentinel-group.js';
