import { describe, expect, it } from 'vitest';
import { toTxt2ImgRequest } from '../../src/engines/a1111/wire.js';
import { ASPECT_RATIOS } from '../../src/generation/aspect.js';
import {
  type GenerationDefaults,
  type GenerationLimits,
  type ImagineInput,
  validateImagineInput,
} from '../../src/generation/request.js';
import { render } from '../../src/i18n/translate.js';
import { createRandom, type Random } from './seeded-random.js';

const HOSTILE_NUMBERS = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  -1,
  -64,
  -512,
  0,
  0.5,
  7.999,
  63,
  64,
  65,
  512,
  513,
  2048,
  2049,
  2056,
  4_294_967_294,
  4_294_967_295,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e21,
  -1e21,
];

const HOSTILE_TEXT = [
  '',
  ' ',
  '\u0000\u0001\u0007\u001b[31m',
  '@everyone',
  '@here <@123456789012345678> <@&123456789012345678> <#123456789012345678>',
  '\u202e\u200b\u200d\ufeff',
  '**bold** `code` ||spoiler|| > quote',
  '😀'.repeat(600),
  'a'.repeat(1000),
  'a'.repeat(1001),
  'x'.repeat(10_000),
  '\n\t\r',
  '\ud800',
  'DPM++ 2M Karras',
  '../../etc/passwd',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal injection attempt is the point
  '${process.exit()}',
];

function maybe<T>(random: Random, make: () => T): T | undefined {
  return random.next() < 0.4 ? undefined : make();
}

function randomNumber(random: Random): number {
  const roll = random.next();
  if (roll < 0.4) return random.pick(HOSTILE_NUMBERS);
  if (roll < 0.7) return random.int(-5000, 5000);
  if (roll < 0.85) return random.int(8, 256) * 8;
  return (random.next() - 0.5) * 10 ** random.int(0, 12);
}

function randomText(random: Random): string {
  if (random.next() < 0.5) return random.pick(HOSTILE_TEXT);
  const length = random.int(0, 60);
  let out = '';
  for (let i = 0; i < length; i++) out += String.fromCharCode(random.int(0, 0x2fff));
  return out;
}

/** Mostly in range, sometimes at or just past an edge: where the interesting bugs live. */
function plausibleInput(random: Random): ImagineInput {
  const edge = (min: number, max: number) =>
    random.next() < 0.15 ? random.pick([min - 1, min, max, max + 1]) : random.int(min, max);
  return {
    prompt:
      random.next() < 0.1
        ? random.pick(HOSTILE_TEXT)
        : `a ${random.pick(['cat', 'lighthouse', '@everyone', 'tree'])}`,
    negativePrompt: maybe(random, () => random.pick(['', 'blurry', '\u0000x'])),
    seed: maybe(random, () => edge(-1, 4_294_967_294)),
    steps: maybe(random, () => edge(1, 150)),
    cfgScale: maybe(random, () => edge(1, 30) + random.pick([0, 0.25, 0.999])),
    width: maybe(random, () => (random.next() < 0.8 ? random.int(8, 256) * 8 : edge(64, 2048))),
    height: maybe(random, () => (random.next() < 0.8 ? random.int(8, 256) * 8 : edge(64, 2048))),
    aspect: random.next() < 0.3 ? random.pick(ASPECT_RATIOS) : undefined,
    sampler: maybe(random, () => random.pick(['Euler a', 'DPM++ 2M Karras'])),
    scheduler: undefined,
    count: maybe(random, () => edge(1, 4)),
    model: undefined,
  };
}

function randomInput(random: Random): ImagineInput {
  if (random.next() < 0.6) return plausibleInput(random);
  return {
    prompt: randomText(random),
    negativePrompt: maybe(random, () => randomText(random)),
    seed: maybe(random, () => randomNumber(random)),
    steps: maybe(random, () => randomNumber(random)),
    cfgScale: maybe(random, () => randomNumber(random)),
    width: maybe(random, () => randomNumber(random)),
    height: maybe(random, () => randomNumber(random)),
    aspect: maybe(random, () => (random.next() < 0.7 ? random.pick(ASPECT_RATIOS) : randomText(random))),
    sampler: maybe(random, () => randomText(random)),
    scheduler: maybe(random, () => randomText(random)),
    count: maybe(random, () => randomNumber(random)),
    model: maybe(random, () => randomText(random)),
  };
}

/** Valid operator settings, as parseConfig and /settings allow them. */
function randomSetup(random: Random): { defaults: GenerationDefaults; limits: GenerationLimits } {
  const maxPixels = random.pick([4096, 262_144, 1_048_576, 4_194_304, 16_777_216]);
  const maxCount = random.int(1, 4);
  let width = random.int(8, 256) * 8;
  let height = random.int(8, 256) * 8;
  while (width * height > maxPixels) {
    width = Math.max(64, width - 64);
    height = Math.max(64, height - 64);
  }
  return {
    defaults: {
      steps: random.int(1, 150),
      cfgScale: random.int(1, 30),
      width,
      height,
      sampler: 'Euler a',
      scheduler: 'Karras',
      negativePrompt: random.next() < 0.5 ? '' : 'blurry',
    },
    limits: {
      maxSteps: random.int(1, 150),
      maxPixels,
      maxCount,
      maxPromptLength: random.int(1, 1000),
      maxTotalPixels: random.next() < 0.2 ? undefined : maxPixels * random.int(1, maxCount),
    },
  };
}

const CASES = 5000;

describe('validateImagineInput under random and hostile input', () => {
  it(`never throws, and every accepted input maps to a valid txt2img body (${CASES} seeded cases)`, () => {
    const random = createRandom(0x5eed);
    let accepted = 0;
    for (let index = 0; index < CASES; index++) {
      const input = randomInput(random);
      const { defaults, limits } = randomSetup(random);
      const context = JSON.stringify({ index, input, defaults, limits });
      let result: ReturnType<typeof validateImagineInput>;
      try {
        result = validateImagineInput(input, defaults, limits);
      } catch (error: unknown) {
        throw new Error(`threw on case ${context}: ${String(error)}`);
      }
      if (!result.ok) {
        expect(result.problems.length, context).toBeGreaterThan(0);
        for (const problem of result.problems) expect(render(problem).length, context).toBeLessThan(500);
        continue;
      }
      accepted += 1;
      const body = toTxt2ImgRequest(result.params);
      const { width, height, steps, batch_size: count, cfg_scale: cfg, seed } = body;
      const valid =
        Number.isInteger(width) &&
        Number.isInteger(height) &&
        width % 8 === 0 &&
        height % 8 === 0 &&
        width >= 64 &&
        width <= 2048 &&
        height >= 64 &&
        height <= 2048 &&
        width * height <= limits.maxPixels &&
        (limits.maxTotalPixels === undefined || width * height * (count ?? 1) <= limits.maxTotalPixels) &&
        Number.isInteger(steps) &&
        steps >= 1 &&
        steps <= Math.max(limits.maxSteps, defaults.steps) &&
        Number.isInteger(count) &&
        (count ?? 0) >= 1 &&
        (count ?? 0) <= limits.maxCount &&
        Number.isFinite(cfg) &&
        cfg >= 1 &&
        cfg <= 30 &&
        Number.isInteger(seed) &&
        seed >= -1 &&
        seed <= 4_294_967_294 &&
        body.prompt.length > 0 &&
        body.prompt.length <= limits.maxPromptLength &&
        // biome-ignore lint/suspicious/noControlCharactersInRegex: checking that they are gone
        !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(body.prompt + (body.negative_prompt ?? ''));
      expect(valid, `invalid body ${JSON.stringify(body)} for ${context}`).toBe(true);
      expect(JSON.parse(JSON.stringify(body)), context).toEqual(body);
    }
    // The generator must exercise both outcomes, or the test proves nothing.
    expect(accepted).toBeGreaterThan(CASES / 20);
    expect(accepted).toBeLessThan(CASES);
  });

  it.each([
    ['a 10 000-character prompt', { prompt: 'x'.repeat(10_000) }, /10000 characters; the limit is 1000/],
    ['NaN steps', { prompt: 'x', steps: Number.NaN }, /Steps must be a whole number/],
    ['an infinite width', { prompt: 'x', width: Number.POSITIVE_INFINITY }, /Width must be a whole number/],
    ['a negative height', { prompt: 'x', height: -512 }, /Height must be a whole number from 64/],
    ['a size not a multiple of 8', { prompt: 'x', width: 516 }, /multiple of 8/],
    ['only control characters', { prompt: '\u0000\u0007' }, /The prompt is empty/],
    ['too many pixels in all', { prompt: 'x', width: 1024, height: 1024, count: 4 }, /MAX_TOTAL_PIXELS/],
  ])('refuses %s, naming the limit', (_label, input, message) => {
    const result = validateImagineInput(
      input,
      {
        steps: 20,
        cfgScale: 7,
        width: 512,
        height: 512,
        sampler: 'Euler a',
        scheduler: 'Karras',
        negativePrompt: '',
      },
      { maxSteps: 50, maxPixels: 1_048_576, maxCount: 4, maxPromptLength: 1000, maxTotalPixels: 2_097_152 },
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((problem) => render(problem)).join('\n')).toMatch(message);
  });
});
