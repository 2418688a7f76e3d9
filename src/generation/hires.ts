/**
 * Hires fix: a second pass that enlarges the first image and denoises it again. A member writes it in
 * one option, the scale (or the final size) first, the rest in any order:
 *
 *   `2`  `1.5x`  `x1.5`          scale (more than 1, at most `maxScale`)
 *   `1536x1024`                  final size instead of a scale (`hr_resize_x`/`hr_resize_y`)
 *   `0.4`                        denoising strength: a bare number from 0 to 1 (`denoising_strength`)
 *   `steps=10`                   second-pass steps (`hr_second_pass_steps`, `hr_steps` on sd.cpp)
 *   anything else                the upscaler, verbatim (`R-ESRGAN 4x+`, `Latent`, `4x-UltraSharp`)
 *
 * e.g. `2x R-ESRGAN 4x+ 0.4`, `1.5 0.55 Latent steps=12`. The job costs pixels of the *final* size.
 */

export interface HiresOption {
  /** The enlargement (`hr_scale`); absent when a final size is given. */
  scale?: number;
  /** The final size (`hr_resize_x`, `hr_resize_y`); absent when a scale is given. */
  resize?: { width: number; height: number };
  denoise?: number;
  upscaler?: string;
  steps?: number;
}

export type HiresOptionResult = { ok: true; hires: HiresOption } | { ok: false; problem: string };

export interface HiresOptionLimits {
  /** Largest scale accepted (default 4). */
  maxScale?: number;
  /** Most second-pass steps (default 150). */
  maxSteps?: number;
}

const DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;
const SCALE = /^(?:x(\d+(?:\.\d*)?|\.\d+)|(\d+(?:\.\d*)?|\.\d+)x?)$/i;
const SIZE = /^(\d+)[x×](\d+)$/i;
const STEPS = /^steps[=:](\d+)$/i;

const SYNTAX_HINT =
  'Write a scale first, such as 2 or 1.5x, then optionally a denoise such as 0.4 and an upscaler.';

/** Reads a member's `hires` option (syntax above); refuses with one sentence. */
export function parseHiresOption(text: string, limits: HiresOptionLimits = {}): HiresOptionResult {
  const maxScale = limits.maxScale ?? 4;
  const maxSteps = limits.maxSteps ?? 150;
  const [first, ...rest] = text
    .trim()
    .split(/[\s,]+/)
    .filter((token) => token !== '');
  if (first === undefined) return { ok: false, problem: `The hires option is empty. ${SYNTAX_HINT}` };

  const hires: HiresOption = {};
  const size = SIZE.exec(first);
  const scale = SCALE.exec(first);
  if (size !== null) {
    const width = Number(size[1]);
    const height = Number(size[2]);
    if (width < 64 || height < 64) {
      return {
        ok: false,
        problem: `${width}×${height} is too small for hires fix; each side needs 64 pixels.`,
      };
    }
    hires.resize = { width, height };
  } else if (scale !== null) {
    const value = Number(scale[1] ?? scale[2]);
    if (!(value > 1) || value > maxScale) {
      return {
        ok: false,
        problem: `A hires scale of ${value} is out of range; use more than 1 and at most ${maxScale}.`,
      };
    }
    hires.scale = value;
  } else {
    return { ok: false, problem: `"${first}" is not a scale or a size. ${SYNTAX_HINT}` };
  }

  const upscaler: string[] = [];
  for (const token of rest) {
    const steps = STEPS.exec(token);
    if (steps !== null) {
      const value = Number(steps[1]);
      if (hires.steps !== undefined) return { ok: false, problem: 'The hires option gives steps twice.' };
      if (value < 1 || value > maxSteps) {
        return { ok: false, problem: `Hires steps must be from 1 to ${maxSteps}; ${value} is out of range.` };
      }
      hires.steps = value;
    } else if (DECIMAL.test(token) && Number(token) <= 1) {
      if (hires.denoise !== undefined)
        return { ok: false, problem: 'The hires option gives a denoise twice.' };
      const value = Number(token);
      if (value <= 0)
        return { ok: false, problem: 'A hires denoise of 0 changes nothing; use more than 0, up to 1.' };
      hires.denoise = value;
    } else {
      upscaler.push(token);
    }
  }
  if (upscaler.length > 0) hires.upscaler = upscaler.join(' ');
  return { ok: true, hires };
}

export interface SnapOptions {
  /** Both sides become multiples of this (8 for A1111; 64 for Forge Neo and stable-diffusion.cpp). */
  multiple?: 8 | 64;
  /** `down` as A1111 does (the latent drops the remainder); `up` as stable-diffusion.cpp does. */
  round?: 'down' | 'up';
}

function snap(value: number, { multiple = 8, round = 'down' }: SnapOptions): number {
  const steps = round === 'up' ? Math.ceil(value / multiple) : Math.floor(value / multiple);
  return Math.max(1, steps) * multiple;
}

/** The size hires fix produces from `width`×`height` at `scale`, both sides snapped (default: down to 8). */
export function hiresFinalSize(
  width: number,
  height: number,
  scale: number,
  options: SnapOptions = {},
): { width: number; height: number } {
  return {
    width: snap(Math.floor(width * scale), options),
    height: snap(Math.floor(height * scale), options),
  };
}

/** The final size of a parsed option: its `resize` (snapped) or the first-pass size at its `scale`. */
export function hiresTargetSize(
  width: number,
  height: number,
  hires: HiresOption,
  options: SnapOptions = {},
): { width: number; height: number } {
  if (hires.resize !== undefined) {
    return { width: snap(hires.resize.width, options), height: snap(hires.resize.height, options) };
  }
  return hiresFinalSize(width, height, hires.scale ?? 1, options);
}

export interface HiresBudgetInput {
  /** The first pass. */
  width: number;
  height: number;
  /** What hires fix produces (`hiresTargetSize`). */
  finalWidth: number;
  finalHeight: number;
  /** Images in the request. */
  count: number;
}

export interface PixelLimits {
  /** MAX_PIXELS: per image. */
  maxPixels: number;
  /** MAX_TOTAL_PIXELS: per request. */
  maxTotalPixels?: number;
}

/** The largest scale (to 0.01, rounded down) whose final size fits both budgets for `count` images. */
export function maxHiresScale(width: number, height: number, count: number, limits: PixelLimits): number {
  const perImage =
    limits.maxTotalPixels === undefined
      ? limits.maxPixels
      : Math.min(limits.maxPixels, limits.maxTotalPixels / Math.max(1, count));
  return Math.floor(Math.sqrt(perImage / (width * height)) * 100) / 100;
}

function scaleAdvice(input: HiresBudgetInput, limits: PixelLimits): string {
  const fits = maxHiresScale(input.width, input.height, input.count, limits);
  return fits > 1 ? `A scale of at most ${fits} fits.` : 'Choose a smaller first size or fewer images.';
}

/**
 * The pixel budget counted on the final size: each image against MAX_PIXELS, all of them against
 * MAX_TOTAL_PIXELS. Empty when it fits; otherwise one sentence per limit, naming the numbers.
 */
export function checkHiresBudget(input: HiresBudgetInput, limits: PixelLimits): string[] {
  const problems: string[] = [];
  const pixels = input.finalWidth * input.finalHeight;
  if (pixels > limits.maxPixels) {
    problems.push(
      `Hires fix enlarges ${input.width}×${input.height} to ${input.finalWidth}×${input.finalHeight}, ${pixels} pixels per image; the limit (MAX_PIXELS) is ${limits.maxPixels}. ${scaleAdvice(input, limits)}`,
    );
  }
  const total = pixels * input.count;
  if (limits.maxTotalPixels !== undefined && total > limits.maxTotalPixels) {
    problems.push(
      `${input.count} image${input.count === 1 ? '' : 's'} of ${input.finalWidth}×${input.finalHeight} after hires fix is ${total} pixels in all; the limit (MAX_TOTAL_PIXELS) is ${limits.maxTotalPixels} pixels per request. ${scaleAdvice(input, limits)}`,
    );
  }
  return problems;
}
