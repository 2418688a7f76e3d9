/**
 * An input image for ComfyUI: uploaded once under a name drawn from its bytes (so a repeat upload
 * overwrites the same file), with the extension its bytes say.
 */
import { createHash } from 'node:crypto';
import type { ComfyClient } from './client.js';

function imageExtension(bytes: Buffer): string {
  if (bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpg';
  if (bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return 'png';
}

/** Uploads a base64 image; gives its bytes and the name the server filed it under. */
export async function uploadImage(
  client: ComfyClient,
  base64: string,
  signal: AbortSignal,
): Promise<{ bytes: Buffer; name: string }> {
  const bytes = Buffer.from(base64, 'base64');
  const name = `sdbot-${createHash('sha256').update(bytes).digest('hex').slice(0, 20)}.${imageExtension(bytes)}`;
  return { bytes, name: await client.uploadImage(bytes, name, { signal, timeoutMs: 60_000 }) };
}
