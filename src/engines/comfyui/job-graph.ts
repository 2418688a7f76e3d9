/**
 * Pure: a neutral request (`GenerateRequest`, `UpscaleRequest`) → the graph queued on ComfyUI, with the
 * seed of each image it saves (the name matching in `model-match.ts`, the batch chains in `batch-chains.ts`).
 *
 * - Names: the member's sampler and scheduler (`DPM++ 2M`, `Euler a`, `Karras`) become the server's
 *   (`dpmpp_2m`, `euler_ancestral`, `karras`) through `names.ts`; the checkpoint is matched to a file
 *   the server lists (a catalog title such as `model.safetensors [hash]` included).
 * - Batches: one sampling chain per image, seeds `seed, seed+1, …`, so that each image is reproduced by
 *   its own seed alone (a batched KSampler shares one seed and its images cannot be re-made one by one).
 * - Vary (`subseedStrength` set): ComfyUI has no subseed. The chosen image is made again from its seed
 *   (ComfyUI's cache skips the work when the parent ran on this server), then each variation is an
 *   img2img pass over it with a new seed at denoise = the strength.
 * - Operator graphs: placeholders filled, LoRAs spliced; the batch is whatever the graph does with `{{batch}}`,
 *   and Vary is a new seed (the graph has no second pass to vary the image with).
 */
import { randomInt } from 'node:crypto';
import { extractLoraTags, toLoraWire } from '../../generation/loras.js';
import { type ServerNames, toServerNames } from '../server-names.js';
import type { GenerateRequest, UpscaleRequest } from '../types.js';
import type { ApiGraph } from './api-graph.js';
import { perImageChains, variationChains } from './batch-chains.js';
import { buildGraph, type ComfyGraphInput, fillOperatorGraph } from './graph.js';
import { type ComfyLora, spliceLoras } from './lora-splice.js';
import { matchCheckpoint } from './model-match.js';

export interface ComfyLists {
  checkpoints: readonly string[];
  samplers: readonly string[];
  schedulers: readonly string[];
  loras: readonly string[];
  upscaleModels: readonly string[];
}

export interface ComfyFluxFiles {
  unet: string;
  clip1: string;
  clip2: string;
  vae: string;
  guidance: number;
}

/** What the bot keeps in the prompt's `extra_data` to read the result back (also after a restart). */
export interface ComfyJobRecord {
  /** One per image, in the order of `outputs`. */
  seeds: number[];
  /** The SaveImage node ids whose images are the result, in order (empty: every output node). */
  outputs: string[];
  model: string | null;
  sampler: string | null;
}

export interface ComfyJob {
  graph: ApiGraph;
  record: ComfyJobRecord;
  /** Sentences for names the server lacked (logged once per server and name). */
  fallbacks: string[];
}

export interface ComfyJobContext {
  lists: ComfyLists;
  /** The checkpoint of the bot's last job on this server (used when the request names none). */
  lastCheckpoint: string | null;
  flux?: ComfyFluxFiles | undefined;
  /** The operator's graph for this kind (already checked against `/object_info`). */
  template?: unknown;
  /** The name `/upload/image` answered for the input image (img2img). */
  image?: string | undefined;
  /** SaveImage `filename_prefix`. */
  prefix: string;
  loraLoader: boolean;
}

const MAX_SEED = 4_294_967_294;
const drawSeed = () => randomInt(0, MAX_SEED);

function resolveNames(
  request: Pick<GenerateRequest, 'sampler' | 'scheduler'>,
  lists: ComfyLists,
): { sampler: string; scheduler: string; fallbacks: string[] } {
  const names: ServerNames = { samplers: lists.samplers, schedulers: lists.schedulers };
  const wire = toServerNames(request, names, 'separate');
  const fallback = lists.schedulers.includes('normal') ? 'normal' : (lists.schedulers[0] ?? 'normal');
  return { sampler: wire.sampler, scheduler: wire.scheduler ?? fallback, fallbacks: wire.fallbacks };
}

/** The request's LoRAs (`request.loras`, by listed name) and any `<lora:…>` tags left in its prompt. */
function resolveLoras(
  prompt: string,
  requested: GenerateRequest['loras'],
  context: ComfyJobContext,
): { prompt: string; loras: ComfyLora[] } {
  const extracted = extractLoraTags(prompt);
  const all = [...(requested ?? []), ...extracted.loras];
  if (all.length === 0) return { prompt, loras: [] };
  if (!context.loraLoader) return { prompt: extracted.prompt, loras: [] };
  const wire = toLoraWire(
    'comfyui',
    all,
    context.lists.loras.map((name) => ({ name })),
  );
  return { prompt: extracted.prompt, loras: wire.comfy ?? [] };
}

/** What every graph of a generation is made from, once names, LoRAs, model and seeds are resolved. */
interface ResolvedJob {
  names: { sampler: string; scheduler: string; fallbacks: string[] };
  prompt: string;
  loras: ComfyLora[];
  checkpoint: string | undefined;
  seed: number;
  count: number;
  model: string | null;
  denoise: number;
  /** Vary: `subseedStrength` is set. */
  varying: boolean;
  subseed: number;
}

function resolveJob(request: GenerateRequest, context: ComfyJobContext): ResolvedJob {
  const names = resolveNames(request, context.lists);
  const { prompt, loras } = resolveLoras(request.prompt, request.loras, context);
  const checkpoint =
    matchCheckpoint(request.model, context.lists.checkpoints) ??
    context.lastCheckpoint ??
    context.lists.checkpoints[0];
  const seed = request.seed < 0 ? drawSeed() : request.seed;
  const count = Math.max(1, request.count);
  const model = context.flux !== undefined ? context.flux.unet : (checkpoint ?? null);
  const denoise = request.kind === 'img2img' ? (request.denoisingStrength ?? 0.75) : 1;

  const varying = request.subseedStrength !== undefined && request.subseedStrength > 0;
  const subseed = request.subseed === undefined || request.subseed < 0 ? drawSeed() : request.subseed;
  return { names, prompt, loras, checkpoint, seed, count, model, denoise, varying, subseed };
}

/** The operator's graph, filled and with the LoRAs spliced in. */
function toOperatorJob(
  request: GenerateRequest,
  context: ComfyJobContext,
  template: unknown,
  job: ResolvedJob,
): ComfyJob {
  const { names, count } = job;
  // An operator graph has no second pass to vary with: Vary is a new seed there.
  const graphSeed = job.varying ? job.subseed : job.seed;
  const filled = fillOperatorGraph(template, {
    prompt: job.prompt,
    negative_prompt: request.negativePrompt,
    seed: graphSeed,
    steps: request.steps,
    cfg: request.cfgScale,
    width: request.width,
    height: request.height,
    sampler: names.sampler,
    scheduler: names.scheduler,
    checkpoint: job.checkpoint ?? '',
    batch: count,
    image: context.image ?? '',
    denoise: job.denoise,
  });
  return {
    graph: spliceLoras(filled, job.loras),
    // One seed drives the operator's sampler; every image of its batch carries it.
    record: {
      seeds: Array.from({ length: count }, () => graphSeed),
      outputs: [],
      model: job.model,
      sampler: names.sampler,
    },
    fallbacks: names.fallbacks,
  };
}

/** The built-in graph's input for the first image. */
function toGraphInput(request: GenerateRequest, context: ComfyJobContext, job: ResolvedJob): ComfyGraphInput {
  const { checkpoint } = job;
  return {
    kind: request.kind,
    prompt: job.prompt,
    negativePrompt: request.negativePrompt,
    seed: job.seed,
    steps: request.steps,
    cfg: request.cfgScale,
    width: request.width,
    height: request.height,
    batch: 1,
    sampler: job.names.sampler,
    scheduler: job.names.scheduler,
    ...(context.flux === undefined
      ? checkpoint === undefined
        ? {}
        : { checkpoint }
      : {
          flux: {
            unet: context.flux.unet,
            clip1: context.flux.clip1,
            clip2: context.flux.clip2,
            vae: context.flux.vae,
            guidance: context.flux.guidance,
          },
        }),
    ...(request.kind === 'img2img' ? { denoise: job.denoise } : {}),
    ...(context.image === undefined ? {} : { image: context.image }),
    loras: job.loras,
    filenamePrefix: context.prefix,
  };
}

/** The graph for a generation, and what to read back from its result. */
export function toComfyJob(request: GenerateRequest, context: ComfyJobContext): ComfyJob {
  const job = resolveJob(request, context);
  if (context.template !== undefined) return toOperatorJob(request, context, context.template, job);
  const { names, seed, model } = job;
  const base = buildGraph(toGraphInput(request, context, job));
  if (job.varying) {
    const { graph, outputs } = variationChains(base, job.subseed, request.subseedStrength ?? 0.3, job.count);
    return {
      graph,
      record: { seeds: outputs.map(() => seed), outputs, model, sampler: names.sampler },
      fallbacks: names.fallbacks,
    };
  }
  const { graph, outputs } = perImageChains(base, seed, job.count);
  return {
    graph,
    record: { seeds: outputs.map((_, index) => seed + index), outputs, model, sampler: names.sampler },
    fallbacks: names.fallbacks,
  };
}

/** The graph for an upscale with a model (`LoadImage` → `UpscaleModelLoader` + `ImageUpscaleWithModel`). */
export function toComfyUpscaleJob(
  request: UpscaleRequest,
  context: { image: string; upscaleModel: string; width: number; height: number; prefix: string },
): ComfyJob {
  const graph = buildGraph({
    kind: 'upscale',
    prompt: '',
    negativePrompt: '',
    seed: 0,
    steps: 1,
    cfg: 1,
    width: context.width,
    height: context.height,
    batch: 1,
    sampler: 'euler',
    scheduler: 'normal',
    image: context.image,
    upscaleModel: context.upscaleModel,
    upscaleFactor: request.factor,
    loras: [],
    filenamePrefix: context.prefix,
  });
  return {
    graph,
    record: { seeds: [], outputs: ['9'], model: context.upscaleModel, sampler: null },
    fallbacks: [],
  };
}
