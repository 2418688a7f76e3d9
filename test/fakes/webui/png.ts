/**
 * A tiny deterministic PNG encoder (RGB, 8 bit, filter 0) on node:zlib, so the fake WebUI returns
 * real images quickly without sharp. Pixels depend on the seed.
 */
import { promisify } from 'node:util';
import { crc32, deflate, deflateSync } from 'node:zlib';

const deflateAsync = promisify(deflate);

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface RenderOptions {
  width: number;
  height: number;
  seed: number;
  /**
   * `true`: pseudo-random pixels, incompressible, so a 2048×2048 PNG exceeds 10 MiB. `'grain'`: a
   * gradient under film grain that compresses like a real output (about 1.9 MB at 1024², Sub filter).
   * Default: a cheap pattern.
   */
  noise?: boolean | 'grain';
  /** tEXt chunks, e.g. `{ parameters: infotext }` as A1111 writes them. */
  text?: Record<string, string>;
}

export function renderPng(options: RenderOptions): Buffer {
  const raw = fillPixels(options);
  return encodePng(options.width, options.height, raw, options.text ?? {}, levelOf(options));
}

/**
 * The same PNG, compressed on libuv's thread pool: a fake that serves several clients from one
 * event loop (the bench's) is not held up for the 15–20 ms a 512² image takes to deflate.
 */
export async function renderPngAsync(options: RenderOptions): Promise<Buffer> {
  const raw = fillPixels(options);
  const idat = await deflateAsync(raw, { level: levelOf(options) });
  return assemblePng(options.width, options.height, options.text ?? {}, idat);
}

// Stored (level 0) noise stays large and is fast; patterns compress well at level 1.
const levelOf = (options: RenderOptions) => (options.noise === true ? 0 : 1);

function fillPixels(options: RenderOptions): Buffer {
  const { width, height, seed } = options;
  const stride = width * 3 + 1;
  const raw = Buffer.allocUnsafe(stride * height);
  if (options.noise === 'grain') {
    fillGrain(raw, width, height, seed);
  } else if (options.noise === true) {
    fillNoise(raw, seed);
    for (let y = 0; y < height; y += 1) {
      raw[y * stride] = 0;
    }
  } else {
    fillPattern(raw, width, height, seed);
  }
  return raw;
}

/** `raw` holds `height` rows of one filter byte + `width * 3` RGB bytes. */
export function encodePng(
  width: number,
  height: number,
  raw: Buffer,
  text: Record<string, string>,
  level: number,
): Buffer {
  return assemblePng(width, height, text, deflateSync(raw, { level }));
}

function assemblePng(width: number, height: number, text: Record<string, string>, idat: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type RGB
  const chunks = [SIGNATURE, chunk('IHDR', header)];
  for (const [keyword, value] of Object.entries(text)) {
    chunks.push(
      chunk('tEXt', Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0]), latin1(value)])),
    );
  }
  chunks.push(chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(chunks);
}

/** Width and height of a PNG, or null when `bytes` is not a PNG. */
export function readPngSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(SIGNATURE)) {
    return null;
  }
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function latin1(text: string): Buffer {
  return Buffer.from(text.replace(/[^\x20-\xff\n]/g, '?'), 'latin1');
}

function fillPattern(raw: Buffer, width: number, height: number, seed: number): void {
  const stride = width * 3 + 1;
  const r0 = seed & 0xff;
  const g0 = (seed >>> 8) & 0xff;
  const b0 = (seed >>> 16) & 0xff;
  for (let y = 0; y < height; y += 1) {
    const row = y * stride;
    raw[row] = 0;
    const g = (g0 + y) & 0xff;
    for (let x = 0; x < width; x += 1) {
      const at = row + 1 + x * 3;
      raw[at] = (r0 + x) & 0xff;
      raw[at + 1] = g;
      raw[at + 2] = (b0 + (x ^ y)) & 0xff;
    }
  }
}

/** Grain amplitude: pixel values spread over 16 levels around the gradient. */
const GRAIN_LEVELS = 16;

/** A gradient plus xorshift32 grain, stored with PNG's Sub filter (as encoders do for photos). */
function fillGrain(raw: Buffer, width: number, height: number, seed: number): void {
  const stride = width * 3 + 1;
  const pixels = new Uint8Array(width * 3);
  let state = (seed ^ 0x9e3779b9) >>> 0 || 1;
  for (let y = 0; y < height; y += 1) {
    const row = y * stride;
    raw[row] = 1;
    for (let x = 0; x < width; x += 1) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      const bits = state >>> 0;
      const at = x * 3;
      pixels[at] = ((x + seed) * 200) / width + ((bits & 0xff) % GRAIN_LEVELS);
      pixels[at + 1] = (y * 200) / height + (((bits >>> 8) & 0xff) % GRAIN_LEVELS);
      pixels[at + 2] = (((x + y) >> 2) & 0x7f) + 40 + (((bits >>> 16) & 0xff) % GRAIN_LEVELS);
    }
    for (let i = 0; i < pixels.length; i += 1) {
      raw[row + 1 + i] = ((pixels[i] ?? 0) - (i >= 3 ? (pixels[i - 3] ?? 0) : 0)) & 0xff;
    }
  }
}

/** xorshift32 stream seeded from `seed`; fills whole 32-bit words then the tail. */
function fillNoise(raw: Buffer, seed: number): void {
  let state = (seed ^ 0x9e3779b9) >>> 0 || 1;
  const words = Math.floor(raw.length / 4);
  for (let i = 0; i < words; i += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    raw.writeUInt32LE(state >>> 0, i * 4);
  }
  for (let i = words * 4; i < raw.length; i += 1) {
    raw[i] = (state >>> (8 * (i % 4))) & 0xff;
  }
}
