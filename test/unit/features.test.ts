import { describe, expect, it } from 'vitest';
import { UNPROBED_CAPABILITIES } from '../../src/engines/a1111/engine.js';
import { type FeatureContext, toFeatureFields } from '../../src/engines/a1111/features.js';
import type { Capabilities, Dialect, GenerateRequest } from '../../src/engines/types.js';
import { oneVariant } from '../../src/generation/derive.js';
import {
  applyFamilyDefaults,
  familyOfModel,
  type FeatureContext as IntakeContext,
  planVariants,
  readLoras,
  resolveFeatures,
  toEffectiveFeatures,
} from '../../src/generation/features.js';
import type { GenerationParams } from '../../src/generation/request.js';
import { type Message, render } from '../../src/i18n/translate.js';
import { runInSequence } from '../../src/jobs/attempt.js';
import { canRun } from '../../src/jobs/eligibility.js';

/** A one-problem result with its problem in English. */
const english = <T extends { ok: boolean }>(result: T | { ok: false; problem: Message }) =>
  'problem' in result ? { ok: false, problem: render(result.problem) } : result;

const caps = (dialect: Dialect, extra: Partial<Capabilities> = {}): Capabilities => ({
  ...UNPROBED_CAPABILITIES,
  dialect,
  loras: true,
  styles: true,
  hires: true,
  ...extra,
});

const LORAS = [
  { name: 'pixel-art-xl-v1.1', alias: 'pixel-art-xl', path: 'styles/pixel-art-xl.safetensors' },
  { name: 'add_detail', alias: 'add_detail', path: 'add_detail.safetensors' },
];

const context = (dialect: Dialect, extra: Partial<FeatureContext> = {}): FeatureContext => ({
  capabilities: caps(dialect),
  loras: LORAS,
  sdModules: ['ae.safetensors', 'clip_l.safetensors', 't5xxl_fp16.safetensors'],
  detailer: 'none',
  ...extra,
});

const REQUEST: Pick<
  GenerateRequest,
  'kind' | 'prompt' | 'loras' | 'styles' | 'hires' | 'adetailer' | 'distilledCfg' | 'family'
> = {
  kind: 'txt2img',
  prompt: 'a castle',
  loras: [{ name: 'pixel-art-xl-v1.1', weight: 0.8 }],
};

describe('toFeatureFields', () => {
  it.each<[Dialect, string, unknown]>([
    ['a1111', 'a castle <lora:pixel-art-xl:0.8>', undefined],
    ['forge', 'a castle <lora:pixel-art-xl:0.8>', undefined],
    ['forge-neo', 'a castle <lora:pixel-art-xl:0.8>', undefined],
    ['reforge', 'a castle <lora:pixel-art-xl:0.8>', undefined],
    ['sdnext', 'a castle <lora:pixel-art-xl-v1.1:0.8>', undefined],
    ['sdcpp', 'a castle', [{ path: 'styles/pixel-art-xl.safetensors', multiplier: 0.8 }]],
    ['koboldcpp', 'a castle', [{ path: 'styles/pixel-art-xl.safetensors', multiplier: 0.8 }]],
  ])('writes a LoRA the way %s takes it', (dialect, prompt, lora) => {
    const wire = toFeatureFields(REQUEST, context(dialect));
    expect(wire.prompt).toBe(prompt);
    expect(wire.fields.lora).toEqual(lora);
  });

  it('sends no LoRA where the server has none', () => {
    const wire = toFeatureFields(
      REQUEST,
      context('a1111', { capabilities: caps('a1111', { loras: false }) }),
    );
    expect(wire.prompt).toBe('a castle');
  });

  it.each<[Dialect, Record<string, unknown>]>([
    [
      'a1111',
      { enable_hr: true, hr_scale: 2, hr_resize_x: 1024, hr_resize_y: 1024, hr_second_pass_steps: 6 },
    ],
    ['forge', { hr_second_pass_steps: 6, hr_additional_modules: ['Use same choices'] }],
    ['forge-neo', { hr_additional_modules: ['Use same choices'] }],
    ['sdcpp', { enable_hr: true, hr_steps: 6 }],
  ])('writes hires fix the way %s takes it', (dialect, expected) => {
    const wire = toFeatureFields(
      { ...REQUEST, loras: [], hires: { scale: 2, width: 1024, height: 1024, denoise: 0.4, steps: 6 } },
      context(dialect),
    );
    expect(wire.fields).toMatchObject({ ...expected, denoising_strength: 0.4 });
    if (dialect === 'sdcpp' || dialect === 'a1111')
      expect(wire.fields).not.toHaveProperty('hr_additional_modules');
  });

  it('never sends hires fix on img2img', () => {
    const wire = toFeatureFields(
      { ...REQUEST, kind: 'img2img', hires: { scale: 2, width: 1024, height: 1024, denoise: 0.4 } },
      context('a1111'),
    );
    expect(wire.fields).not.toHaveProperty('enable_hr');
  });

  it.each<[FeatureContext['detailer'], boolean | undefined, Record<string, unknown>]>([
    [
      'adetailer',
      true,
      { alwayson_scripts: { ADetailer: { args: [true, false, { ad_model: 'face_yolov8n.pt' }] } } },
    ],
    ['adetailer', undefined, { alwayson_scripts: { ADetailer: { args: [false] } } }],
    ['sdnext', true, { detailer_enabled: true }],
    ['sdnext', undefined, { detailer_enabled: false }],
    ['none', true, {}],
    ['none', undefined, {}],
  ])('with detailer %s and adetailer %s sends %j', (detailer, adetailer, expected) => {
    const wire = toFeatureFields({ ...REQUEST, loras: [], adetailer }, context('a1111', { detailer }));
    expect(wire.fields).toEqual(expected);
  });

  it('gives Flux on Forge its distilled cfg and modules, and nothing of that elsewhere', () => {
    const flux = { ...REQUEST, loras: [], family: 'flux' as const, distilledCfg: 3.5 };
    const forge = toFeatureFields(flux, context('forge'));
    expect(forge.fields.distilled_cfg_scale).toBe(3.5);
    expect(forge.overrides.forge_additional_modules).toEqual([
      'ae.safetensors',
      'clip_l.safetensors',
      't5xxl_fp16.safetensors',
    ]);
    const a1111 = toFeatureFields(flux, context('a1111'));
    expect(a1111.fields).not.toHaveProperty('distilled_cfg_scale');
    expect(a1111.overrides).toEqual({});
  });

  it('sends styles only where the server has them', () => {
    expect(toFeatureFields({ ...REQUEST, styles: ['Cinematic'] }, context('a1111')).fields.styles).toEqual([
      'Cinematic',
    ]);
    expect(
      toFeatureFields(
        { ...REQUEST, styles: ['Cinematic'] },
        context('sdcpp', { capabilities: caps('sdcpp', { styles: false }) }),
      ).fields.styles,
    ).toBeUndefined();
  });
});

const REQUEST_BASE: GenerateRequest = {
  kind: 'txt2img',
  prompt: '',
  negativePrompt: '',
  seed: 1,
  sampler: 'Euler',
  scheduler: undefined,
  steps: 20,
  cfgScale: 7,
  width: 512,
  height: 512,
  count: 1,
  model: undefined,
};

const PARAMS: GenerationParams = {
  prompt: 'a castle',
  negativePrompt: 'blurry',
  seed: -1,
  steps: 20,
  cfgScale: 7,
  width: 512,
  height: 512,
  count: 1,
  sampler: 'Euler',
  scheduler: 'Automatic',
  model: undefined,
};

const LIMITS = { maxLoras: 4, maxHiresScale: 2 };

const intake = (extra: Partial<IntakeContext> = {}): IntakeContext => ({
  features: toEffectiveFeatures(undefined, LIMITS),
  lists: {
    loras: LORAS,
    styles: [{ name: 'Cinematic', prompt: '', negativePrompt: '' }],
    upscalers: ['Latent', 'R-ESRGAN 4x+'],
  },
  available: { loras: true, styles: true, hires: true, adetailer: true },
  pixels: { maxPixels: 1024 * 1024, maxTotalPixels: 2 * 1024 * 1024 },
  img2img: false,
  ...extra,
});

describe('resolveFeatures', () => {
  it('counts the pixel budget on the final hires size, per image and per request', () => {
    const one = resolveFeatures(PARAMS, { loras: [], hires: '2' }, intake());
    expect(one.ok && one.params.hires).toEqual({
      scale: 2,
      width: 1024,
      height: 1024,
      upscaler: undefined,
      denoise: 0.5,
      steps: undefined,
    });
    const three = resolveFeatures({ ...PARAMS, count: 3 }, { loras: [], hires: '2' }, intake());
    expect(three.ok).toBe(false);
    expect(!three.ok && three.problems.map((problem) => render(problem)).join(' ')).toContain(
      '3 images of 1024×1024 after hires fix is 3145728 pixels',
    );
    const big = resolveFeatures({ ...PARAMS, width: 768, height: 768 }, { loras: [], hires: '2' }, intake());
    expect(!big.ok && render(big.problems[0] as Message)).toContain(
      'Hires fix enlarges 768×768 to 1536×1536',
    );
  });

  it('refuses a hires scale above the server’s limit and an unknown upscaler with the closest', () => {
    const result = resolveFeatures(
      PARAMS,
      { loras: [], hires: '1.5 R-ESRGAN 4x' },
      intake({ features: toEffectiveFeatures({ maxHiresScale: 1.4 }, LIMITS) }),
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((problem) => render(problem)).join('\n')).toMatch(
      /at most 1\.4/,
    );
  });

  it('refuses an unknown LoRA naming the closest, and keeps known ones by their listed name', () => {
    const unknown = resolveFeatures(PARAMS, { loras: [{ name: 'pixelart-xl', weight: 1 }] }, intake());
    expect(!unknown.ok && render(unknown.problems[0] as Message)).toBe(
      'Unknown LoRA "pixelart-xl". Closest: `pixel-art-xl-v1.1`, `add_detail`. Use /loras to see them all.',
    );
    const known = resolveFeatures(PARAMS, { loras: [{ name: 'pixel-art-xl', weight: 0.5 }] }, intake());
    expect(known.ok && known.params.loras).toEqual([{ name: 'pixel-art-xl-v1.1', weight: 0.5 }]);
  });

  it('refuses a feature the Discord server turned off', () => {
    const off = toEffectiveFeatures({ allowed: { adetailer: false } }, LIMITS);
    const result = resolveFeatures(PARAMS, { loras: [], adetailer: true }, intake({ features: off }));
    expect(!result.ok && result.problems.map((problem) => render(problem))).toEqual([
      'ADetailer is turned off on this Discord server.',
    ]);
  });

  it('merges a style the admins defined into both prompts', () => {
    const features = toEffectiveFeatures(
      { styles: [{ name: 'Ink', prompt: 'ink drawing of {prompt}', negativePrompt: 'color' }] },
      LIMITS,
    );
    const result = resolveFeatures(PARAMS, { loras: [], style: 'ink' }, intake({ features }));
    expect(result.ok && [result.params.prompt, result.params.negativePrompt]).toEqual([
      'ink drawing of a castle',
      'blurry, color',
    ]);
  });
});

describe('readLoras', () => {
  it('takes LoRA tags out of the prompt and adds the option’s, within the limit', () => {
    const result = readLoras('a castle, <lora:add_detail:0.6>', 'pixel-art-xl:0.8', 4);
    expect(result).toEqual({
      ok: true,
      value: {
        prompt: 'a castle',
        loras: [
          { name: 'add_detail', weight: 0.6 },
          { name: 'pixel-art-xl', weight: 0.8 },
        ],
      },
    });
    expect(english(readLoras('x <lora:a:1>', 'b, c', 2))).toEqual({
      ok: false,
      problem: 'That is 3 LoRAs; at most 2 are allowed per request.',
    });
  });
});

describe('planVariants', () => {
  it('gives one labelled prompt per variant within the image count', () => {
    expect(planVariants('a {red|blue} {apple|pear}', 1, 4, true)).toEqual({
      ok: true,
      value: {
        variants: [
          { prompt: 'a red apple', label: 'red · apple' },
          { prompt: 'a red pear', label: 'red · pear' },
          { prompt: 'a blue apple', label: 'blue · apple' },
          { prompt: 'a blue pear', label: 'blue · pear' },
        ],
      },
    });
  });

  it('refuses more images than the limit, and variants where they are off', () => {
    const many = planVariants('a {red|blue|green} apple', 2, 4, true);
    expect(!many.ok && render(many.problem)).toContain('that is 6 images, and the limit is 4');
    expect(english(planVariants('a {red|blue} apple', 1, 4, false))).toEqual({
      ok: false,
      problem: 'Prompt variants ({a|b}) are turned off on this Discord server.',
    });
  });

  it('gives no variants for a prompt without choices or with escaped braces', () => {
    expect(planVariants('a \\{red|blue\\} apple', 1, 4, true)).toEqual({ ok: true, value: { variants: [] } });
  });
});

describe('applyFamilyDefaults', () => {
  const ctx = {
    typed: { cfgScale: false, size: false, scheduler: false },
    serverSize: false,
    aspect: undefined,
    maxPixels: 1024 * 1024,
    maxTotalPixels: 4 * 1024 * 1024,
    schedulers: ['Automatic', 'Simple', 'Karras'],
  };

  it.each<[string, Partial<GenerationParams>]>([
    ['sd_xl_base_1.0.safetensors', { family: 'sdxl', width: 1024, height: 1024, cfgScale: 6 }],
    ['v1-5-pruned-emaonly.safetensors', { family: 'sd1', width: 512, height: 512, cfgScale: 7 }],
    [
      'flux1-dev.safetensors',
      { family: 'flux', width: 1024, height: 1024, cfgScale: 1, distilledCfg: 3.5, scheduler: 'Simple' },
    ],
  ])('gives %s its family’s defaults', (title, expected) => {
    const family = familyOfModel({ title }, {});
    expect(applyFamilyDefaults(PARAMS, family, ctx)).toMatchObject(expected);
  });

  it('keeps what the member typed and says Flux ignores the negative prompt', () => {
    const next = applyFamilyDefaults(PARAMS, 'flux', {
      ...ctx,
      typed: { cfgScale: true, size: true, scheduler: true },
    });
    expect([next.cfgScale, next.width, next.scheduler]).toEqual([7, 512, 'Automatic']);
    expect(next.notes).toEqual(['Flux models ignore the negative prompt.']);
  });

  it('uses the family’s area for an aspect preset', () => {
    expect(applyFamilyDefaults(PARAMS, 'sdxl', { ...ctx, aspect: '16:9' })).toMatchObject({
      width: 1360,
      height: 768,
    });
  });

  it('reads the family from the shapes of the embeddings loaded with a checkpoint before its name', () => {
    expect(familyOfModel({ title: 'mystery.safetensors' }, {}, [2048, 2048])).toBe('sdxl');
    expect(familyOfModel({ title: 'sd_xl_base_1.0.safetensors' }, {}, [768])).toBe('sd1');
    expect(familyOfModel({ title: 'flux1-dev.safetensors' }, {}, [768])).toBe('flux');
  });

  it('follows an admin’s family for a checkpoint', () => {
    expect(familyOfModel({ title: 'mystery.safetensors' }, { 'mystery.safetensors': 'sdxl' })).toBe('sdxl');
  });
});

describe('canRun', () => {
  const facts = (extra: Partial<Parameters<typeof canRun>[1]> = {}) => ({
    capabilities: caps('a1111'),
    loadedModel: undefined,
    sameModel: (a: string, b: string) => a === b,
    ...extra,
  });
  const job = (params: Partial<GenerationParams>) => ({
    kind: 'txt2img' as const,
    params: { ...PARAMS, ...params },
  });

  it.each<[string, Partial<GenerationParams>, Partial<Parameters<typeof canRun>[1]>, boolean]>([
    ['a LoRA the server lists', { loras: [{ name: 'add_detail', weight: 1 }] }, { loras: LORAS }, true],
    ['a LoRA the server lacks', { loras: [{ name: 'other', weight: 1 }] }, { loras: LORAS }, false],
    ['a LoRA where the list is not known yet', { loras: [{ name: 'other', weight: 1 }] }, {}, true],
    [
      'a LoRA where the server has none',
      { loras: [{ name: 'add_detail', weight: 1 }] },
      { capabilities: caps('a1111', { loras: false }) },
      false,
    ],
    ['ADetailer where it is missing', { adetailer: true }, {}, false],
    [
      'ADetailer where it is installed',
      { adetailer: true },
      { capabilities: caps('a1111', { adetailer: true }) },
      true,
    ],
    ['a style the server lacks', { styles: ['Cinematic'] }, { styles: ['Sharp'] }, false],
    [
      'hires where the server has none',
      { hires: { scale: 2, width: 1024, height: 1024, denoise: 0.5 } },
      { capabilities: caps('a1111', { hires: false }) },
      false,
    ],
  ])('decides %s', (_label, params, extra, expected) => {
    expect(canRun(job(params), facts(extra))).toBe(expected);
  });
});

describe('oneVariant', () => {
  const parent: GenerationParams = {
    ...PARAMS,
    prompt: 'a {red|blue} apple',
    count: 2,
    variants: [
      { prompt: 'a red apple', label: 'red' },
      { prompt: 'a blue apple', label: 'blue' },
    ],
  };

  it.each([
    [0, 'a red apple'],
    [1, 'a red apple'],
    [2, 'a blue apple'],
    [3, 'a blue apple'],
  ])('keeps image %i’s variant alone', (index, prompt) => {
    const child = oneVariant(parent, index);
    expect([child.prompt, child.variants]).toEqual([prompt, undefined]);
  });

  it('drops the variants without an image (a remix brings its own prompt)', () => {
    expect(oneVariant(parent, undefined).variants).toBeUndefined();
  });
});

describe('runInSequence', () => {
  const result = (name: string, seed: number) => ({
    images: [Buffer.from(name)],
    seeds: [seed],
    model: 'm',
    modelHash: null,
    sampler: null,
    infotexts: [name],
  });

  it('sends one request after another and joins their images in order', async () => {
    const started: string[] = [];
    const run = runInSequence(
      [
        { ...REQUEST_BASE, prompt: 'a red apple' },
        { ...REQUEST_BASE, prompt: 'a blue apple' },
      ],
      (request, last) => {
        started.push(`${request.prompt}${last ? ' (last)' : ''}`);
        return {
          result: Promise.resolve(result(request.prompt, started.length)),
          cancel: async () => 'discard',
        };
      },
    );
    const joined = await run.result;
    expect(started).toEqual(['a red apple', 'a blue apple (last)']);
    expect(joined.images.map(String)).toEqual(['a red apple', 'a blue apple']);
    expect(joined.seeds).toEqual([1, 2]);
  });

  it('sends no more requests after a cancel', async () => {
    const started: string[] = [];
    let finish: (value: ReturnType<typeof result>) => void = () => undefined;
    const run = runInSequence(
      [
        { ...REQUEST_BASE, prompt: 'one' },
        { ...REQUEST_BASE, prompt: 'two' },
      ],
      (request) => {
        started.push(request.prompt);
        return {
          result: new Promise((resolve) => {
            finish = resolve;
          }),
          cancel: async () => 'interrupted',
        };
      },
    );
    expect(await run.cancel()).toBe('interrupted');
    finish(result('one', 1));
    expect((await run.result).images).toHaveLength(1);
    expect(started).toEqual(['one']);
  });
});
