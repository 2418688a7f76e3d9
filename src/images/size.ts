import { loadSharp } from './sharp.js';

/**
 * The pixel size an image's own header declares (PNG, JPEG, WebP), without decoding it: the real
 * size of what a server sent, which can differ from what it says it made (stable-diffusion.cpp
 * rounds up to multiples of 64 while its `info` repeats the size asked for).
 */
export function readImageSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (
    view.length >= 24 &&
    view.readUInt32BE(0) === 0x89504e47 &&
    view.toString('latin1', 12, 16) === 'IHDR'
  ) {
    return { width: view.readUInt32BE(16), height: view.readUInt32BE(20) };
  }
  if (view.length >= 4 && view[0] === 0xff && view[1] === 0xd8) return jpegSize(view);
  if (
    view.length >= 30 &&
    view.toString('latin1', 0, 4) === 'RIFF' &&
    view.toString('latin1', 8, 12) === 'WEBP'
  ) {
    const chunk = view.toString('latin1', 12, 16);
    if (chunk === 'VP8 ')
      return { width: view.readUInt16LE(26) & 0x3fff, height: view.readUInt16LE(28) & 0x3fff };
    if (chunk === 'VP8L') {
      const bits = view.readUInt32LE(21);
      return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
    }
    if (chunk === 'VP8X') return { width: view.readUIntLE(24, 3) + 1, height: view.readUIntLE(27, 3) + 1 };
  }
  return undefined;
}

/** Walks JPEG segments to the first start-of-frame marker. */
function jpegSize(view: Buffer): { width: number; height: number } | undefined {
  let offset = 2;
  while (offset + 9 < view.length) {
    if (view[offset] !== 0xff) return undefined;
    const marker = view[offset + 1] ?? 0;
    const length = view.readUInt16BE(offset + 2);
    const startOfFrame =
      marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (startOfFrame) return { width: view.readUInt16BE(offset + 7), height: view.readUInt16BE(offset + 5) };
    offset += 2 + length;
  }
  return undefined;
}

/** The header's size, else what the image library reads (loaded only then); 0 × 0 when neither knows. */
export async function imageSize(bytes: Uint8Array): Promise<{ width: number; height: number }> {
  const header = readImageSize(bytes);
  if (header !== undefined) return header;
  const sharp = await loadSharp();
  const meta = await sharp(bytes).metadata();
  return { width: meta.width ?? 0, height: meta.height ?? 0 };
}
