/**
 * Pure: a neutral request (`GenerateRequest`, `UpscaleRequest`) → the graph queued on ComfyUI, with the
 * seed of each image it saves, and a run's state → the neutral progress.
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
import type { EngineProgress, GenerateRequest, UpscaleRequest } from '../types.js';
import { type ApiGraph, type ApiNode, nextNodeId } from './api-graph.js';
import type { ComfyRunState } from './events.js';
import { buildGraph, type ComfyGraphInput, fillOperatorGraph, upscaleModelScale } from './graph.js';
import { type ComfyLora, spliceLoras } from './lora-splice.js';

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

const stem = (name: string): string =>
  (name.split(/[\\/]/).pop() ?? name).replace(/\.(safetensors|ckpt|pt|pth|bin|gguf|sft)$/i, '').toLowerCase();

/** The checkpoint file a catalog title means: exact, without a ` [hash]` suffix, or by file stem. */
export function matchCheckpoint(
  wanted: string | undefined,
  checkpoints: readonly string[],
): string | undefined {
  if (wanted === undefined || wanted.trim() === '') return undefined;
  const bare = wanted.replace(/\s*\[[0-9a-f]{8,64}\]\s*$/i, '').trim();
  return (
    checkpoints.find((name) => name === wanted || name === bare) ??
    checkpoints.find((name) => name.toLowerCase() === bare.toLowerCase()) ??
    checkpoints.find((name) => stem(name) === stem(bare))
  );
}

const norm = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '');

/**
 * The upscale model for an upscaler name (the A1111 default `R-ESRGAN 4x+` included): exact, by stem, by a
 * shared name, by the scale the name announces, by the factor asked for, else the first.
 */
export function matchUpscaleModel(
  wanted: string,
  models: readonly string[],
  factor: number,
): string | undefined {
  const wantedNorm = norm(wanted);
  return (
    models.find((name) => name === wanted) ??
    models.find((name) => stem(name) === stem(wanted)) ??
    models.find((name) => norm(stem(name)).includes(wantedNorm) || wantedNorm.includes(norm(stem(name)))) ??
    models.find((name) => {
      const named = upscaleModelScale(wanted);
      return named !== null && upscaleModelScale(name) === named;
    }) ??
    models.find((name) => upscaleModelScale(name) === Math.round(factor)) ??
    models[0]
  );
}

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

const clone = (entry: ApiNode): ApiNode => structuredClone(entry);

/** Adds, for images 2..count, a sampler → decode → save chain of its own (seed + i) next to the first. */
function perImageChains(
  graph: ApiGraph,
  seed: number,
  count: number,
): { graph: ApiGraph; outputs: string[] } {
  const sampler = graph['3'];
  const decode = graph['8'];
  const save = graph['9'];
  if (sampler === undefined || decode === undefined || save === undefined || count <= 1) {
    return { graph, outputs: ['9'] };
  }
  const out = structuredClone(graph);
  const outputs = ['9'];
  let id = nextNodeId(out);
  for (let index = 1; index < count; index += 1) {
    const [s, d, v] = [String(id), String(id + 1), String(id + 2)];
    id += 3;
    const nextSampler = clone(sampler);
    nextSampler.inputs.seed = seed + index;
    nextSampler._meta = { title: `KSampler (image ${index + 1})` };
    const nextDecode = clone(decode);
    nextDecode.inputs.samples = [s, 0];
    const nextSave = clone(save);
    nextSave.inputs.images = [d, 0];
    out[s] = nextSampler;
    out[d] = nextDecode;
    out[v] = nextSave;
    outputs.push(v);
  }
  return { graph: out, outputs };
}

/** Vary: the parent image again (sampler 3), then `count` img2img passes over its latent with new seeds. */
function variationChains(
  graph: ApiGraph,
  subseed: number,
  strength: number,
  count: number,
): { graph: ApiGraph; outputs: string[] } {
  const sampler = graph['3'];
  const decode = graph['8'];
  const save = graph['9'];
  if (sampler === undefined || decode === undefined || save === undefined) return { graph, outputs: ['9'] };
  const out = structuredClone(graph);
  delete out['8'];
  delete out['9'];
  const outputs: string[] = [];
  let id = nextNodeId(out);
  for (let index = 0; index < count; index += 1) {
    const [s, d, v] = [String(id), String(id + 1), String(id + 2)];
    id += 3;
    const pass = clone(sampler);
    pass.inputs.seed = subseed + index;
    pass.inputs.denoise = strength;
    pass.inputs.latent_image = ['3', 0];
    pass._meta = { title: `Variation ${index + 1}` };
    const nextDecode = clone(decode);
    nextDecode.inputs.samples = [s, 0];
    const nextSave = clone(save);
    nextSave.inputs.images = [d, 0];
    out[s] = pass;
    out[d] = nextDecode;
    out[v] = nextSave;
    outputs.push(v);
  }
  return { graph: out, outputs };
}

/** The graph for a generation, and what to read back from its result. */
export function toComfyJob(request: GenerateRequest, context: ComfyJobContext): ComfyJob {
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

  if (context.template !== undefined) {
    // An operator graph has no second pass to vary with: Vary is a new seed there.
    const graphSeed = varying ? subseed : seed;
    const filled = fillOperatorGraph(context.template, {
      prompt,
      negative_prompt: request.negativePrompt,
      seed: graphSeed,
      steps: request.steps,
      cfg: request.cfgScale,
      width: request.width,
      height: request.height,
      sampler: names.sampler,
      scheduler: names.scheduler,
      checkpoint: checkpoint ?? '',
      batch: count,
      image: context.image ?? '',
      denoise,
    });
    return {
      graph: spliceLoras(filled, loras),
      // One seed drives the operator's sampler; every image of its batch carries it.
      record: {
        seeds: Array.from({ length: count }, () => graphSeed),
        outputs: [],
        model,
        sampler: names.sampler,
      },
      fallbacks: names.fallbacks,
    };
  }

  const input: ComfyGraphInput = {
    kind: request.kind,
    prompt,
    negativePrompt: request.negativePrompt,
    seed,
    steps: request.steps,
    cfg: request.cfgScale,
    width: request.width,
    height: request.height,
    batch: 1,
    sampler: names.sampler,
    scheduler: names.scheduler,
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
    ...(request.kind === 'img2img' ? { denoise } : {}),
    ...(context.image === undefined ? {} : { image: context.image }),
    loras,
    filenamePrefix: context.prefix,
  };
  const base = buildGraph(input);
  if (varying) {
    const { graph, outputs } = variationChains(base, subseed, request.subseedStrength ?? 0.3, count);
    return {
      graph,
      record: { seeds: outputs.map(() => seed), outputs, model, sampler: names.sampler },
      fallbacks: names.fallbacks,
    };
  }
  const { graph, outputs } = perImageChains(base, seed, count);
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

/** The neutral progress of a run: its place in line, or its step, pass and preview. */
export function toEngineProgress(state: ComfyRunState, livePreview: boolean): EngineProgress {
  if (state.phase === 'queued') {
    // `ahead` counts the running prompt too: one ahead means ours is next.
    return { state: 'queued', position: state.ahead === null ? undefined : Math.max(1, state.ahead) };
  }
  const progress = state.progress;
  if (progress === null) return { state: 'running' };
  const within = progress.max > 0 ? Math.min(1, progress.value / progress.max) : 0;
  const stages = Math.max(1, progress.stages);
  return {
    state: 'running',
    fraction: Math.min(1, (progress.stage - 1 + within) / stages),
    step: progress.value,
    steps: progress.max,
    stage: stages > 1 ? { index: progress.stage, count: stages } : undefined,
    preview: livePreview && state.preview !== null ? state.preview : undefined,
  };
}
