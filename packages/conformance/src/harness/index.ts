export { adminCommand, adminList, adminText, infoField, replyText } from './admin-command.js';
export { type MigrateSlotOptions, migrateSlot, slotOwner, slotSettled } from './cluster-admin.js';
export { type ClusterNodeInfo, ownerOfSlot, parseClusterNodes } from './cluster-topology.js';
export {
  type FaultProxy,
  type FaultProxyTarget,
  type StartFaultProxyOptions,
  startFaultProxy,
} from './fault-proxy.js';
export { closedPort, findFreePort } from './free-port.js';
export {
  type RedisClusterHandle,
  type RedisClusterNode,
  type StartRedisClusterOptions,
  startRedisCluster,
  useRedisCluster,
} from './redis-cluster.js';
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
export {
  createSelfSignedCertificate,
  opensslAvailable,
  type SelfSignedCertificate,
} from './tls-certificate.js';
