// The test kit pieces these tests use, from the conformance package's public subpaths.
export { startUpstashBridge, type UpstashBridge } from '@redis-service/conformance/bridge';
export {
  DROP,
  HANG,
  reply,
  type ScriptedServer,
  startUpstashScriptedServer,
} from '@redis-service/conformance/fake';
export { closedPort, type RedisServerHandle, startRedisServer } from '@redis-service/conformance/harness';
