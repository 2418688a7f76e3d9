import type { Checkpoint, SchedulerInfo } from '../../engines/types.js';
import { applyFamilyDefaults, familyOfModel } from '../../generation/family-defaults.js';
import type { EffectiveFeatures, FeatureInput, FeatureLists } from '../../generation/feature-context.js';
import { resolveFeatures } from '../../generation/features.js';
import type { LoraRef } from '../../generation/loras.js';
import type { GenerationParams, ImagineInput } from '../../generation/request.js';
import { sameModel } from '../../models/match.js';
import { UserError } from '../../user-error.js';
import type { BotDeps } from './command.js';
import { whenProbed } from './probed.js';

/** Longest wait for the servers' first probe (right after a start) before their features are judged. */
const PROBE_WAIT_MS = 8000;

/** What /imagine asked for beyond the plain options, as read and parsed before the deferral. */
export interface FeatureRequest {
  input: ImagineInput;
  featureInput: FeatureInput;
  /** LoRAs from the option and the prompt's tags (`readLoras`). */
  loras: readonly LoraRef[];
  features: EffectiveFeatures;
  /** The Discord server set its own default size (a family's native size then does not replace it). */
  serverSize: boolean;
  img2img: boolean;
}

/**
 * The lists the request's features are checked against (only those it uses), once every server's
 * first probe has told what it can do.
 */
export async function fetchFeatureLists(deps: BotDeps, request: FeatureRequest): Promise<FeatureLists> {
  const wants = {
    loras: request.loras.length > 0,
    styles: request.featureInput.style !== undefined,
    hires: request.featureInput.hires !== undefined,
  };
  if (wants.loras || wants.styles || wants.hires || request.featureInput.adetailer === true) {
    await whenProbed(deps.backends, PROBE_WAIT_MS);
  }
  const [loras, styles, upscalers, hiresUpscalers] = await Promise.all([
    wants.loras ? deps.catalog.get('loras') : [],
    wants.styles ? deps.catalog.get('styles') : [],
    wants.hires ? deps.catalog.get('upscalers') : [],
    wants.hires ? deps.catalog.get('hiresUpscalers') : [],
  ]);
  return { loras, styles, upscalers: [...hiresUpscalers, ...upscalers].map((upscaler) => upscaler.name) };
}

/**
 * The checkpoint's family defaults, then the features, on parameters already resolved against the
 * catalog. Throws a UserError listing every problem (an unknown LoRA with the closest names, a hires
 * size over the budget, a feature no server has or this Discord server turned off).
 */
export function applyImagineFeatures(
  deps: BotDeps,
  params: GenerationParams,
  catalog: { models: Checkpoint[]; schedulers: SchedulerInfo[] | null; lists: FeatureLists },
  request: FeatureRequest,
): GenerationParams {
  const { config } = deps;
  const { input, features } = request;
  const family = familyOfModel(
    catalog.models.find((model) => model.title === params.model),
    features.families,
    loadedEmbeddingShapes(deps, params.model, catalog.models),
  );
  const sized = applyFamilyDefaults(params, family, {
    typed: {
      cfgScale: input.cfgScale !== undefined,
      size: input.width !== undefined || input.height !== undefined,
      scheduler: input.scheduler !== undefined,
    },
    serverSize: request.serverSize,
    aspect: input.aspect,
    maxPixels: config.limits.maxPixels,
    maxTotalPixels: config.limits.maxTotalPixels,
    schedulers: catalog.schedulers === null ? null : catalog.schedulers.map((scheduler) => scheduler.label),
  });
  const capabilities = deps.backends.map((backend) => backend.engine.capabilities);
  const result = resolveFeatures(
    sized,
    { ...request.featureInput, loras: request.loras },
    {
      features,
      lists: catalog.lists,
      available: {
        loras: capabilities.some((caps) => caps.loras),
        styles: capabilities.some((caps) => caps.styles),
        hires: capabilities.some((caps) => caps.hires),
        adetailer: capabilities.some((caps) => caps.adetailer),
      },
      pixels: { maxPixels: config.limits.maxPixels, maxTotalPixels: config.limits.maxTotalPixels },
      img2img: request.img2img,
    },
  );
  if (!result.ok) throw new UserError('invalid-options', result.problems);
  return result.params;
}

/**
 * The shapes of the embeddings the servers that have this checkpoint loaded list: A1111 and Forge
 * load only the embeddings that fit it, so they tell its family (from the cache; none before it).
 */
function loadedEmbeddingShapes(deps: BotDeps, model: string | undefined, models: Checkpoint[]): number[] {
  if (model === undefined) return [];
  const embeddings = deps.catalog.snapshot('embeddings');
  return deps.runner
    .backends()
    .filter((backend) => backend.loadedModel !== undefined && sameModel(backend.loadedModel, model, models))
    .flatMap((backend) => embeddings?.get(backend.id) ?? [])
    .flatMap((embedding) => (embedding.shape === undefined ? [] : [embedding.shape]));
}
