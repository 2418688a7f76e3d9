/**
 * Binary WebSocket frames of ComfyUI previews: `uint32 BE event` then the payload. Event 1
 * (PREVIEW_IMAGE) carries `uint32 BE format` (1 = JPEG, 2 = PNG) and the image; event 4
 * (PREVIEW_IMAGE_WITH_METADATA) carries `uint32 BE length`, a JSON header and the image.
 */
import sharp from 'sharp';

export const MAX_PREVIEW_SIDE = 512;

const cache = new Map<string, Buffer>();

/**
 * A JPEG preview of a latent being sampled, colour by step. ComfyUI fits the latent2rgb image into
 * 512 × 512 (`ImageOps.contain`, which also enlarges), so the longest side is 512 px.
 */
export async function previewJpeg(width: number, height: number, step: number): Promise<Buffer> {
  const scale = MAX_PREVIEW_SIDE / Math.max(width, height);
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const key = `${w}x${h}:${step}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const jpeg = await sharp({
    create: {
      width: w,
      height: h,
      channels: 3,
      background: { r: (step * 37) & 0xff, g: 96, b: (step * 11) & 0xff },
    },
  })
    .jpeg({ quality: 60 })
    .toBuffer();
  if (cache.size > 256) cache.clear();
  cache.set(key, jpeg);
  return jpeg;
}

export function previewFrame(jpeg: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  return Buffer.concat([header, jpeg]);
}

export interface PreviewMetadata {
  node_id: string;
  prompt_id: string;
  display_node_id: string;
  parent_node_id: string | null;
  real_node_id: string;
  image_type: string;
}

export function previewFrameWithMetadata(jpeg: Buffer, metadata: PreviewMetadata): Buffer {
  const json = Buffer.from(JSON.stringify(metadata), 'utf8');
  const header = Buffer.alloc(8);
  header.writeUInt32BE(4, 0);
  header.writeUInt32BE(json.length, 4);
  return Buffer.concat([header, json, jpeg]);
}
