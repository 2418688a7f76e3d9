import { describe, expect, it } from 'vitest';
import type { HiresOptionResult } from '../../src/generation/hires.js';
import {
  checkHiresBudget,
  hiresFinalSize,
  hiresTargetSize,
  maxHiresScale,
  parseHiresOption,
} from '../../src/generation/hires.js';
import { render } from '../../src/i18n/translate.js';

/** The budget's problems in English. */
const budget = (...args: Parameters<typeof checkHiresBudget>) =>
  checkHiresBudget(...args).map((problem) => render(problem));

/** The result with its problem in English. */
const english = (result: HiresOptionResult) =>
  result.ok ? result : { ok: false, problem: render(result.problem) };

describe('parseHiresOption', () => {
  it.each([
    ['2', { scale: 2 }],
    ['1.5x', { scale: 1.5 }],
    ['1.5X', { scale: 1.5 }],
    ['x1.5', { scale: 1.5 }],
    ['  2x  ', { scale: 2 }],
    ['4', { scale: 4 }],
    ['2x R-ESRGAN 4x+ 0.4', { scale: 2, upscaler: 'R-ESRGAN 4x+', denoise: 0.4 }],
    ['1.5 0.55 Latent steps=12', { scale: 1.5, denoise: 0.55, upscaler: 'Latent', steps: 12 }],
    ['2 Latent (nearest-exact)', { scale: 2, upscaler: 'Latent (nearest-exact)' }],
    ['2 4x-UltraSharp', { scale: 2, upscaler: '4x-UltraSharp' }],
    ['2 ESRGAN 4x', { scale: 2, upscaler: 'ESRGAN 4x' }],
    ['2, 0.3, Lanczos', { scale: 2, denoise: 0.3, upscaler: 'Lanczos' }],
    ['2 .35', { scale: 2, denoise: 0.35 }],
    ['2 1', { scale: 2, denoise: 1 }],
    ['2 STEPS:8', { scale: 2, steps: 8 }],
    ['1536x1024', { resize: { width: 1536, height: 1024 } }],
    ['1536×1024 0.5', { resize: { width: 1536, height: 1024 }, denoise: 0.5 }],
  ])('reads %j', (text, hires) => {
    expect(parseHiresOption(text)).toEqual({ ok: true, hires });
  });

  it.each([
    [
      '',
      'The hires option is empty. Write a scale first, such as 2 or 1.5x, then optionally a denoise such as 0.4 and an upscaler.',
    ],
    [
      'Latent 2',
      '"Latent" is not a scale or a size. Write a scale first, such as 2 or 1.5x, then optionally a denoise such as 0.4 and an upscaler.',
    ],
    ['1', 'A hires scale of 1 is out of range; use more than 1 and at most 4.'],
    ['0.5x', 'A hires scale of 0.5 is out of range; use more than 1 and at most 4.'],
    ['4.5', 'A hires scale of 4.5 is out of range; use more than 1 and at most 4.'],
    ['32x32', '32×32 is too small for hires fix; each side needs 64 pixels.'],
    ['2 0', 'A hires denoise of 0 changes nothing; use more than 0, up to 1.'],
    ['2 0.4 0.5', 'The hires option gives a denoise twice.'],
    ['2 steps=0', 'Hires steps must be from 1 to 150; 0 is out of range.'],
    ['2 steps=151', 'Hires steps must be from 1 to 150; 151 is out of range.'],
    ['2 steps=5 steps=6', 'The hires option gives steps twice.'],
  ])('refuses %j', (text, problem) => {
    expect(english(parseHiresOption(text))).toEqual({ ok: false, problem });
  });

  it('takes its limits as parameters', () => {
    expect(english(parseHiresOption('3', { maxScale: 2 }))).toEqual({
      ok: false,
      problem: 'A hires scale of 3 is out of range; use more than 1 and at most 2.',
    });
    expect(english(parseHiresOption('2 steps=40', { maxSteps: 30 }))).toEqual({
      ok: false,
      problem: 'Hires steps must be from 1 to 30; 40 is out of range.',
    });
  });
});

describe('hiresFinalSize', () => {
  it.each([
    [512, 512, 2, {}, 1024, 1024],
    [512, 768, 1.5, {}, 768, 1152],
    [512, 512, 1.3, {}, 664, 664],
    [600, 400, 1.25, {}, 744, 496],
    [512, 512, 1.3, { multiple: 64 } as const, 640, 640],
    [512, 512, 1.3, { multiple: 64, round: 'up' } as const, 704, 704],
    [832, 1216, 1.5, { multiple: 64, round: 'up' } as const, 1280, 1856],
    [100, 72, 1.1, { multiple: 64, round: 'up' } as const, 128, 128],
    [40, 40, 1.1, { multiple: 64 } as const, 64, 64],
  ])('enlarges %i×%i by %d (%j) to %i×%i', (width, height, scale, options, finalWidth, finalHeight) => {
    expect(hiresFinalSize(width, height, scale, options)).toEqual({ width: finalWidth, height: finalHeight });
  });
});

describe('hiresTargetSize', () => {
  it('uses the final size of the option when it gives one', () => {
    expect(hiresTargetSize(512, 512, { resize: { width: 1540, height: 1030 } })).toEqual({
      width: 1536,
      height: 1024,
    });
  });

  it('scales the first pass otherwise', () => {
    expect(hiresTargetSize(512, 768, { scale: 2 }, { multiple: 64 })).toEqual({ width: 1024, height: 1536 });
  });
});

describe('maxHiresScale', () => {
  it.each([
    [512, 512, 1, { maxPixels: 1024 * 1024 }, 2],
    [512, 512, 1, { maxPixels: 1_000_000 }, 1.95],
    [512, 512, 4, { maxPixels: 1024 * 1024, maxTotalPixels: 2 * 1024 * 1024 }, 1.41],
    [1024, 1024, 1, { maxPixels: 1024 * 1024 }, 1],
  ])('allows %i×%i ×%i at most the scale under %j', (width, height, count, limits, scale) => {
    expect(maxHiresScale(width, height, count, limits)).toBe(scale);
  });
});

describe('checkHiresBudget', () => {
  const limits = { maxPixels: 1_048_576, maxTotalPixels: 2_097_152 };

  it('passes when the final size fits both limits', () => {
    expect(
      budget({ width: 512, height: 512, finalWidth: 1024, finalHeight: 1024, count: 2 }, limits),
    ).toEqual([]);
  });

  it('counts the final size, not the first pass, against MAX_PIXELS', () => {
    expect(
      budget({ width: 512, height: 512, finalWidth: 1536, finalHeight: 1536, count: 1 }, limits),
    ).toEqual([
      'Hires fix enlarges 512×512 to 1536×1536, 2359296 pixels per image; the limit (MAX_PIXELS) is 1048576. A scale of at most 2 fits.',
      '1 image of 1536×1536 after hires fix is 2359296 pixels in all; the limit (MAX_TOTAL_PIXELS) is 2097152 pixels per request. A scale of at most 2 fits.',
    ]);
  });

  it('counts every image against MAX_TOTAL_PIXELS', () => {
    expect(
      budget({ width: 512, height: 512, finalWidth: 1024, finalHeight: 1024, count: 4 }, limits),
    ).toEqual([
      '4 images of 1024×1024 after hires fix is 4194304 pixels in all; the limit (MAX_TOTAL_PIXELS) is 2097152 pixels per request. A scale of at most 1.41 fits.',
    ]);
  });

  it('says to shrink the first pass when no scale fits', () => {
    expect(
      budget(
        { width: 1024, height: 1024, finalWidth: 2048, finalHeight: 2048, count: 1 },
        { maxPixels: 1_048_576 },
      ),
    ).toEqual([
      'Hires fix enlarges 1024×1024 to 2048×2048, 4194304 pixels per image; the limit (MAX_PIXELS) is 1048576. Choose a smaller first size or fewer images.',
    ]);
  });

  it('skips the total when MAX_TOTAL_PIXELS is not set', () => {
    expect(
      budget(
        { width: 512, height: 512, finalWidth: 1024, finalHeight: 1024, count: 8 },
        { maxPixels: 1_048_576 },
      ),
    ).toEqual([]);
  });
});
