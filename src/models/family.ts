/**
 * Model families (SD 1.x, SD 2.x, SDXL, SD 3.x, Flux) and the defaults each wants (reference
 * backends.md §2). The family is read from what the server says first, and from names last:
 * 1. SD.Next's `type` when it names a pipeline (`Stable Diffusion XL`, `FLUX`; its file types such as
 *    `safetensors` or `diffusers` say nothing);
 * 2. the `shape` of the embeddings the server loaded for the checkpoint (A1111/Forge load only those
 *    that fit: 768 SD 1.x, 1024 SD 2.x, 2048 = 1280 clip_g + 768 clip_l SDXL, per
 *    `modules/textual_inversion/textual_inversion.py`). Flux and SD 3 carry a 768 CLIP-L too, so a
 *    768 alone yields to a name that says Flux or SD 3;
 * 3. a LoRA's `ss_base_model_version` (kohya: `sd_v1`, `sd_v2`, `sdxl_base_v1-0`, `sd3`, `flux1`…);
 * 4. the name and file name (`xl`, `sdxl`, `pony`, `illustrious`, `noob`, `flux`, `sd3`, `sd_3.5`,
 *    `v1-5`, `768-v` …); `dev`/`schnell` count as Flux only where Forge lists Flux's modules.
 */

export type ModelFamily = 'sd1' | 'sd2' | 'sdxl' | 'sd3' | 'flux' | 'other';

export const MODEL_FAMILIES: readonly ModelFamily[] = ['sd1', 'sd2', 'sdxl', 'sd3', 'flux', 'other'];

export const FAMILY_LABELS: Readonly<Record<ModelFamily, string>> = {
  sd1: 'SD 1.x',
  sd2: 'SD 2.x',
  sdxl: 'SDXL',
  sd3: 'SD 3.x',
  flux: 'Flux',
  other: 'other',
};

export interface FamilyEvidence {
  /** The checkpoint's title or name as the server lists it. */
  name: string;
  filename?: string;
  /** SD.Next's `/sd-models` `type`. */
  type?: string;
  /** `shape` of the embeddings the server lists as loaded for this checkpoint. */
  embeddingShapes?: number[];
  /** A LoRA's `ss_base_model_version` metadata. */
  loraBaseModel?: string;
  /** Forge's `/sd-modules` file names. */
  sdModules?: string[];
}

export interface FamilyDetection {
  family: ModelFamily;
  source: 'server' | 'name' | 'unknown';
}

/** SD.Next `type` values that are pipelines we do not size for (a selection of `modules/sd_detect.py`). */
const OTHER_PIPELINES =
  /^(pixart|sana|hunyuan|kolors|auraflow|lumina|cogview|omnigen|hidream|stable ?cascade|qwen|wanai|chroma|kandinsky|cosmos|instaflow|segmoe|meissonic|bria)/;

function familyFromType(type: string | undefined): FamilyDetection | undefined {
  if (type === undefined) return undefined;
  const text = type.trim().toLowerCase();
  let family: ModelFamily | undefined;
  if (/^flux|^f1$/.test(text)) family = 'flux';
  else if (/^(stable diffusion 3|sd3)/.test(text)) family = 'sd3';
  else if (/^(stable diffusion xl|sdxl|sd_xl)/.test(text)) family = 'sdxl';
  else if (/^(stable diffusion 2|sd2)/.test(text)) family = 'sd2';
  else if (/^(stable diffusion( 1(\.\d)?)?$|sd1|sd15$|sd$)/.test(text)) family = 'sd1';
  else if (OTHER_PIPELINES.test(text)) family = 'other';
  return family === undefined ? undefined : { family, source: 'server' };
}

const SHAPE_FAMILIES: ReadonlyMap<number, ModelFamily> = new Map([
  [768, 'sd1'],
  [1024, 'sd2'],
  [1280, 'sdxl'],
  [2048, 'sdxl'],
]);

function familyFromShapes(shapes: readonly number[] | undefined): ModelFamily | undefined {
  const counts = new Map<ModelFamily, number>();
  for (const shape of shapes ?? []) {
    const family = SHAPE_FAMILIES.get(shape);
    if (family !== undefined) counts.set(family, (counts.get(family) ?? 0) + 1);
  }
  let best: ModelFamily | undefined;
  for (const [family, count] of counts) {
    if (best === undefined || count > (counts.get(best) ?? 0)) best = family;
  }
  return best;
}

function familyFromBaseModel(base: string | undefined): ModelFamily | undefined {
  if (base === undefined) return undefined;
  const text = base.trim().toLowerCase();
  if (/^flux/.test(text)) return 'flux';
  if (/^sd_?3/.test(text)) return 'sd3';
  if (/^sdxl|^sd_xl/.test(text)) return 'sdxl';
  if (/^sd_?v?2/.test(text)) return 'sd2';
  if (/^sd_?v?1/.test(text)) return 'sd1';
  return undefined;
}

/** The names of Forge's Flux modules when all three are listed: the VAE (`ae`), CLIP-L and T5-XXL. */
export function fluxModules(sdModules: readonly string[]): string[] | undefined {
  const stem = (name: string) =>
    (name.split(/[\\/]/).pop() ?? name).toLowerCase().replace(/\.(safetensors|sft|gguf|pt|bin)$/, '');
  const vae = sdModules.find((name) => /^(ae|flux[-_.]?(1[-_.]?)?(vae|ae)|.*[-_]ae)$/.test(stem(name)));
  const clipL = sdModules.find((name) => /clip[-_]?l/.test(stem(name)));
  const t5 = sdModules.find((name) => /t5[-_]?xxl/.test(stem(name)));
  return vae !== undefined && clipL !== undefined && t5 !== undefined ? [vae, clipL, t5] : undefined;
}

function familyFromName(text: string, fluxReady: boolean): ModelFamily | undefined {
  const name = text.toLowerCase();
  if (/flux/.test(name)) return 'flux';
  if (/sd[-_ ]?3|stable[-_ ]?diffusion[-_ ]?3/.test(name)) return 'sd3';
  if (/xl(?![a-z])|pony|illustrious|noob|animagine/.test(name)) return 'sdxl';
  if (fluxReady && /(^|[^a-z])(dev|schnell)([^a-z]|$)/.test(name)) return 'flux';
  if (
    /v2-1_(512|768)|768-v|512-base-ema|(^|[^a-z0-9])sd[-_ ]?2(\.[01])?([^0-9]|$)|stable[-_ ]?diffusion[-_ ]?2/.test(
      name,
    )
  ) {
    return 'sd2';
  }
  if (/v1-[45]|(^|[^a-z0-9])sd[-_ ]?1(5|\.[45])?([^0-9]|$)|stable[-_ ]?diffusion[-_ ]?1/.test(name)) {
    return 'sd1';
  }
  return undefined;
}

/** The family of a checkpoint (or LoRA), from the server's evidence first and its names last. */
export function detectFamily(evidence: FamilyEvidence): FamilyDetection {
  const fromType = familyFromType(evidence.type);
  if (fromType !== undefined) return fromType;

  const fluxReady = evidence.sdModules !== undefined && fluxModules(evidence.sdModules) !== undefined;
  const names = [evidence.name, evidence.filename ?? ''].join(' ');
  const fromName = familyFromName(names, fluxReady);

  const fromShapes = familyFromShapes(evidence.embeddingShapes);
  if (fromShapes !== undefined && !(fromShapes === 'sd1' && (fromName === 'flux' || fromName === 'sd3'))) {
    return { family: fromShapes, source: 'server' };
  }
  const fromBase = familyFromBaseModel(evidence.loraBaseModel);
  if (fromBase !== undefined) return { family: fromBase, source: 'server' };
  if (fromName !== undefined) return { family: fromName, source: 'name' };
  return { family: 'other', source: 'unknown' };
}

export interface FamilyDefaults {
  /** Pixels of the native square size (512² for SD 1.x). */
  area: number;
  /** Pixels to aim at for other aspect ratios (`toSizeForAspect`): the same native area. */
  aspectArea: number;
  cfg: number;
  /** Forge's `distilled_cfg_scale` for guidance-distilled models. */
  distilledCfg?: number;
  /** The scheduler label to ask for (A1111 spelling; map it with `nearestScheduler`). */
  scheduler?: string;
  /** The sampler to ask for (A1111 spelling; map it with `nearestSampler`). */
  sampler?: string;
  /** The model has no negative-prompt effect (cfg 1). */
  negativePromptIgnored: boolean;
  /** Forge needs `forge_additional_modules` (VAE and text encoders) or the images come out black. */
  needsModules?: boolean;
}

const DEFAULTS: Readonly<Record<ModelFamily, FamilyDefaults>> = {
  sd1: { area: 512 * 512, aspectArea: 512 * 512, cfg: 7, negativePromptIgnored: false },
  sd2: { area: 768 * 768, aspectArea: 768 * 768, cfg: 7, negativePromptIgnored: false },
  sdxl: { area: 1024 * 1024, aspectArea: 1024 * 1024, cfg: 6, negativePromptIgnored: false },
  sd3: {
    area: 1024 * 1024,
    aspectArea: 1024 * 1024,
    cfg: 4.5,
    sampler: 'Euler',
    scheduler: 'SGM Uniform',
    negativePromptIgnored: false,
  },
  flux: {
    area: 1024 * 1024,
    aspectArea: 1024 * 1024,
    cfg: 1,
    distilledCfg: 3.5,
    sampler: 'Euler',
    scheduler: 'Simple',
    negativePromptIgnored: true,
    needsModules: true,
  },
  // Unknown: A1111's own defaults (512², cfg 7), the safest for the servers most people run.
  other: { area: 512 * 512, aspectArea: 512 * 512, cfg: 7, negativePromptIgnored: false },
};

/** What a family wants by default: native area, cfg, sampler and scheduler where it matters. */
export function familyDefaults(family: ModelFamily): FamilyDefaults {
  return { ...DEFAULTS[family] };
}
