/**
 * A cluster's answer that the command did not run on this node and where to send it:
 * `MOVED <slot> <host:port>` (the slot lives there now), `ASK <slot> <host:port>` (this one
 * command goes there, after ASKING: the slot is being migrated), or `TRYAGAIN` (a multi-key
 * command met a slot half migrated: the same command later).
 */
export type ClusterRedirect =
  | { readonly kind: 'moved' | 'ask'; readonly slot: number; readonly address: string }
  | { readonly kind: 'tryagain' };

const REDIRECT = /^(MOVED|ASK) (\d+) (\S+)$/;

/** The redirection a server error's text spells, or `undefined` for any other error. */
export function clusterRedirect(message: string): ClusterRedirect | undefined {
  if (message.startsWith('TRYAGAIN')) return { kind: 'tryagain' };
  const match = REDIRECT.exec(message);
  if (!match) return undefined;
  return { kind: match[1] === 'MOVED' ? 'moved' : 'ask', slot: Number(match[2]), address: match[3]! };
}
