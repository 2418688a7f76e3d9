/**
 * Pure graph building for ComfyUI: the bot's job → an API-format graph (txt2img, img2img, upscale; SD 1.x /
 * SDXL checkpoints or the Flux split loaders), LoRA splicing for operator graphs, and a check of any graph
 * against the server's `/object_info` before it is queued. Node ids follow ComfyUI's default workflow
 * (3 KSampler, 4 loader, 5 latent, 6/7 prompts, 8 decode, 9 save) so server logs read familiarly.
 */
import { type ApiGraph, type ApiNode, ComfyGraphError, isLink, type Link, nextNodeId } from './api-graph.js';
import { describeInput, type ObjectInfo } from './object-info.js';

export { type ApiGraph, type ApiNode, ComfyGraphError, type ComfyGraphErrorCode } from './api-graph.js';
export {
  fillOperatorGraph,
  type ParsedOperatorGraph,
  PLACEHOLDERS,
  type Placeholder,
  parseOperatorGraph,
} from './templates.js';

export interface ComfyLora {
  name: string;
  weight: number;
}

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

const MODEL_LOADERS = ['CheckpointLoaderSimple', 'CheckpointLoader', 'UNETLoader'];
const CLIP_LOADERS = ['DualCLIPLoader', 'CLIPLoader', 'TripleCLIPLoader'];

function firstOf(graph: ApiGraph, classes: string[]): string | undefined {
  for (const classType of classes) {
    const id = Object.keys(graph).find((key) => graph[key]?.class_type === classType);
    if (id !== undefined) return id;
  }
  return undefined;
}

const sameLink = (value: unknown, link: Link): boolean =>
  isLink(value) && String(value[0]) === link[0] && value[1] === link[1];

/**
 * Inserts a LoraLoader chain after the graph's model loader (CheckpointLoaderSimple, or UNETLoader with a
 * CLIP loader) and rewires every consumer of its MODEL and CLIP outputs to the last LoRA. Returns a copy.
 */
export function spliceLoras(graph: ApiGraph, loras: readonly ComfyLora[]): ApiGraph {
  const out: ApiGraph = structuredClone(graph);
  if (loras.length === 0) return out;
  const checkpoint = firstOf(out, ['CheckpointLoaderSimple', 'CheckpointLoader']);
  const unet = checkpoint === undefined ? firstOf(out, MODEL_LOADERS) : undefined;
  const clipLoader = checkpoint === undefined ? firstOf(out, CLIP_LOADERS) : undefined;
  let model: Link;
  let clip: Link;
  if (checkpoint !== undefined) {
    model = [checkpoint, 0];
    clip = [checkpoint, 1];
  } else if (unet !== undefined && clipLoader !== undefined) {
    model = [unet, 0];
    clip = [clipLoader, 0];
  } else {
    throw new ComfyGraphError(
      'no-model-loader',
      'the graph has no CheckpointLoaderSimple (or UNETLoader and CLIP loader) to attach LoRAs to',
    );
  }
  const sourceModel = model;
  const sourceClip = clip;
  let id = nextNodeId(out);
  const added = new Set<string>();
  for (const lora of loras) {
    const key = String(id);
    out[key] = node('LoraLoader', `LoRA ${lora.name}`, {
      lora_name: lora.name,
      strength_model: lora.weight,
      strength_clip: lora.weight,
      model,
      clip,
    });
    added.add(key);
    model = [key, 0];
    clip = [key, 1];
    id += 1;
  }
  for (const [nodeId, entry] of Object.entries(out)) {
    if (added.has(nodeId)) continue;
    for (const [name, value] of Object.entries(entry.inputs)) {
      if (sameLink(value, sourceModel)) entry.inputs[name] = [...model];
      else if (sameLink(value, sourceClip)) entry.inputs[name] = [...clip];
    }
  }
  return out;
}

/** Ids of the nodes that report progress (samplers, model upscalers), in graph order: one stage each. */
export function progressNodeIds(graph: ApiGraph): string[] {
  return Object.keys(graph).filter((id) => PROGRESS_CLASSES.has(graph[id]?.class_type ?? ''));
}

/** Ids of the sampler nodes only. */
export function samplerNodeIds(graph: ApiGraph): string[] {
  return Object.keys(graph).filter((id) => SAMPLER_CLASSES.has(graph[id]?.class_type ?? ''));
}

function label(id: string, entry: ApiNode): string {
  const title = entry._meta?.title;
  return title !== undefined && title !== entry.class_type
    ? `node ${id} (${entry.class_type} "${title}")`
    : `node ${id} (${entry.class_type})`;
}

function typesMatch(received: string, expected: string): boolean {
  if (received === '*' || expected === '*') return true;
  const left = received.split(',');
  return expected.split(',').some((type) => left.includes(type));
}

/**
 * Checks a graph against the server's `/object_info`: every class known, required inputs present, links to
 * existing outputs of the right type, listed values in their list (uploaded images excepted), numbers within
 * bounds, and at least one output node. Each problem names the node id, its class and the input.
 */
export function checkGraph(
  graph: ApiGraph,
  objectInfo: ObjectInfo,
): { ok: true } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  let outputs = 0;
  for (const [id, entry] of Object.entries(graph)) {
    const info = objectInfo[entry.class_type];
    const where = label(id, entry);
    if (info === undefined) {
      problems.push(`${where}: the server has no node class "${entry.class_type}"`);
      continue;
    }
    if (info.output_node === true) outputs += 1;
    const specs = [
      ...Object.entries(info.input.required ?? {}).map(([name, spec]) => ({ name, spec, required: true })),
      ...Object.entries(info.input.optional ?? {}).map(([name, spec]) => ({ name, spec, required: false })),
    ];
    for (const { name, spec, required } of specs) {
      if (!(name in entry.inputs)) {
        if (required) problems.push(`${where}: required input "${name}" is missing`);
        continue;
      }
      const value = entry.inputs[name];
      const kind = describeInput(spec);
      if (isLink(value)) {
        const source = graph[String(value[0])];
        if (source === undefined) {
          problems.push(`${where}: input "${name}" links to node ${value[0]}, which is not in the graph`);
          continue;
        }
        const sourceInfo = objectInfo[source.class_type];
        if (sourceInfo === undefined) continue;
        const received = sourceInfo.output[value[1]];
        if (received === undefined) {
          problems.push(
            `${where}: input "${name}" links to output ${value[1]} of node ${value[0]} (${source.class_type}), which has no such output`,
          );
          continue;
        }
        const expected = kind.kind === 'link' ? kind.type : kind.kind === 'combo' ? 'COMBO' : String(spec[0]);
        if (!typesMatch(received, expected)) {
          problems.push(
            `${where}: input "${name}" expects ${expected} but node ${value[0]} (${source.class_type}) output ${value[1]} is ${received}`,
          );
        }
        continue;
      }
      switch (kind.kind) {
        case 'combo':
          if (!kind.upload && !(typeof value === 'string' && kind.choices.includes(value))) {
            problems.push(`${where}: ${name} ${JSON.stringify(value)} is not one of the server's values`);
          }
          break;
        case 'number': {
          const number =
            typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
          if (!Number.isFinite(number)) {
            problems.push(`${where}: ${name} ${JSON.stringify(value)} is not a number`);
          } else if (kind.min !== null && number < kind.min) {
            problems.push(`${where}: ${name} ${number} is below the minimum of ${kind.min}`);
          } else if (kind.max !== null && number > kind.max) {
            problems.push(`${where}: ${name} ${number} is above the maximum of ${kind.max}`);
          }
          break;
        }
        case 'link':
          problems.push(`${where}: input "${name}" must be a link to a ${kind.type} output, not a value`);
          break;
        default:
          break;
      }
    }
  }
  if (outputs === 0) problems.push('the graph has no output node (such as SaveImage)');
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}
