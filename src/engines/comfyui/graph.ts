/**
 * Pure graph building for ComfyUI: the bot's job → an API-format graph (txt2img, img2img, upscale; SD 1.x /
 * SDXL checkpoints or the Flux split loaders), its LoRAs spliced in by `lora-splice.ts`; `graph-check.ts`
 * checks any graph against the server's `/object_info` before it is queued. Node ids follow ComfyUI's default workflow
 * (3 KSampler, 4 loader, 5 latent, 6/7 prompts, 8 decode, 9 save) so server logs read familiarly.
 */
import { type ApiGraph, type ApiNode, ComfyGraphError, type Link } from './api-graph.js';
import { type ComfyLora, spliceLoras } from './lora-splice.js';

export { type ApiGraph, type ApiNode, ComfyGraphError, type ComfyGraphErrorCode } from './api-graph.js';
export {
  fillOperatorGraph,
  type ParsedOperatorGraph,
  PLACEHOLDERS,
  type Placeholder,
  parseOperatorGraph,
} from './templates.js';

export interface ComfyGraphInput {
  kind: 'txt2img' | 'img2img' | 'upscale';
  prompt: string;
  negativePrompt: string;
  seed: number;
  steps: number;
  cfg: number;
  width: number;
  height: number;
  batch: number;
  /** Already ComfyUI names (e.g. 'dpmpp_2m', 'karras'). */
  sampler: string;
  scheduler: string;
  /** CheckpointLoaderSimple ckpt_name (SD 1.x / SDXL). */
  checkpoint?: string;
  flux?: {
    unet: string;
    clip1: string;
    clip2: string;
    vae: string;
    guidance: number;
    weightDtype?: string;
    clipType?: string;
  };
  /** img2img */
  denoise?: number;
  /** A name returned by /upload/image (img2img, upscale). */
  image?: string;
  upscaleModel?: string;
  upscaleFactor?: number;
  loras: ComfyLora[];
  /** SaveImage filename_prefix (the bot's job id). */
  filenamePrefix: string;
}

/** Classes that report sampling progress (one stage each). */
const SAMPLER_CLASSES: ReadonlySet<string> = new Set([
  'KSampler',
  'KSamplerAdvanced',
  'SamplerCustom',
  'SamplerCustomAdvanced',
]);
/** Classes that report progress: samplers, and tiled model upscaling. */
const PROGRESS_CLASSES: ReadonlySet<string> = new Set([...SAMPLER_CLASSES, 'ImageUpscaleWithModel']);

const node = (classType: string, title: string, inputs: Record<string, unknown>): ApiNode => ({
  class_type: classType,
  inputs,
  _meta: { title },
});

/** The scale an upscale model's file name announces (`4x-UltraSharp.pth`, `RealESRGAN_x2plus.pth`), or null. */
export function upscaleModelScale(name: string): number | null {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const match = /(?:^|[^a-z0-9])(\d+)x|(?:^|[^a-z0-9])x(\d+)/i.exec(base);
  const digits = match?.[1] ?? match?.[2];
  return digits === undefined ? null : Number(digits);
}

interface Loaders {
  graph: ApiGraph;
  model: Link;
  clip: Link;
  vae: Link;
}

function loaders(input: ComfyGraphInput): Loaders {
  if (input.flux !== undefined) {
    const { flux } = input;
    return {
      graph: {
        '4': node('UNETLoader', 'Load Diffusion Model', {
          unet_name: flux.unet,
          weight_dtype: flux.weightDtype ?? 'default',
        }),
        '13': node('DualCLIPLoader', 'DualCLIPLoader', {
          clip_name1: flux.clip1,
          clip_name2: flux.clip2,
          type: flux.clipType ?? 'flux',
        }),
        '14': node('VAELoader', 'Load VAE', { vae_name: flux.vae }),
      },
      model: ['4', 0],
      clip: ['13', 0],
      vae: ['14', 0],
    };
  }
  if (input.checkpoint === undefined || input.checkpoint === '') {
    throw new ComfyGraphError('missing-input', 'a ComfyUI graph needs a checkpoint or the Flux model files');
  }
  return {
    graph: { '4': node('CheckpointLoaderSimple', 'Load Checkpoint', { ckpt_name: input.checkpoint }) },
    model: ['4', 0],
    clip: ['4', 1],
    vae: ['4', 2],
  };
}

function samplingGraph(input: ComfyGraphInput): ApiGraph {
  const base = loaders(input);
  const graph: ApiGraph = { ...base.graph };
  const flux = input.flux !== undefined;
  graph['6'] = node('CLIPTextEncode', 'Positive prompt', { text: input.prompt, clip: base.clip });
  let positive: Link = ['6', 0];
  let negative: Link;
  if (input.flux !== undefined) {
    // Flux has no negative prompt: guidance rides on the positive conditioning, the negative is zeroed.
    graph['15'] = node('FluxGuidance', 'FluxGuidance', {
      conditioning: ['6', 0],
      guidance: input.flux.guidance,
    });
    graph['16'] = node('ConditioningZeroOut', 'Negative (zeroed)', { conditioning: ['6', 0] });
    positive = ['15', 0];
    negative = ['16', 0];
  } else {
    graph['7'] = node('CLIPTextEncode', 'Negative prompt', { text: input.negativePrompt, clip: base.clip });
    negative = ['7', 0];
  }
  let latent: Link;
  if (input.kind === 'img2img') {
    if (input.image === undefined || input.image === '') {
      throw new ComfyGraphError('missing-input', 'an img2img graph needs an uploaded image');
    }
    graph['10'] = node('LoadImage', 'Input image', { image: input.image });
    graph['11'] = node('VAEEncode', 'VAE Encode', { pixels: ['10', 0], vae: base.vae });
    latent = ['11', 0];
    if (input.batch > 1) {
      graph['12'] = node('RepeatLatentBatch', 'Repeat Latent Batch', {
        samples: ['11', 0],
        amount: input.batch,
      });
      latent = ['12', 0];
    }
  } else {
    graph['5'] = node(flux ? 'EmptySD3LatentImage' : 'EmptyLatentImage', 'Empty Latent Image', {
      width: input.width,
      height: input.height,
      batch_size: input.batch,
    });
    latent = ['5', 0];
  }
  graph['3'] = node('KSampler', 'KSampler', {
    seed: input.seed,
    steps: input.steps,
    cfg: flux ? 1 : input.cfg,
    sampler_name: input.sampler,
    scheduler: input.scheduler,
    denoise: input.kind === 'img2img' ? (input.denoise ?? 0.75) : 1,
    model: base.model,
    positive,
    negative,
    latent_image: latent,
  });
  graph['8'] = node('VAEDecode', 'VAE Decode', { samples: ['3', 0], vae: base.vae });
  graph['9'] = node('SaveImage', 'Save Image', { filename_prefix: input.filenamePrefix, images: ['8', 0] });
  return graph;
}

const round = (value: number): number => Math.round(value * 10_000) / 10_000;

function upscaleGraph(input: ComfyGraphInput): ApiGraph {
  if (input.image === undefined || input.image === '') {
    throw new ComfyGraphError('missing-input', 'an upscale graph needs an uploaded image');
  }
  const graph: ApiGraph = { '1': node('LoadImage', 'Input image', { image: input.image }) };
  let image: Link = ['1', 0];
  let reached = 1;
  if (input.upscaleModel !== undefined && input.upscaleModel !== '') {
    graph['2'] = node('UpscaleModelLoader', 'Load Upscale Model', { model_name: input.upscaleModel });
    graph['3'] = node('ImageUpscaleWithModel', 'Upscale Image (using Model)', {
      upscale_model: ['2', 0],
      image,
    });
    image = ['3', 0];
    const scale = upscaleModelScale(input.upscaleModel);
    const factor = input.upscaleFactor ?? scale;
    if (scale === null && factor !== null) {
      // The model's own factor is unknown: scale to the exact size the job asked for.
      graph['4'] = node('ImageScale', 'Resize to target', {
        image,
        upscale_method: 'lanczos',
        width: Math.round(input.width * factor),
        height: Math.round(input.height * factor),
        crop: 'disabled',
      });
      image = ['4', 0];
    }
    reached = scale ?? factor ?? 1;
  }
  const wanted = input.upscaleFactor ?? reached;
  if (graph['4'] === undefined && Math.abs(wanted - reached) > 1e-6) {
    graph['4'] = node('ImageScaleBy', 'Scale to requested factor', {
      image,
      upscale_method: 'lanczos',
      scale_by: round(wanted / reached),
    });
    image = ['4', 0];
  }
  graph['9'] = node('SaveImage', 'Save Image', { filename_prefix: input.filenamePrefix, images: image });
  return graph;
}

/** The job as an API-format graph. Throws ComfyGraphError when a needed input (model, image) is absent. */
export function buildGraph(input: ComfyGraphInput): ApiGraph {
  if (input.kind === 'upscale') return upscaleGraph(input);
  return spliceLoras(samplingGraph(input), input.loras);
}

/** Ids of the nodes that report progress (samplers, model upscalers), in graph order: one stage each. */
export function progressNodeIds(graph: ApiGraph): string[] {
  return Object.keys(graph).filter((id) => PROGRESS_CLASSES.has(graph[id]?.class_type ?? ''));
}

/** Ids of the sampler nodes only. */
export function samplerNodeIds(graph: ApiGraph): string[] {
  return Object.keys(graph).filter((id) => SAMPLER_CLASSES.has(graph[id]?.class_type ?? ''));
}
