const utf8 = new TextDecoder('utf-8');

/**
 * Undoes `Upstash-Encoding: base64` on a decoded response value, as @upstash/redis does: every
 * string is base64 of the reply's bytes, except the status `OK`, which the service sends as it is
 * (a real base64 string is never `OK`: its length is a multiple of 4). Bytes that are not UTF-8
 * become U+FFFD, and a string that is not base64 is kept as it is (both as the official client).
 */
export function decodeBase64Strings(value: unknown): unknown {
  if (typeof value === 'string') return value === 'OK' ? value : base64Text(value);
  if (Array.isArray(value)) return value.map(decodeBase64Strings);
  return value;
}

function base64Text(encoded: string): string {
  let binary: string;
  try {
    binary = atob(encoded);
  } catch {
    return encoded;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return utf8.decode(bytes);
}
