import { isRespValue, type RespValue } from './resp-value.js';

/** Where a received command came from. */
export interface CommandInfo {
  /** The connection it arrived on: 0 for the first connection the server accepted, then 1, 2, ... */
  readonly connection: number;
  /** Its position among the commands of that connection: 0 for the first. */
  readonly index: number;
  /** Its arguments exactly as received (the name first, in the case the client sent it). */
  readonly raw: readonly Uint8Array[];
  /** The port the fake server listens on (its `CLUSTER SLOTS` default names it). */
  readonly port: number;
}

/** Send these exact bytes (a malformed or partial frame, say) and go on serving the connection. */
export interface RawAction {
  readonly raw: string | Uint8Array;
}

/** Close the connection now, without answering. */
export interface DropAction {
  readonly drop: true;
}

/** Send these bytes (half a reply, say), then close the connection. */
export interface DropAfterAction {
  readonly dropAfter: string | Uint8Array;
}

/** Never answer this command or any later one on this connection (the connection stays open). */
export interface HangAction {
  readonly hang: true;
}

/** What a scripted server does with one command: answer it with a value, or one of the fault actions. */
export type ScriptAction = RespValue | RawAction | DropAction | DropAfterAction | HangAction;

/**
 * Decides what the server does with each command. `command` is the argument vector decoded as UTF-8
 * with the name uppercased (`['GET', 'k']`). Returning `undefined` leaves the command to the
 * server's defaults, which answer handshake and bookkeeping commands (PING, HELLO, CLIENT, SELECT,
 * AUTH, INFO, ...) like Redis 7 does, so any client library connects, and refuse everything else
 * with `ERR unknown command`.
 */
export type ScriptedServerScript = (
  command: readonly string[],
  info: CommandInfo,
) => ScriptAction | undefined;

/** Sends nothing ever again on the connection. */
export const HANG: HangAction = { hang: true };

/** Closes the connection without answering. */
export const DROP: DropAction = { drop: true };

/** The scripted action, told apart by its shape. */
export type ClassifiedAction =
  | { readonly kind: 'reply'; readonly value: RespValue }
  | { readonly kind: 'raw'; readonly bytes: string | Uint8Array }
  | { readonly kind: 'drop' }
  | { readonly kind: 'drop-after'; readonly bytes: string | Uint8Array }
  | { readonly kind: 'hang' };

/** Tells which kind of action a script returned; throws on anything that is not an action. */
export function classifyAction(action: ScriptAction): ClassifiedAction {
  if (isRespValue(action)) return { kind: 'reply', value: action };
  if ('raw' in action) return { kind: 'raw', bytes: action.raw };
  if ('dropAfter' in action) return { kind: 'drop-after', bytes: action.dropAfter };
  if ('drop' in action && action.drop === true) return { kind: 'drop' };
  if ('hang' in action && action.hang === true) return { kind: 'hang' };
  throw new TypeError(`not a scripted server action: ${JSON.stringify(action)}`);
}
