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

import { type Message, msg } from '../i18n/translate.js';

export interface HiresOption {
  /** The enlargement (`hr_scale`); absent when a final size is given. */
  scale?: number;
  /** The final size (`hr_resize_x`, `hr_resize_y`); absent when a scale is given. */
  resize?: { width: number; height: number };
  denoise?: number;
  upscaler?: string;
  steps?: number;
}

export type HiresOptionResult = { ok: true; hires: HiresOption } | { ok: false; problem: Message };

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

/** Reads a member's `hires` option (syntax above); refuses with one sentence. */
export function parseHiresOption(text: string, limits: HiresOptionLimits = {}): HiresOptionResult {
  const maxScale = limits.maxScale ?? 4;
  const maxSteps = limits.maxSteps ?? 150;
  const [first, ...rest] = text
    .trim()
    .split(/[\s,]+/)
    .filter((token) => token !== '');
  if (first === undefined) return { ok: false, problem: msg('refusals.hires.empty') };

  const hires: HiresOption = {};
  const size = SIZE.exec(first);
  const scale = SCALE.exec(first);
  if (size !== null) {
    const width = Number(size[1]);
    const height = Number(size[2]);
    if (width < 64 || height < 64) {
      return { ok: false, problem: msg('refusals.hires.tooSmall', { width, height, min: 64 }) };
    }
    hires.resize = { width, height };
  } else if (scale !== null) {
    const value = Number(scale[1] ?? scale[2]);
    if (!(value > 1) || value > maxScale) {
      return { ok: false, problem: msg('refusals.hires.scaleRange', { value, max: maxScale }) };
    }
    hires.scale = value;
  } else {
    return { ok: false, problem: msg('refusals.hires.notScaleOrSize', { text: first }) };
  }

  const upscaler: string[] = [];
  for (const token of rest) {
    const steps = STEPS.exec(token);
    if (steps !== null) {
      const value = Number(steps[1]);
      if (hires.steps !== undefined) return { ok: false, problem: msg('refusals.hires.stepsTwice') };
      if (value < 1 || value > maxSteps) {
        return { ok: false, problem: msg('refusals.hires.stepsRange', { value, max: maxSteps }) };
      }
      hires.steps = value;
    } else if (DECIMAL.test(token) && Number(token) <= 1) {
      if (hires.denoise !== undefined) return { ok: false, problem: msg('refusals.hires.denoiseTwice') };
      const value = Number(token);
      if (value <= 0) return { ok: false, problem: msg('refusals.hires.denoiseZero') };
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

/**
 * The pixel budget counted on the final size: each image against MAX_PIXELS, all of them against
 * MAX_TOTAL_PIXELS. Empty when it fits; otherwise one message per limit, naming the numbers, with
 * the largest scale that fits (or, when none does, to shrink the first pass).
 */
export function checkHiresBudget(input: HiresBudgetInput, limits: PixelLimits): Message[] {
  const problems: Message[] = [];
  const fits = maxHiresScale(input.width, input.height, input.count, limits);
  const pixels = input.finalWidth * input.finalHeight;
  const sizes = {
    width: input.width,
    height: input.height,
    finalWidth: input.finalWidth,
    finalHeight: input.finalHeight,
  };
  if (pixels > limits.maxPixels) {
    const params = { ...sizes, pixels, limit: limits.maxPixels };
    problems.push(
      fits > 1
        ? msg('refusals.hires.perImageScaleFits', { ...params, fits })
        : msg('refusals.hires.perImageSmaller', params),
    );
  }
  const total = pixels * input.count;
  if (limits.maxTotalPixels !== undefined && total > limits.maxTotalPixels) {
    const params = { ...sizes, count: input.count, total, limit: limits.maxTotalPixels };
    if (input.count === 1) {
      problems.push(
        fits > 1
          ? msg('refusals.hires.totalOneScaleFits', { ...params, fits })
          : msg('refusals.hires.totalOneSmaller', params),
      );
    } else {
      problems.push(
        fits > 1
          ? msg('refusals.hires.totalScaleFits', { ...params, fits })
          : msg('refusals.hires.totalSmaller', params),
      );
    }
  }
  return problems;
}
