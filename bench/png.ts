// Small, distinct PNG images for the pin-create scenarios, encoded synchronously in a fraction of a
// millisecond (no sharp in the load generator), so a request stream can make a new one per request.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * An RGB picture (a diagonal gradient with a band whose position and colours depend on `variant`);
 * different variants give different bytes, hence different sha256 and no dedupe between them.
 */
export function benchPng(variant: number, width = 96, height = 72): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  const rowBytes = 1 + width * 3;
  const raw = Buffer.alloc(rowBytes * height);
  const hue = (variant * 47) % 256;
  const band = variant % height;
  for (let y = 0; y < height; y += 1) {
    raw[y * rowBytes] = 0; // filter: none
    for (let x = 0; x < width; x += 1) {
      const offset = y * rowBytes + 1 + x * 3;
      const inBand = Math.abs(y - band) < 4;
      raw[offset] = inBand ? 255 - hue : (hue + x * 2) & 0xff;
      raw[offset + 1] = inBand ? hue : (y * 3 + (variant >>> 8)) & 0xff;
      raw[offset + 2] = (x + y + (variant >>> 16)) & 0xff;
    }
  }
  // The variant's bytes in the first pixels make every variant distinct even when the pattern repeats.
  for (let i = 0; i < 4; i += 1) raw[1 + i] = (variant >>> (8 * i)) & 0xff;
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
