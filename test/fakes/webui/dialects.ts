/**
 * What differs between the AUTOMATIC1111-family servers the fake imitates, as data
 * (/work/shared/reference/backends.md §1–2, read against each project's source):
 *
 * - `a1111`: AUTOMATIC1111 1.10.
 * - `forge`: lllyasviel/stable-diffusion-webui-forge main (dfdcbab): A1111 middleware off, pydantic 2,
 *   `/sd-modules` instead of `/sd-vae`, lazy checkpoint loads.
 * - `forge-neo`: Haoming02/sd-webui-forge-classic, branch `neo`: Forge minus `/interrogate`,
 *   `/hypernetworks`, `/realesrgan-models`, `/create/*`, `/reload-checkpoint`; version string `neo`;
 *   width and height floored to multiples of 64 before sampling.
 * - `forge-classic`: the same repo, branch `classic` (Forge "previous", Gradio 3): A1111 middleware on,
 *   pydantic 1, `/sd-vae`, no `/schedulers`, combined sampler names as A1111 ≤ 1.8 (unknown → 404).
 * - `reforge`: Panchovix/stable-diffusion-webui-reForge main: A1111 middleware on, pydantic 1, the full
 *   A1111 route set with `/sd-vae`.
 * - `sdnext`: vladmandic/sdnext (formerly vladmandic/automatic).
 */
import type { PydanticStyle } from './validation.js';

export type WebuiFlavour = 'a1111' | 'forge' | 'sdnext' | 'forge-neo' | 'forge-classic' | 'reforge';

export const WEBUI_FLAVOURS: readonly WebuiFlavour[] = [
  'a1111',
  'forge',
  'forge-neo',
  'forge-classic',
  'reforge',
  'sdnext',
];

/** Routes under `/sdapi/v1` that only some flavours register. */
export type OptionalRoute =
  | 'interrogate'
  | 'sd-vae'
  | 'sd-modules'
  | 'schedulers'
  | 'latent-upscale-modes'
  | 'hypernetworks'
  | 'realesrgan-models'
  | 'reload-checkpoint'
  | 'version'
  | 'checkpoint'
  | 'detailers';

export interface Dialect {
  /** Body of `HTTPException` and other exceptions: A1111 middleware, Forge (middleware off), SD.Next. */
  errors: 'a1111' | 'forge' | 'sdnext';
  pydantic: PydanticStyle;
  /** Sampler naming: split sampler + scheduler (≥ 1.9), combined names (≤ 1.8), diffusers names. */
  samplers: 'split' | 'combined' | 'diffusers';
  /** Forge's extra samplers and schedulers. */
  forgeSamplers: boolean;
  /** `Version:` in the infotext and `info.version`; null where `info` has no `version` key. */
  version: string | null;
  /** Width and height are floored to a multiple of this before sampling (1 = untouched). */
  sizeMultiple: number;
  /** `forge_additional_modules`, `/sd-modules`, `hr_additional_modules` (and its hires crash). */
  modules: boolean;
  /** `distilled_cfg_scale`, `hr_cfg`, `hr_distilled_cfg` defaults (Forge 2 and Neo). */
  distilledCfg: boolean;
  /** POST /options only records the checkpoint; the weights load on the next generation (Forge 2). */
  lazyCheckpoint: boolean;
  /** Everything SD.Next does its own way (defaults, info keys, POST /options answer, img2img 400, …). */
  sdnext: boolean;
  /** `<lora:X:w>` resolves X against LoRA name or alias (A1111 family) or name only (SD.Next). */
  loraTag: 'name-or-alias' | 'name';
  /** txt2img/img2img register `force_task_id` (or a generated id) with `/internal/progress`. */
  apiTasks: boolean;
  /** `X-Process-Time` header (A1111's middleware). */
  processTimeHeader: boolean;
  routes: ReadonlySet<OptionalRoute>;
}

const A1111_ROUTES: readonly OptionalRoute[] = [
  'interrogate',
  'sd-vae',
  'schedulers',
  'latent-upscale-modes',
  'hypernetworks',
  'realesrgan-models',
  'reload-checkpoint',
];

const DIALECTS: Record<WebuiFlavour, Dialect> = {
  a1111: {
    errors: 'a1111',
    pydantic: 'v1',
    samplers: 'split',
    forgeSamplers: false,
    version: 'v1.10.1',
    sizeMultiple: 1,
    modules: false,
    distilledCfg: false,
    lazyCheckpoint: false,
    sdnext: false,
    loraTag: 'name-or-alias',
    apiTasks: true,
    processTimeHeader: true,
    routes: new Set(A1111_ROUTES),
  },
  forge: {
    errors: 'forge',
    pydantic: 'v2',
    samplers: 'split',
    forgeSamplers: true,
    version: 'v1.10.1',
    sizeMultiple: 1,
    modules: true,
    distilledCfg: true,
    lazyCheckpoint: true,
    sdnext: false,
    loraTag: 'name-or-alias',
    apiTasks: true,
    processTimeHeader: false,
    routes: new Set<OptionalRoute>([
      'interrogate',
      'sd-modules',
      'schedulers',
      'latent-upscale-modes',
      'hypernetworks',
      'realesrgan-models',
      'reload-checkpoint',
    ]),
  },
  'forge-neo': {
    errors: 'forge',
    pydantic: 'v2',
    samplers: 'split',
    forgeSamplers: true,
    version: 'neo',
    sizeMultiple: 64,
    modules: true,
    distilledCfg: true,
    lazyCheckpoint: true,
    sdnext: false,
    loraTag: 'name-or-alias',
    apiTasks: true,
    processTimeHeader: false,
    routes: new Set<OptionalRoute>(['sd-modules', 'schedulers', 'latent-upscale-modes']),
  },
  'forge-classic': {
    errors: 'a1111',
    pydantic: 'v1',
    samplers: 'combined',
    forgeSamplers: false,
    version: 'classic',
    sizeMultiple: 1,
    modules: false,
    distilledCfg: false,
    lazyCheckpoint: false,
    sdnext: false,
    loraTag: 'name-or-alias',
    apiTasks: true,
    processTimeHeader: true,
    routes: new Set<OptionalRoute>(['sd-vae', 'latent-upscale-modes', 'reload-checkpoint']),
  },
  reforge: {
    errors: 'a1111',
    pydantic: 'v1',
    samplers: 'split',
    forgeSamplers: false,
    version: 'f1.0.0v2-v1.10.1RC-latest-2216-g3b56b268',
    sizeMultiple: 1,
    modules: false,
    distilledCfg: false,
    lazyCheckpoint: false,
    sdnext: false,
    loraTag: 'name-or-alias',
    apiTasks: true,
    processTimeHeader: true,
    routes: new Set(A1111_ROUTES),
  },
  sdnext: {
    errors: 'sdnext',
    pydantic: 'v1',
    samplers: 'diffusers',
    forgeSamplers: false,
    version: null,
    sizeMultiple: 1,
    modules: false,
    distilledCfg: false,
    lazyCheckpoint: false,
    sdnext: true,
    loraTag: 'name',
    apiTasks: false,
    processTimeHeader: false,
    routes: new Set<OptionalRoute>(['sd-vae', 'version', 'checkpoint', 'detailers']),
  },
};

export function dialectOf(flavour: WebuiFlavour): Dialect {
  return DIALECTS[flavour];
}
