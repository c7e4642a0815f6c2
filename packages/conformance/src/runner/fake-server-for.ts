import type { Transport } from '../case.js';
import {
  type ScriptedServer,
  type ScriptedServerScript,
  startScriptedServer,
} from '../fake/scripted-server.js';
import { startUpstashScriptedServer } from '../fake/upstash-rest-server.js';

/** Starts the scripted fake server of `transport`; the unit tier runs the same scenarios over each. */
export function startFakeServer(transport: Transport, script: ScriptedServerScript): Promise<ScriptedServer> {
  switch (transport) {
    case 'resp':
      return startScriptedServer(script);
    case 'upstash-rest':
      return startUpstashScriptedServer(script);
  }
}
