export {
  DEFAULT_MAX_BODY_BYTES,
  startUpstashBridge,
  type UpstashBridge,
  type UpstashBridgeOptions,
} from './upstash-bridge.js';
