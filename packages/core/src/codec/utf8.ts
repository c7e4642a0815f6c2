const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/** UTF-8 bytes of a string. */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The string that UTF-8 bytes spell. */
export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
