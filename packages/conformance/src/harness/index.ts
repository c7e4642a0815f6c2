export {
  type FaultProxy,
  type FaultProxyTarget,
  type StartFaultProxyOptions,
  startFaultProxy,
} from './fault-proxy.js';
export { closedPort, findFreePort } from './free-port.js';
export {
  type RedisServerHandle,
  redisServerAvailable,
  type StartRedisServerOptions,
  startRedisServer,
  useRedisServer,
} from './redis-server.js';
export {
  createSelfSignedCertificate,
  opensslAvailable,
  type SelfSignedCertificate,
} from './tls-certificate.js';
