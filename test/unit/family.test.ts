import { describe, expect, it } from 'vitest';
import {
  detectFamily,
  FAMILY_LABELS,
  type FamilyEvidence,
  familyDefaults,
  fluxModules,
  MODEL_FAMILIES,
} from '../../src/models/family.js';

/** Forge `/sd-modules` as a Flux-ready install lists it. */
const FLUX_MODULES = [
  'ae.safetensors',
  'clip_l.safetensors',
  't5xxl_fp16.safetensors',
  'sdxl_vae.safetensors',
];

describe('detectFamily', () => {
  it.each([
    ['v1-5-pruned-emaonly.safetensors [6ce0161689]', 'sd1'],
    ['sd-v1-4.ckpt', 'sd1'],
    ['SD 1.5 inpainting', 'sd1'],
    ['sd15_anything', 'sd1'],
    ['v2-1_768-ema-pruned.safetensors', 'sd2'],
    ['768-v-ema.ckpt', 'sd2'],
    ['512-base-ema.ckpt', 'sd2'],
    ['sd_2.1_base', 'sd2'],
    ['sd_xl_base_1.0.safetensors [31e35c80fc]', 'sdxl'],
    ['juggernautXL_v9Rundiffusionphoto2.safetensors', 'sdxl'],
    ['RealVisXL_V4.0', 'sdxl'],
    ['dreamshaperXL10_alpha2', 'sdxl'],
    ['ponyDiffusionV6_v6', 'sdxl'],
    ['illustriousXL_v01', 'sdxl'],
    ['noobaiEpsilonPred_v11', 'sdxl'],
    ['animagine-v3.1', 'sdxl'],
    ['flux1-dev-fp8.safetensors', 'flux'],
    ['FLUX.1-schnell', 'flux'],
    ['sd3_medium_incl_clips.safetensors', 'sd3'],
    ['sd_3.5_large', 'sd3'],
    ['sd3.5_large_turbo', 'sd3'],
    ['stable-diffusion-3-medium', 'sd3'],
  ])('reads the family of %j from its name', (name, family) => {
    expect(detectFamily({ name })).toEqual({ family, source: 'name' });
  });

  it.each([
    'chilloutmix-Ni',
    'realisticVisionV60B1_v51VAE',
    'pixelart_excellence',
    'model_v2-0_final',
    'sd100_merge',
    'schnell_painter',
  ])('knows nothing of %j', (name) => {
    expect(detectFamily({ name })).toEqual({ family: 'other', source: 'unknown' });
  });

  it('reads the file name when the title says nothing', () => {
    expect(
      detectFamily({ name: 'my model', filename: '/models/Stable-diffusion/myModel_XL.safetensors' }),
    ).toEqual({
      family: 'sdxl',
      source: 'name',
    });
  });

  it.each([
    ['Stable Diffusion XL', 'sdxl'],
    ['Stable Diffusion XL Refiner', 'sdxl'],
    ['Stable Diffusion 1.5', 'sd1'],
    ['Stable Diffusion', 'sd1'],
    ['Stable Diffusion 2', 'sd2'],
    ['Stable Diffusion 3', 'sd3'],
    ['FLUX', 'flux'],
    ['FLUX2Klein', 'flux'],
    ['sdxl', 'sdxl'],
    ['f1', 'flux'],
    ['PixArtSigma', 'other'],
    ['HunyuanDiT', 'other'],
    ['Sana', 'other'],
  ])('trusts the SD.Next type %j over the name', (type, family) => {
    expect(detectFamily({ name: 'v1-5-pruned', type })).toEqual({ family, source: 'server' });
  });

  it.each(['safetensors', 'diffusers', 'transformer', 'unknown', ''])(
    'ignores the SD.Next file type %j',
    (type) => {
      expect(detectFamily({ name: 'sd_xl_base_1.0', type })).toEqual({ family: 'sdxl', source: 'name' });
    },
  );

  it.each([
    [[768], 'sd1'],
    [[768, 768], 'sd1'],
    [[1024], 'sd2'],
    [[2048], 'sdxl'],
    [[1280], 'sdxl'],
    [[2048, 2048, 768], 'sdxl'],
  ])('reads embedding shapes %j as %s', (embeddingShapes, family) => {
    expect(detectFamily({ name: 'chilloutmix', embeddingShapes })).toEqual({ family, source: 'server' });
  });

  it('prefers embedding shapes to a misleading name', () => {
    expect(detectFamily({ name: 'notXL', embeddingShapes: [768] })).toEqual({
      family: 'sd1',
      source: 'server',
    });
    expect(detectFamily({ name: 'v1-5', embeddingShapes: [2048] })).toEqual({
      family: 'sdxl',
      source: 'server',
    });
  });

  it.each(['flux1-dev', 'sd3_medium'])('lets the name %j win over a CLIP-L-sized 768 embedding', (name) => {
    expect(detectFamily({ name, embeddingShapes: [768] }).source).toBe('name');
  });

  it('ignores shapes it does not know', () => {
    expect(detectFamily({ name: 'sd_xl_base', embeddingShapes: [4096] })).toEqual({
      family: 'sdxl',
      source: 'name',
    });
  });

  it.each([
    ['sd_v1', 'sd1'],
    ['sd_v2', 'sd2'],
    ['sd_v2_768_v', 'sd2'],
    ['sdxl_base_v1-0', 'sdxl'],
    ['sd3', 'sd3'],
    ['flux1', 'flux'],
  ])('reads the LoRA base model %j as %s', (loraBaseModel, family) => {
    expect(detectFamily({ name: 'my_lora', loraBaseModel })).toEqual({ family, source: 'server' });
  });

  it('falls back to the name for an unknown LoRA base model', () => {
    expect(detectFamily({ name: 'style_xl', loraBaseModel: 'lumina2' })).toEqual({
      family: 'sdxl',
      source: 'name',
    });
  });

  it('counts dev or schnell as Flux only where the server lists the Flux modules', () => {
    const evidence: FamilyEvidence = { name: 'schnell_painter' };
    expect(detectFamily({ ...evidence, sdModules: FLUX_MODULES })).toEqual({
      family: 'flux',
      source: 'name',
    });
    expect(detectFamily({ ...evidence, sdModules: ['sdxl_vae.safetensors'] })).toEqual({
      family: 'other',
      source: 'unknown',
    });
  });
});

describe('fluxModules', () => {
  it.each([
    [FLUX_MODULES, ['ae.safetensors', 'clip_l.safetensors', 't5xxl_fp16.safetensors']],
    [
      ['flux_vae.safetensors', 't5xxl_fp8_e4m3fn.safetensors', 'clipL.safetensors'],
      ['flux_vae.safetensors', 'clipL.safetensors', 't5xxl_fp8_e4m3fn.safetensors'],
    ],
    [
      ['VAE/flux1-ae.safetensors', 'text_encoder/clip-l.safetensors', 'text_encoder/t5-xxl.gguf'],
      ['VAE/flux1-ae.safetensors', 'text_encoder/clip-l.safetensors', 'text_encoder/t5-xxl.gguf'],
    ],
  ])('picks the VAE, CLIP-L and T5 from %j', (modules, expected) => {
    expect(fluxModules(modules)).toEqual(expected);
  });

  it.each([
    [['clip_l.safetensors', 't5xxl_fp16.safetensors']],
    [['ae.safetensors', 't5xxl_fp16.safetensors']],
    [['ae.safetensors', 'clip_l.safetensors']],
    [['sdxl_vae.safetensors', 'vae-ft-mse-840000.safetensors']],
    [[]],
  ])('gives nothing when one is missing from %j', (modules) => {
    expect(fluxModules(modules)).toBeUndefined();
  });
});

describe('familyDefaults', () => {
  it.each([
    ['sd1', 512 * 512, 7],
    ['sd2', 768 * 768, 7],
    ['sdxl', 1024 * 1024, 6],
    ['sd3', 1024 * 1024, 4.5],
    ['flux', 1024 * 1024, 1],
    ['other', 512 * 512, 7],
  ] as const)('gives %s an area of %i and cfg %d', (family, area, cfg) => {
    const defaults = familyDefaults(family);
    expect(defaults.area).toBe(area);
    expect(defaults.aspectArea).toBe(area);
    expect(defaults.cfg).toBe(cfg);
  });

  it('gives SDXL a cfg between 5 and 7', () => {
    const { cfg } = familyDefaults('sdxl');
    expect(cfg).toBeGreaterThanOrEqual(5);
    expect(cfg).toBeLessThanOrEqual(7);
  });

  it('gives Flux distilled guidance, the Simple scheduler, modules and no negative prompt', () => {
    expect(familyDefaults('flux')).toEqual({
      area: 1024 * 1024,
      aspectArea: 1024 * 1024,
      cfg: 1,
      distilledCfg: 3.5,
      sampler: 'Euler',
      scheduler: 'Simple',
      negativePromptIgnored: true,
      needsModules: true,
    });
  });

  it.each(['sd1', 'sd2', 'sdxl', 'sd3', 'other'] as const)('keeps the negative prompt for %s', (family) => {
    expect(familyDefaults(family).negativePromptIgnored).toBe(false);
    expect(familyDefaults(family).needsModules).toBeUndefined();
  });

  it('returns a copy that callers may change', () => {
    const first = familyDefaults('sd1');
    first.cfg = 99;
    expect(familyDefaults('sd1').cfg).toBe(7);
  });
});

describe('FAMILY_LABELS', () => {
  it('labels every family', () => {
    expect(MODEL_FAMILIES.map((family) => FAMILY_LABELS[family])).toEqual([
      'SD 1.x',
      'SD 2.x',
      'SDXL',
      'SD 3.x',
      'Flux',
      'other',
    ]);
  });
});
