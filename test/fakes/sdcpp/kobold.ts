/**
 * KoboldCpp's image request handling (koboldcpp.py `do_POST` image branch and `sd_generate`, the
 * `sdtype_generate` adapter), as a pure function of the parsed body. Lenient everywhere: numbers
 * parse from strings, out-of-range values are clamped, unknown names fall back to `default`, unknown
 * LoRAs are dropped. A missing prompt (with no `lora` list) raises in the handler, which then closes
 * the connection without an answer.
 */
import { DEFAULT_SAMPLER, defaultScheduler, toKoboldSampler } from './catalog.js';
import { stem } from './plan.js';

export interface KoboldPlan {
  kind: 'txt2img' | 'img2img';
  prompt: string;
  negativePrompt: string;
  seed: number;
  cfgScale: number;
  steps: number;
  /** sd.cpp name, or `default`. */
  sampler: string;
  /** Lower-cased as sent, or `default`. */
  scheduler: string;
  clipSkip: number;
  requestedWidth: number;
  requestedHeight: number;
  width: number;
  height: number;
  strength: number;
  /** Bare base64 (data-URI prefix removed), or '' for txt2img. */
  initImage: string;
  loras: { path: string; multiplier: number }[];
}

export interface KoboldContext {
  /** LoRA file paths (relative, with extension) KoboldCpp was started with. */
  loras: readonly string[];
  /** A number in [0, 1). */
  random: () => number;
  /** Longest side of the square the area is capped to: 832 for SD 1.x/2.x, 1024 for SDXL and later. */
  areaSide: number;
}

const STEP_LIMIT = 80;
const CFG_LIMIT = 25;

/** `null`: the handler raises and the connection is closed without an answer. */
export function planKoboldRequest(input: Record<string, unknown>, context: KoboldContext): KoboldPlan | null {
  const genparams: Record<string, unknown> = { ...input };
  for (const field of ['sampler_name', 'scheduler']) {
    const value = genparams[field];
    if (typeof value === 'string') {
      genparams[field] = value.toLowerCase();
    }
  }
  if (!truthy(genparams.lora)) {
    if (typeof genparams.prompt !== 'string') {
      return null;
    }
    const extracted = extractPromptLoras(genparams.prompt);
    if (extracted.loras.length > 0) {
      genparams.prompt = extracted.prompt;
      genparams.lora = extracted.loras.flatMap((lora) => {
        const path = context.loras.find((file) => stem(file) === lora.name);
        return path === undefined ? [] : [{ path, multiplier: lora.multiplier }];
      });
    }
  }
  const prompt = Object.hasOwn(genparams, 'prompt') ? genparams.prompt : 'high quality';
  const negativePrompt = Object.hasOwn(genparams, 'negative_prompt') ? genparams.negative_prompt : '';
  if (typeof prompt !== 'string' || typeof negativePrompt !== 'string') {
    return null;
  }
  const initImages = genparams.init_images;
  const first: unknown = Array.isArray(initImages) ? initImages[0] : undefined;
  const initImage = typeof first === 'string' ? stripBase64Prefix(first) : '';

  const denoising = tryFloat(genparams.denoising_strength, 0.6);
  const cfgScale = tryFloat(genparams.cfg_scale, 5);
  const steps = tryInt(genparams.steps, 20);
  const requestedWidth = tryInt(genparams.width, 512);
  const requestedHeight = tryInt(genparams.height, 512);
  let seed = tryInt(genparams.seed, -1);
  if (seed < 0) {
    seed = 100_000 + Math.floor(context.random() * 900_000);
  }
  const sampler = toKoboldSampler(
    truthy(genparams.sampler_name) ? String(genparams.sampler_name) : 'default',
  );
  const scheduler = (truthy(genparams.scheduler) ? String(genparams.scheduler) : 'default').toLowerCase();
  const clipSkip = tryInt(genparams.clip_skip, -1);
  const size = fixResolution(requestedWidth, requestedHeight, context.areaSide);
  return {
    kind: initImage === '' ? 'txt2img' : 'img2img',
    prompt,
    negativePrompt,
    seed: wrapInt32(seed),
    cfgScale: Math.min(CFG_LIMIT, Math.max(1, cfgScale)),
    steps: Math.min(STEP_LIMIT, Math.max(1, steps)),
    sampler,
    scheduler,
    clipSkip: clipSkip <= 0 ? (context.areaSide <= 832 ? 1 : 2) : clipSkip,
    requestedWidth,
    requestedHeight,
    width: size.width,
    height: size.height,
    strength: Math.min(1, Math.max(0, denoising)),
    initImage,
    loras: toLoraMultipliers(genparams.lora, context.loras),
  };
}

/** The sampler and scheduler that ran. */
export function koboldRan(plan: KoboldPlan): { sampler: string; scheduler: string } {
  const sampler = plan.sampler === 'default' ? DEFAULT_SAMPLER : plan.sampler;
  const scheduler = plan.scheduler === 'default' ? defaultScheduler(sampler) : plan.scheduler;
  return { sampler, scheduler };
}

/**
 * `sd_fix_resolution`, approximately: sides to the nearest multiple of 64 (at least 64), then the
 * area capped to `areaSide`², shrinking both sides to multiples of 64.
 */
export function fixResolution(
  width: number,
  height: number,
  areaSide: number,
): { width: number; height: number } {
  let w = Math.min(8192, Math.max(64, Math.round(width / 64) * 64));
  let h = Math.min(8192, Math.max(64, Math.round(height / 64) * 64));
  const limit = areaSide * areaSide;
  if (w * h > limit) {
    const scale = Math.sqrt(limit / (w * h));
    w = Math.max(64, Math.floor((w * scale) / 64) * 64);
    h = Math.max(64, Math.floor((h * scale) / 64) * 64);
  }
  return { width: w, height: h };
}

function toLoraMultipliers(list: unknown, known: readonly string[]): { path: string; multiplier: number }[] {
  const sums = new Map<string, number>();
  for (const item of Array.isArray(list) ? (list as unknown[]) : []) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      continue;
    }
    const entry = item as Record<string, unknown>;
    const multiplier = tryFloat(entry.multiplier, 0);
    if (
      typeof entry.path !== 'string' ||
      entry.path === '' ||
      multiplier === 0 ||
      !known.includes(entry.path)
    ) {
      continue;
    }
    sums.set(entry.path, (sums.get(entry.path) ?? 0) + multiplier);
  }
  return [...sums]
    .filter(([, multiplier]) => multiplier !== 0)
    .map(([path, multiplier]) => ({ path, multiplier }));
}

function extractPromptLoras(prompt: string): {
  prompt: string;
  loras: { name: string; multiplier: number }[];
} {
  const loras: { name: string; multiplier: number }[] = [];
  let rest = prompt;
  for (const match of prompt.matchAll(/<lora:([^:>]+):([^>]+)>/g)) {
    const multiplier = Number(match[2]);
    if (match[1] === undefined || match[2]?.trim() === '' || Number.isNaN(multiplier)) {
      continue;
    }
    loras.push({ name: match[1], multiplier });
    rest = rest.replace(match[0], '');
  }
  return { prompt: rest, loras };
}

/** Python truthiness of a JSON value. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.length > 0;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.keys(value).length > 0;
  }
  return Boolean(value);
}

/** `tryparseint`: Python `int(value)`, else the fallback. */
function tryInt(value: unknown, fallback: number): number {
  if (typeof value === 'boolean') {
    return value ? 1 : 0;
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return Math.trunc(value);
  }
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) {
    return Number.parseInt(value, 10);
  }
  return fallback;
}

/** `tryparsefloat`: Python `float(value)`, else the fallback. */
function tryFloat(value: unknown, fallback: number): number {
  if (typeof value === 'boolean') {
    return value ? 1 : 0;
  }
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
    return Number(value);
  }
  return fallback;
}

function wrapInt32(value: number): number {
  return Number(BigInt.asIntN(32, BigInt(Math.trunc(value))));
}

export function stripBase64Prefix(text: string): string {
  const comma = text.indexOf(',');
  return text.startsWith('data:') && comma !== -1 ? text.slice(comma + 1) : text;
}

/** `json.dumps` with Python's defaults: `", "` and `": "` separators, non-ASCII escaped. */
export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => pythonJson(item)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([key, item]) => `${asciiJson(key)}: ${pythonJson(item)}`,
    );
    return `{${entries.join(', ')}}`;
  }
  if (typeof value === 'string') {
    return asciiJson(value);
  }
  return JSON.stringify(value);
}

function asciiJson(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
