import { describe, expect, it } from 'vitest';
import { toCapabilities } from '../../src/engines/a1111/dialect.js';
import type { Capabilities, Checkpoint } from '../../src/engines/types.js';
import type { GenerationParams } from '../../src/generation/request.js';
import { type BackendFacts, canRun } from '../../src/jobs/eligibility.js';
import type { JobKind } from '../../src/jobs/types.js';
import { sameModel } from '../../src/models/match.js';

/** The routes each probe saw: A1111 1.10 (UI mode) and stable-diffusion.cpp's sd-server. */
const A1111_ROUTES = {
  progress: true,
  interrogate: true,
  loras: true,
  embeddings: true,
  'prompt-styles': true,
  scripts: true,
  'sd-modules': false,
  'sd-vae': true,
  detailers: false,
  schedulers: true,
  'internal-progress': true,
  version: false,
  'sdcpp-capabilities': false,
  'koboldcpp-version': false,
} as const;

const A1111: Capabilities = toCapabilities({
  routes: A1111_ROUTES,
  versionBody: null,
  options: { sd_model_checkpoint: 'chilloutmix-Ni.safetensors [7234b76e42]' },
  samplers: ['DPM++ 2M', 'Euler a'],
  scripts: [],
  auth: 'basic',
});

const SDCPP: Capabilities = toCapabilities({
  routes: {
    ...A1111_ROUTES,
    progress: false,
    interrogate: false,
    embeddings: false,
    'prompt-styles': false,
    scripts: false,
    'sd-vae': false,
    'internal-progress': false,
    'sdcpp-capabilities': true,
  },
  versionBody: null,
  options: { samples_format: 'png', sd_model_checkpoint: 'sd_xl_base_1.0' },
  samplers: ['default', 'euler', 'dpm++2m'],
  scripts: [],
  auth: 'none',
});

const checkpoint = (title: string, model_name: string, hash: string | null): Checkpoint => ({
  title,
  model_name,
  hash,
  sha256: null,
  filename: `/models/${model_name}.safetensors`,
});

const CHILLOUT = checkpoint('chilloutmix-Ni.safetensors [7234b76e42]', 'chilloutmix-Ni', '7234b76e42');
const V15 = checkpoint('v1-5-pruned-emaonly.safetensors [6ce0161689]', 'v1-5-pruned-emaonly', '6ce0161689');
const SDXL = checkpoint('sd_xl_base_1.0', 'sd_xl_base_1.0', '8888888888');
const KNOWN = [CHILLOUT, V15, SDXL];

const PARAMS: GenerationParams = {
  prompt: 'a lighthouse',
  negativePrompt: '',
  seed: -1,
  steps: 20,
  cfgScale: 7,
  width: 512,
  height: 512,
  count: 1,
  sampler: 'DPM++ 2M',
  scheduler: 'Karras',
  model: undefined,
};

const job = (kind: JobKind, model?: string) => ({ kind, params: { ...PARAMS, model } });

const facts = (
  capabilities: Capabilities,
  loadedModel: string | undefined,
  checkpoints?: readonly Checkpoint[],
): BackendFacts => ({
  capabilities,
  loadedModel,
  sameModel: (a, b) => sameModel(a, b, KNOWN),
  checkpoints: checkpoints?.map((model) => model.title),
});

describe('canRun', () => {
  it('reads what the probes found: A1111 switches and upscales, sd.cpp has a fixed model and no extras', () => {
    expect([A1111.models, A1111.upscale, SDCPP.models, SDCPP.upscale]).toEqual([
      'switch',
      true,
      'fixed',
      false,
    ]);
  });

  it.each([
    // A job that names no model goes anywhere.
    ['A1111', 'txt2img, no model', job('txt2img'), facts(A1111, CHILLOUT.title, [CHILLOUT, V15]), true],
    ['sd.cpp', 'txt2img, no model', job('txt2img'), facts(SDCPP, SDXL.title, [SDXL]), true],
    // Fixed-model servers: only the model they were started with.
    ['sd.cpp', 'its own model (title)', job('txt2img', SDXL.title), facts(SDCPP, SDXL.title, [SDXL]), true],
    [
      'sd.cpp',
      'its own model (by hash)',
      job('txt2img', '8888888888'),
      facts(SDCPP, SDXL.title, [SDXL]),
      true,
    ],
    ['sd.cpp', 'another model', job('txt2img', CHILLOUT.title), facts(SDCPP, SDXL.title, [SDXL]), false],
    [
      'sd.cpp',
      'a model, nothing loaded known',
      job('txt2img', SDXL.title),
      facts(SDCPP, undefined, [SDXL]),
      false,
    ],
    [
      'sd.cpp',
      'img2img with its own model',
      job('img2img', SDXL.title),
      facts(SDCPP, SDXL.title, [SDXL]),
      true,
    ],
    // Switching servers: any checkpoint they list, loaded or not.
    [
      'A1111',
      'a listed checkpoint not loaded',
      job('txt2img', V15.title),
      facts(A1111, CHILLOUT.title, [CHILLOUT, V15]),
      true,
    ],
    [
      'A1111',
      'a listed checkpoint by name',
      job('txt2img', 'v1-5-pruned-emaonly'),
      facts(A1111, CHILLOUT.title, [CHILLOUT, V15]),
      true,
    ],
    [
      'A1111',
      'a checkpoint it does not list',
      job('txt2img', SDXL.title),
      facts(A1111, CHILLOUT.title, [CHILLOUT, V15]),
      false,
    ],
    [
      'A1111',
      'a checkpoint, its list not fetched yet',
      job('txt2img', SDXL.title),
      facts(A1111, CHILLOUT.title),
      true,
    ],
    // Upscaling goes only where an upscaler route exists, whatever the model.
    ['A1111', 'upscale', job('upscale'), facts(A1111, CHILLOUT.title, [CHILLOUT]), true],
    ['sd.cpp', 'upscale', job('upscale', SDXL.title), facts(SDCPP, SDXL.title, [SDXL]), false],
  ] as const)('on %s, %s: %s', (_server, _what, candidate, backend, expected) => {
    expect(canRun(candidate, backend)).toBe(expected);
  });

  it('sends no img2img where the server cannot start from an image', () => {
    const noImg2Img = { ...A1111, img2img: false };
    expect(canRun(job('img2img'), facts(noImg2Img, CHILLOUT.title))).toBe(false);
    expect(canRun(job('txt2img'), facts(noImg2Img, CHILLOUT.title))).toBe(true);
  });

  it('routes a pool of A1111 and sd.cpp: the sd.cpp model only to sd.cpp, an upscale only to A1111', () => {
    const pool = {
      a1111: facts(A1111, CHILLOUT.title, [CHILLOUT, V15]),
      sdcpp: facts(SDCPP, SDXL.title, [SDXL]),
    };
    const where = (candidate: ReturnType<typeof job>) =>
      Object.entries(pool).flatMap(([name, backend]) => (canRun(candidate, backend) ? [name] : []));
    expect(where(job('txt2img'))).toEqual(['a1111', 'sdcpp']);
    expect(where(job('txt2img', SDXL.title))).toEqual(['sdcpp']);
    expect(where(job('txt2img', V15.title))).toEqual(['a1111']);
    expect(where(job('upscale'))).toEqual(['a1111']);
    expect(where(job('txt2img', 'flux1-dev.safetensors'))).toEqual([]);
  });
});
