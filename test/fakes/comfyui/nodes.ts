/**
 * What each fake node computes. Values are small descriptions (sizes, per-image pixel keys), not
 * tensors: enough to give SaveImage the right sizes, batch and seed-dependent pixels, and KSampler its
 * steps. Sampling and tiled upscaling report progress through `context.step`.
 */
import { readPngSize } from '../webui/png.js';

export interface ImageValue {
  kind: 'IMAGE';
  width: number;
  height: number;
  /** One pixel key per batch image; the PNG pattern depends on it. */
  keys: number[];
}

export interface LatentValue {
  kind: 'LATENT';
  width: number;
  height: number;
  keys: number[];
}

export type NodeValue =
  | ImageValue
  | LatentValue
  | { kind: 'MODEL'; name: string; loras: string[] }
  | { kind: 'CLIP'; name: string; loras: string[] }
  | { kind: 'VAE'; name: string }
  | { kind: 'CONDITIONING'; text: string; guidance: number | null }
  | { kind: 'MASK' }
  | { kind: 'UPSCALE_MODEL'; name: string; scale: number };

export interface SavedImage {
  filename: string;
  subfolder: string;
  type: 'output' | 'temp';
}

export interface NodeContext {
  nodeId: string;
  /** Reports one finished step of `max`; rejects when the prompt was interrupted. */
  step: (value: number, max: number, preview: { width: number; height: number } | null) => Promise<void>;
  inputFile: (name: string) => Buffer | undefined;
  imageSize: (bytes: Buffer) => Promise<{ width: number; height: number }>;
  save: (images: ImageValue, prefix: string, type: 'output' | 'temp') => SavedImage[];
}

export interface NodeResult {
  outputs: NodeValue[];
  ui?: { images: SavedImage[] };
}

/** An error a node raises while it runs (ComfyUI's `execution_error`). */
export class NodeExecutionError extends Error {
  readonly exceptionType: string;
  constructor(message: string, exceptionType: string) {
    super(message);
    this.name = 'NodeExecutionError';
    this.exceptionType = exceptionType;
  }
}

type Inputs = Record<string, unknown>;

function pick<K extends NodeValue['kind']>(
  inputs: Inputs,
  name: string,
  kind: K,
): Extract<NodeValue, { kind: K }> {
  const value = inputs[name];
  if (typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === kind) {
    return value as Extract<NodeValue, { kind: K }>;
  }
  throw new NodeExecutionError(`'${name}' is not a ${kind}`, 'AttributeError');
}

const num = (inputs: Inputs, name: string, fallback: number): number => {
  const value = inputs[name];
  return typeof value === 'number' ? value : fallback;
};
const str = (inputs: Inputs, name: string): string => {
  const value = inputs[name];
  return typeof value === 'string' ? value : '';
};

/** 32-bit mix of a (possibly 64-bit) seed with an index and a previous key. */
export function mixKey(seed: number, index: number, previous: number): number {
  let h = ((seed % 2 ** 32) >>> 0) ^ Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(previous, 0x85ebca6b);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}

/** The scale an upscale model file name announces (`4x-UltraSharp`, `RealESRGAN_x2plus`), else 4. */
export function upscaleModelScale(name: string): number {
  const match = /(?:^|[^a-z0-9])(\d+)x|(?:^|[^a-z0-9])x(\d+)/i.exec(name.slice(name.lastIndexOf('/') + 1));
  const digits = match?.[1] ?? match?.[2];
  return digits === undefined ? 4 : Number(digits);
}

function latentFromSize(width: number, height: number, batch: number): LatentValue {
  const w = Math.floor(width / 8) * 8;
  const h = Math.floor(height / 8) * 8;
  return { kind: 'LATENT', width: w, height: h, keys: Array.from({ length: batch }, (_, i) => i) };
}

const TILE = 512;
const OVERLAP = 32;

export async function runNode(classType: string, inputs: Inputs, context: NodeContext): Promise<NodeResult> {
  switch (classType) {
    case 'CheckpointLoaderSimple': {
      const name = str(inputs, 'ckpt_name');
      return {
        outputs: [
          { kind: 'MODEL', name, loras: [] },
          { kind: 'CLIP', name, loras: [] },
          { kind: 'VAE', name },
        ],
      };
    }
    case 'UNETLoader':
      return { outputs: [{ kind: 'MODEL', name: str(inputs, 'unet_name'), loras: [] }] };
    case 'DualCLIPLoader':
      return {
        outputs: [
          { kind: 'CLIP', name: `${str(inputs, 'clip_name1')}+${str(inputs, 'clip_name2')}`, loras: [] },
        ],
      };
    case 'VAELoader':
      return { outputs: [{ kind: 'VAE', name: str(inputs, 'vae_name') }] };
    case 'LoraLoader': {
      const model = pick(inputs, 'model', 'MODEL');
      const clip = pick(inputs, 'clip', 'CLIP');
      const lora = str(inputs, 'lora_name');
      return {
        outputs: [
          { ...model, loras: [...model.loras, lora] },
          { ...clip, loras: [...clip.loras, lora] },
        ],
      };
    }
    case 'CLIPTextEncode':
      pick(inputs, 'clip', 'CLIP');
      return { outputs: [{ kind: 'CONDITIONING', text: str(inputs, 'text'), guidance: null }] };
    case 'FluxGuidance': {
      const conditioning = pick(inputs, 'conditioning', 'CONDITIONING');
      return { outputs: [{ ...conditioning, guidance: num(inputs, 'guidance', 3.5) }] };
    }
    case 'ConditioningZeroOut':
      pick(inputs, 'conditioning', 'CONDITIONING');
      return { outputs: [{ kind: 'CONDITIONING', text: '', guidance: null }] };
    case 'EmptyLatentImage':
    case 'EmptySD3LatentImage':
      return {
        outputs: [
          latentFromSize(num(inputs, 'width', 512), num(inputs, 'height', 512), num(inputs, 'batch_size', 1)),
        ],
      };
    case 'RepeatLatentBatch': {
      const samples = pick(inputs, 'samples', 'LATENT');
      const amount = num(inputs, 'amount', 1);
      const keys = Array.from({ length: amount }, () => samples.keys).flat();
      return { outputs: [{ ...samples, keys }] };
    }
    case 'SetLatentNoiseMask':
      pick(inputs, 'mask', 'MASK');
      return { outputs: [pick(inputs, 'samples', 'LATENT')] };
    case 'KSampler': {
      pick(inputs, 'model', 'MODEL');
      pick(inputs, 'positive', 'CONDITIONING');
      pick(inputs, 'negative', 'CONDITIONING');
      const latent = pick(inputs, 'latent_image', 'LATENT');
      const steps = num(inputs, 'steps', 20);
      const seed = num(inputs, 'seed', 0);
      for (let step = 1; step <= steps; step += 1) {
        await context.step(step, steps, { width: latent.width, height: latent.height });
      }
      // One noise seed for the whole batch; each batch image still differs by its index.
      const keys = latent.keys.map((key, index) => mixKey(seed, index, key));
      return { outputs: [{ ...latent, keys }] };
    }
    case 'VAEDecode': {
      const latent = pick(inputs, 'samples', 'LATENT');
      pick(inputs, 'vae', 'VAE');
      return { outputs: [{ kind: 'IMAGE', width: latent.width, height: latent.height, keys: latent.keys }] };
    }
    case 'VAEEncode': {
      const image = pick(inputs, 'pixels', 'IMAGE');
      pick(inputs, 'vae', 'VAE');
      const latent = latentFromSize(image.width, image.height, image.keys.length);
      return { outputs: [{ ...latent, keys: image.keys }] };
    }
    case 'LoadImage': {
      const name = str(inputs, 'image');
      const bytes = context.inputFile(name);
      if (bytes === undefined) {
        throw new NodeExecutionError(`[Errno 2] No such file or directory: '${name}'`, 'FileNotFoundError');
      }
      const size = await context.imageSize(bytes);
      const key = mixKey(bytes.length, 0, bytes.readUInt32BE(Math.max(0, bytes.length - 8)));
      return {
        outputs: [{ kind: 'IMAGE', width: size.width, height: size.height, keys: [key] }, { kind: 'MASK' }],
      };
    }
    case 'UpscaleModelLoader': {
      const name = str(inputs, 'model_name');
      return { outputs: [{ kind: 'UPSCALE_MODEL', name, scale: upscaleModelScale(name) }] };
    }
    case 'ImageUpscaleWithModel': {
      const model = pick(inputs, 'upscale_model', 'UPSCALE_MODEL');
      const image = pick(inputs, 'image', 'IMAGE');
      const tiles =
        Math.ceil(image.height / (TILE - OVERLAP)) *
        Math.ceil(image.width / (TILE - OVERLAP)) *
        image.keys.length;
      for (let tile = 1; tile <= tiles; tile += 1) {
        await context.step(tile, tiles, null);
      }
      return {
        outputs: [{ ...image, width: image.width * model.scale, height: image.height * model.scale }],
      };
    }
    case 'ImageScaleBy': {
      const image = pick(inputs, 'image', 'IMAGE');
      const scale = num(inputs, 'scale_by', 1);
      return {
        outputs: [
          { ...image, width: Math.round(image.width * scale), height: Math.round(image.height * scale) },
        ],
      };
    }
    case 'ImageScale': {
      const image = pick(inputs, 'image', 'IMAGE');
      let width = num(inputs, 'width', 0);
      let height = num(inputs, 'height', 0);
      if (width === 0 && height === 0) return { outputs: [image] };
      if (width === 0) width = Math.max(1, Math.round((image.width * height) / image.height));
      if (height === 0) height = Math.max(1, Math.round((image.height * width) / image.width));
      return { outputs: [{ ...image, width, height }] };
    }
    case 'SaveImage':
    case 'PreviewImage': {
      const images = pick(inputs, 'images', 'IMAGE');
      const type = classType === 'SaveImage' ? 'output' : 'temp';
      const prefix = classType === 'SaveImage' ? str(inputs, 'filename_prefix') : 'ComfyUI_temp';
      return { outputs: [], ui: { images: context.save(images, prefix, type) } };
    }
    default:
      throw new NodeExecutionError(
        `node class ${classType} has no fake implementation`,
        'NotImplementedError',
      );
  }
}

/** Width and height of an uploaded image: PNG header, else JPEG/WebP via sharp. */
export async function imageSizeOf(bytes: Buffer): Promise<{ width: number; height: number }> {
  const png = readPngSize(bytes);
  if (png !== null) return png;
  const { default: sharp } = await import('sharp');
  try {
    const meta = await sharp(bytes).metadata();
    if (meta.width !== undefined && meta.height !== undefined)
      return { width: meta.width, height: meta.height };
  } catch (error: unknown) {
    throw new NodeExecutionError(
      `cannot identify image file: ${error instanceof Error ? error.message : String(error)}`,
      'PIL.UnidentifiedImageError',
    );
  }
  throw new NodeExecutionError('cannot identify image file', 'PIL.UnidentifiedImageError');
}
