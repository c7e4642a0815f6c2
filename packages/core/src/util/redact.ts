/**
 * Removes the password (and username) from a connection URL, so that no error message or log
 * line ever contains a credential. Strings that are not URLs are returned with any
 * `scheme://user:pass@` segment masked all the same.
 */
export function redactUrl(url: string): string {
  // Up to the LAST '@' of the authority, as URL parsers read it: a password may hold a raw '@'.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i, (_match, scheme: string) => `${scheme}***@`);
}

/** Masks every `scheme://user:pass@` segment found anywhere inside a longer text. */
export function redactText(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/gi, '$1***@');
}
