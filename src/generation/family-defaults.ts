/** A checkpoint's model family and the defaults it brings to what the member left open. */
import { detectFamily, familyDefaults, type ModelFamily } from '../models/family.js';
import { isAspectRatio, toSizeForAspect } from './aspect.js';
import type { GenerationParams } from './request.js';

/** A checkpoint's family: the server admins' choice, else what its name and file tell. */
export function familyOfModel(
  model: { title: string; filename?: string | undefined } | undefined,
  overrides: Readonly<Record<string, ModelFamily>>,
  /** The shapes of the embeddings a server loaded with this checkpoint (they fit it), when it is loaded. */
  embeddingShapes: readonly number[] = [],
): ModelFamily {
  if (model === undefined) return 'other';
  const override = overrides[model.title];
  if (override !== undefined) return override;
  return detectFamily({
    name: model.title,
    ...(model.filename === undefined ? {} : { filename: model.filename }),
    ...(embeddingShapes.length === 0 ? {} : { embeddingShapes: [...embeddingShapes] }),
  }).family;
}

export interface FamilyContext {
  /** What the member typed themselves (never overridden). */
  typed: { cfgScale: boolean; size: boolean; scheduler: boolean };
  /** The Discord server set its own default size. */
  serverSize: boolean;
  aspect: string | undefined;
  maxPixels: number;
  maxTotalPixels: number | undefined;
  /** Scheduler labels the servers list (null: none have a scheduler choice). */
  schedulers: readonly string[] | null;
}

/**
 * A family's defaults on what the member left open: the native area for the size (and aspect
 * presets), the cfg, and for Flux cfg 1, the distilled cfg and the Simple scheduler, with a note
 * that its negative prompt is ignored. SD 1.x and unknown families keep the configured defaults.
 */
export function applyFamilyDefaults(
  params: GenerationParams,
  family: ModelFamily,
  context: FamilyContext,
): GenerationParams {
  if (family === 'other') return params;
  const defaults = familyDefaults(family);
  const next: GenerationParams = { ...params, family };
  if (family === 'sd1') return next;
  if (!context.typed.cfgScale) next.cfgScale = defaults.cfg;
  if (!context.typed.size && !context.serverSize && params.width * params.height !== defaults.area) {
    const aspect = context.aspect !== undefined && isAspectRatio(context.aspect) ? context.aspect : '1:1';
    const size = toSizeForAspect(aspect, defaults.aspectArea, context.maxPixels);
    const total = size.width * size.height * params.count;
    if (context.maxTotalPixels === undefined || total <= context.maxTotalPixels) {
      next.width = size.width;
      next.height = size.height;
    }
  }
  if (defaults.distilledCfg !== undefined) next.distilledCfg = defaults.distilledCfg;
  if (defaults.scheduler !== undefined && !context.typed.scheduler && context.schedulers !== null) {
    const wanted = defaults.scheduler.toLowerCase();
    const label = context.schedulers.find((name) => name.toLowerCase() === wanted);
    if (label !== undefined) next.scheduler = label;
  }
  if (defaults.negativePromptIgnored && params.negativePrompt !== '') {
    next.notes = [...(next.notes ?? []), `${familyLabel(family)} models ignore the negative prompt.`];
  }
  return next;
}

function familyLabel(family: ModelFamily): string {
  return family === 'flux' ? 'Flux' : family.toUpperCase();
}
