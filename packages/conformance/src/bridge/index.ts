export { startUpstashBridge, type UpstashBridge, type UpstashBridgeOptions } from './upstash-bridge.js';
