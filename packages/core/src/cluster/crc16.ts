// CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, no reflection. The checksum Redis
// Cluster hashes keys with (its `crc16.c`); one table, built once on first use.
let table: Uint16Array | undefined;

function crcTable(): Uint16Array {
  if (table) return table;
  table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[byte] = crc;
  }
  return table;
}

/** Folds one byte into a running CRC16-XMODEM. */
export function crc16Step(crc: number, byte: number): number {
  return ((crc << 8) & 0xffff) ^ crcTable()[((crc >> 8) ^ byte) & 0xff]!;
}

/** CRC16-XMODEM of `bytes[start..end)`. */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = crc16Step(crc, bytes[i]!);
  return crc;
}
