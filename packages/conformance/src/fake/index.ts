export { closedPortUrl } from './closed-port.js';
export { CommandLog, type ReceivedCommand } from './command-log.js';
export { concatBytes, encodeResp } from './resp-encode.js';
export { RespProtocolError, RespRequestParser } from './resp-request-parser.js';
export { isRespValue, type RespValue, reply } from './resp-value.js';
export {
  type ClassifiedAction,
  type CommandInfo,
  classifyAction,
  DROP,
  type DropAction,
  type DropAfterAction,
  HANG,
  type HangAction,
  type RawAction,
  type ScriptAction,
  type ScriptedServerScript,
} from './script.js';
export {
  type ScriptedServer,
  startScriptedServer,
  startSilentServer,
} from './scripted-server.js';
export {
  clusterSlotsReply,
  defaultAction,
  FAKE_NODE_ID,
  FAKE_REDIS_VERSION,
  unknownCommand,
} from './server-defaults.js';
export { startUpstashScriptedServer, type UpstashScriptedServerOptions } from './upstash-rest-server.js';
