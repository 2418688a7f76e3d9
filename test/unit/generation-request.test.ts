import { describe, expect, it } from 'vitest';
import { toTxt2ImgRequest } from '../../src/engines/a1111/wire.js';
import { resolveAgainstCatalog } from '../../src/generation/prepare.js';
import { validateImagineInput } from '../../src/generation/request.js';
import { render } from '../../src/i18n/translate.js';
import { UserError } from '../../src/user-error.js';

const defaults = {
  steps: 20,
  cfgScale: 7,
  width: 512,
  height: 512,
  sampler: 'DPM++ 2M',
  scheduler: 'Karras',
  negativePrompt: '',
};
const limits = { maxSteps: 50, maxPixels: 1024 * 1024, maxCount: 4, maxPromptLength: 1000 };

const samplers = ['DPM++ 2M', 'DPM++ SDE', 'Euler a', 'Euler', 'DDIM'].map((name) => ({ name, aliases: [] }));
const schedulers = [
  { name: 'automatic', label: 'Automatic', aliases: [] },
  { name: 'karras', label: 'Karras', aliases: [] },
  { name: 'exponential', label: 'Exponential', aliases: [] },
];
const models = [
  {
    title: 'chilloutmix-Ni.safetensors [7234b76e42]',
    model_name: 'chilloutmix-Ni',
    hash: '7234b76e42',
    sha256: null,
    filename: '/m/chilloutmix-Ni.safetensors',
  },
  {
    title: 'v1-5-pruned-emaonly.safetensors [6ce0161689]',
    model_name: 'v1-5-pruned-emaonly',
    hash: '6ce0161689',
    sha256: null,
    filename: '/m/v1-5-pruned-emaonly.safetensors',
  },
];

function validParams(input: Parameters<typeof validateImagineInput>[0]) {
  const result = validateImagineInput(input, defaults, limits);
  if (!result.ok) throw new Error(result.problems.map((problem) => render(problem)).join('; '));
  return result.params;
}

describe('toTxt2ImgRequest', () => {
  it('maps the seed payload to the equivalent split-sampler body', () => {
    const params = validParams({
      prompt: 'apple',
      negativePrompt: 'red',
      sampler: 'DPM++ 2M Karras',
      seed: 985454925,
      cfgScale: 7,
      steps: 20,
      width: 512,
      height: 512,
    });
    const resolved = resolveAgainstCatalog(params, { samplers, schedulers, models }, undefined);
    expect(toTxt2ImgRequest(resolved)).toEqual({
      prompt: 'apple',
      negative_prompt: 'red',
      seed: 985454925,
      sampler_name: 'DPM++ 2M',
      scheduler: 'Karras',
      steps: 20,
      cfg_scale: 7,
      width: 512,
      height: 512,
      batch_size: 1,
      n_iter: 1,
    });
  });

  it.each([
    [
      { prompt: 'a cat' },
      {
        sampler_name: 'DPM++ 2M',
        scheduler: 'Karras',
        steps: 20,
        cfg_scale: 7,
        seed: -1,
        width: 512,
        height: 512,
      },
    ],
    [{ prompt: 'a cat', seed: -1 }, { seed: -1 }],
    [
      { prompt: 'a cat', count: 4 },
      { batch_size: 4, n_iter: 1 },
    ],
    [{ prompt: 'a cat', sampler: 'Euler a' }, { sampler_name: 'Euler a' }],
    [
      { prompt: 'a cat', aspect: '16:9' },
      { width: 680, height: 384 },
    ],
    [
      { prompt: 'a cat', aspect: '2:3' },
      { width: 416, height: 624 },
    ],
    [
      { prompt: 'a cat', model: 'chilloutmix-Ni' },
      { override_settings: { sd_model_checkpoint: 'chilloutmix-Ni.safetensors [7234b76e42]' } },
    ],
  ])('maps %j', (input, expected) => {
    const resolved = resolveAgainstCatalog(validParams(input), { samplers, schedulers, models }, undefined);
    expect(toTxt2ImgRequest(resolved)).toMatchObject(expected);
  });

  it('omits the scheduler on a server without schedulers and keeps the name whole', () => {
    const sdnext = [...samplers, { name: 'DPM++ 2M Karras', aliases: [] }];
    const resolved = resolveAgainstCatalog(
      validParams({ prompt: 'x', sampler: 'DPM++ 2M Karras' }),
      { samplers: sdnext, schedulers: null, models },
      undefined,
    );
    const body = toTxt2ImgRequest(resolved);
    expect(body.sampler_name).toBe('DPM++ 2M Karras');
    expect(body).not.toHaveProperty('scheduler');
  });

  it('carries the fallback model explicitly when the member chose none', () => {
    const resolved = resolveAgainstCatalog(
      validParams({ prompt: 'x' }),
      { samplers, schedulers, models },
      'v1-5-pruned-emaonly',
    );
    expect(toTxt2ImgRequest(resolved).override_settings).toEqual({
      sd_model_checkpoint: 'v1-5-pruned-emaonly.safetensors [6ce0161689]',
    });
  });
});

describe('resolveAgainstCatalog', () => {
  it('refuses an unknown sampler naming the valid ones', () => {
    expect(() =>
      resolveAgainstCatalog(
        validParams({ prompt: 'x', sampler: 'Bogus' }),
        { samplers, schedulers, models },
        undefined,
      ),
    ).toThrow(/Unknown sampler "Bogus".*DPM\+\+ 2M/);
  });

  it('refuses an unknown model naming the closest', () => {
    try {
      resolveAgainstCatalog(
        validParams({ prompt: 'x', model: 'chillout' }),
        { samplers, schedulers, models },
        undefined,
      );
      expect.unreachable();
    } catch (error: unknown) {
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toContain('chilloutmix-Ni.safetensors [7234b76e42]');
    }
  });

  it('refuses an unknown scheduler', () => {
    expect(() =>
      resolveAgainstCatalog(
        validParams({ prompt: 'x', sampler: 'Euler', scheduler: 'Nope' }),
        { samplers, schedulers, models },
        undefined,
      ),
    ).toThrow(/Unknown scheduler/);
  });
});

describe('validateImagineInput', () => {
  it.each([
    [{ prompt: '' }, /prompt is empty/],
    [{ prompt: 'x'.repeat(1001) }, /1001 characters; the limit is 1000/],
    [{ prompt: 'x', steps: 0 }, /Steps must be a whole number from 1 to 50/],
    [{ prompt: 'x', steps: 51 }, /Steps must be a whole number from 1 to 50/],
    [{ prompt: 'x', steps: Number.NaN }, /Steps/],
    [{ prompt: 'x', width: 500 }, /Width must be a multiple of 8/],
    [{ prompt: 'x', width: 2048, height: 2048 }, /limit is 1048576 pixels/],
    [{ prompt: 'x', width: -8 }, /Width must be a whole number/],
    [{ prompt: 'x', cfgScale: 31 }, /CFG scale/],
    [{ prompt: 'x', count: 5 }, /Count must be a whole number from 1 to 4/],
    [{ prompt: 'x', seed: 2 ** 40 }, /Seed/],
    [{ prompt: 'x', aspect: '5:4' }, /Unknown aspect ratio/],
    [{ prompt: 'x', aspect: '1:1', width: 512 }, /either an aspect ratio or a width/],
  ])('refuses %j', (input, message) => {
    const result = validateImagineInput(input, defaults, limits);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((problem) => render(problem)).join('\n')).toMatch(message);
  });

  it('lists every problem at once', () => {
    const result = validateImagineInput({ prompt: '', steps: 999, width: 7 }, defaults, limits);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.length).toBeGreaterThanOrEqual(3);
  });

  it('strips control characters from the prompt', () => {
    expect(validParams({ prompt: 'a\u0000 cat\u0007' }).prompt).toBe('a cat');
  });

  it('keeps aspect sizes within the pixel budget and multiples of 8', () => {
    for (const aspect of ['1:1', '3:2', '2:3', '4:3', '3:4', '16:9', '9:16']) {
      const params = validParams({ prompt: 'x', aspect });
      expect(params.width % 8).toBe(0);
      expect(params.height % 8).toBe(0);
      expect(params.width * params.height).toBeLessThanOrEqual(limits.maxPixels);
    }
  });
});
