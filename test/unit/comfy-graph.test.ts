import { describe, expect, it } from 'vitest';
import {
  type ApiGraph,
  buildGraph,
  ComfyGraphError,
  type ComfyGraphInput,
  fillOperatorGraph,
  parseOperatorGraph,
  progressNodeIds,
  upscaleModelScale,
} from '../../src/engines/comfyui/graph.js';
import { checkGraph } from '../../src/engines/comfyui/graph-check.js';
import { spliceLoras } from '../../src/engines/comfyui/lora-splice.js';
import { buildObjectInfo, type ComfyVersion, DEFAULT_MODEL_LISTS } from '../fakes/comfyui/object-info.js';
import { validatePrompt } from '../fakes/comfyui/validation.js';

const UPLOADED = 'upload (1).png';

function fakeInfo(version: ComfyVersion = '0.3.64') {
  return buildObjectInfo(version, DEFAULT_MODEL_LISTS, [UPLOADED]);
}

/** A job; an override of `undefined` removes that field. */
function input(
  overrides: { [K in keyof ComfyGraphInput]?: ComfyGraphInput[K] | undefined } = {},
): ComfyGraphInput {
  const job: Record<string, unknown> = {
    kind: 'txt2img',
    prompt: 'a lighthouse at dusk',
    negativePrompt: 'blurry',
    seed: 1234,
    steps: 25,
    cfg: 6.5,
    width: 832,
    height: 1216,
    batch: 2,
    sampler: 'dpmpp_2m',
    scheduler: 'karras',
    checkpoint: 'sd_xl_base_1.0.safetensors',
    loras: [],
    filenamePrefix: 'job-42',
    ...overrides,
  };
  for (const key of Object.keys(job)) if (job[key] === undefined) delete job[key];
  return job as unknown as ComfyGraphInput;
}

const FLUX = {
  unet: 'flux1-dev.safetensors',
  clip1: 'clip_l.safetensors',
  clip2: 't5xxl_fp16.safetensors',
  vae: 'ae.safetensors',
  guidance: 3.5,
};

function byClass(graph: ApiGraph, classType: string) {
  return Object.entries(graph).filter(([, node]) => node.class_type === classType);
}

function only(graph: ApiGraph, classType: string) {
  const found = byClass(graph, classType);
  expect(found).toHaveLength(1);
  const [id, node] = found[0] ?? ['', { class_type: '', inputs: {} }];
  return { id, inputs: node.inputs };
}

/** The fake server's own validation (what POST /prompt would answer). */
function serverAccepts(graph: ApiGraph, version: ComfyVersion = '0.3.64'): unknown {
  const result = validatePrompt(graph, {
    objectInfo: fakeInfo(version),
    inputImageExists: (name) => name === UPLOADED,
  });
  return result.ok ? true : { error: result.error, nodeErrors: result.nodeErrors };
}

describe('buildGraph', () => {
  const kinds: [string, ComfyGraphInput][] = [
    ['SDXL txt2img', input()],
    [
      'SDXL txt2img with two LoRAs',
      input({
        loras: [
          { name: 'add_detail.safetensors', weight: 0.6 },
          { name: 'pixel-art-xl.safetensors', weight: 1 },
        ],
      }),
    ],
    [
      'Flux txt2img with a LoRA',
      input({
        checkpoint: undefined,
        flux: FLUX,
        scheduler: 'simple',
        loras: [{ name: 'flux/realism_lora.safetensors', weight: 0.8 }],
      }),
    ],
    ['img2img batch 3', input({ kind: 'img2img', image: UPLOADED, denoise: 0.55, batch: 3 })],
    [
      'Flux img2img',
      input({ kind: 'img2img', image: UPLOADED, flux: FLUX, checkpoint: undefined, batch: 1 }),
    ],
    [
      'upscale with a 4x model to 2x',
      input({ kind: 'upscale', image: UPLOADED, upscaleModel: '4x-UltraSharp.pth', upscaleFactor: 2 }),
    ],
    ['upscale without a model', input({ kind: 'upscale', image: UPLOADED, upscaleFactor: 1.5 })],
  ];

  it.each(kinds)('builds a graph the fake object_info and validation accept for %s', (_label, job) => {
    for (const version of ['0.3.64', '0.3.12'] as const) {
      const graph = buildGraph(job);
      expect(checkGraph(graph, fakeInfo(version))).toEqual({ ok: true });
      expect(serverAccepts(graph, version)).toBe(true);
    }
  });

  it('puts the job values on the txt2img nodes when the model is a checkpoint', () => {
    const graph = buildGraph(input());
    expect(only(graph, 'CheckpointLoaderSimple').inputs).toEqual({ ckpt_name: 'sd_xl_base_1.0.safetensors' });
    expect(only(graph, 'EmptyLatentImage').inputs).toEqual({ width: 832, height: 1216, batch_size: 2 });
    expect(only(graph, 'KSampler').inputs).toMatchObject({
      seed: 1234,
      steps: 25,
      cfg: 6.5,
      sampler_name: 'dpmpp_2m',
      scheduler: 'karras',
      denoise: 1,
    });
    const texts = byClass(graph, 'CLIPTextEncode').map(([, node]) => node.inputs.text);
    expect(texts.sort()).toEqual(['a lighthouse at dusk', 'blurry']);
    expect(only(graph, 'SaveImage').inputs.filename_prefix).toBe('job-42');
    const sampler = only(graph, 'KSampler').inputs;
    expect(graph[String((sampler.positive as [string, number])[0])]?.inputs.text).toBe(
      'a lighthouse at dusk',
    );
    expect(graph[String((sampler.negative as [string, number])[0])]?.inputs.text).toBe('blurry');
  });

  it('chains LoRAs between the loader and the sampler and encoders when the job has LoRAs', () => {
    const graph = buildGraph(
      input({
        loras: [
          { name: 'add_detail.safetensors', weight: 0.6 },
          { name: 'pixel-art-xl.safetensors', weight: 1.2 },
        ],
      }),
    );
    const loras = byClass(graph, 'LoraLoader');
    expect(
      loras.map(([, node]) => [node.inputs.lora_name, node.inputs.strength_model, node.inputs.strength_clip]),
    ).toEqual([
      ['add_detail.safetensors', 0.6, 0.6],
      ['pixel-art-xl.safetensors', 1.2, 1.2],
    ]);
    const [first, second] = loras;
    const loader = only(graph, 'CheckpointLoaderSimple').id;
    expect(first?.[1].inputs.model).toEqual([loader, 0]);
    expect(first?.[1].inputs.clip).toEqual([loader, 1]);
    expect(second?.[1].inputs.model).toEqual([first?.[0], 0]);
    expect(only(graph, 'KSampler').inputs.model).toEqual([second?.[0], 0]);
    for (const [, encoder] of byClass(graph, 'CLIPTextEncode'))
      expect(encoder.inputs.clip).toEqual([second?.[0], 1]);
    expect(only(graph, 'VAEDecode').inputs.vae).toEqual([loader, 2]);
  });

  it('uses the split loaders, guidance, a zeroed negative and cfg 1 when the model is Flux', () => {
    const graph = buildGraph(input({ checkpoint: undefined, flux: { ...FLUX, guidance: 2.8 }, cfg: 7 }));
    expect(byClass(graph, 'CheckpointLoaderSimple')).toHaveLength(0);
    expect(only(graph, 'UNETLoader').inputs).toEqual({
      unet_name: 'flux1-dev.safetensors',
      weight_dtype: 'default',
    });
    expect(only(graph, 'DualCLIPLoader').inputs).toEqual({
      clip_name1: 'clip_l.safetensors',
      clip_name2: 't5xxl_fp16.safetensors',
      type: 'flux',
    });
    expect(only(graph, 'FluxGuidance').inputs.guidance).toBe(2.8);
    const sampler = only(graph, 'KSampler').inputs;
    expect(sampler.cfg).toBe(1);
    expect(sampler.positive).toEqual([only(graph, 'FluxGuidance').id, 0]);
    expect(sampler.negative).toEqual([only(graph, 'ConditioningZeroOut').id, 0]);
    expect(byClass(graph, 'CLIPTextEncode')).toHaveLength(1);
    expect(only(graph, 'VAEDecode').inputs.vae).toEqual([only(graph, 'VAELoader').id, 0]);
  });

  it('encodes the uploaded image with the denoise and repeats the latent when img2img asks for a batch', () => {
    const graph = buildGraph(input({ kind: 'img2img', image: UPLOADED, denoise: 0.4, batch: 2 }));
    expect(byClass(graph, 'EmptyLatentImage')).toHaveLength(0);
    expect(only(graph, 'LoadImage').inputs.image).toBe(UPLOADED);
    expect(only(graph, 'KSampler').inputs.denoise).toBe(0.4);
    expect(only(graph, 'RepeatLatentBatch').inputs).toEqual({
      samples: [only(graph, 'VAEEncode').id, 0],
      amount: 2,
    });
    expect(only(graph, 'KSampler').inputs.latent_image).toEqual([only(graph, 'RepeatLatentBatch').id, 0]);
    const single = buildGraph(input({ kind: 'img2img', image: UPLOADED, batch: 1 }));
    expect(byClass(single, 'RepeatLatentBatch')).toHaveLength(0);
  });

  const upscales: [string, string | undefined, number | undefined, string | null, unknown][] = [
    ['a 4x model to 2x', '4x-UltraSharp.pth', 2, 'ImageScaleBy', 0.5],
    ['a 4x model at its own factor', '4x-UltraSharp.pth', 4, null, null],
    ['a 4x model without a factor', '4x-UltraSharp.pth', undefined, null, null],
    ['a x2 model to 4x', 'RealESRGAN_x2plus.pth', 4, 'ImageScaleBy', 2],
    ['a model of unknown factor to 2x', 'ESRGAN.pth', 2, 'ImageScale', { width: 200, height: 120 }],
    ['no model to 1.5x', undefined, 1.5, 'ImageScaleBy', 1.5],
  ];

  it.each(upscales)('upscales with %s', (_label, model, factor, rescale, value) => {
    const job = input({ kind: 'upscale', image: UPLOADED, width: 100, height: 60 });
    if (model !== undefined) job.upscaleModel = model;
    if (factor !== undefined) job.upscaleFactor = factor;
    const graph = buildGraph(job);
    expect(byClass(graph, 'ImageUpscaleWithModel')).toHaveLength(model === undefined ? 0 : 1);
    expect(byClass(graph, 'KSampler')).toHaveLength(0);
    const scalers = [...byClass(graph, 'ImageScaleBy'), ...byClass(graph, 'ImageScale')];
    expect(scalers.map(([, node]) => node.class_type)).toEqual(rescale === null ? [] : [rescale]);
    if (rescale === 'ImageScaleBy') expect(scalers[0]?.[1].inputs.scale_by).toBe(value);
    if (rescale === 'ImageScale') expect(scalers[0]?.[1].inputs).toMatchObject(value as object);
    const save = only(graph, 'SaveImage').inputs.images as [string, number];
    expect(graph[save[0]]?.class_type).toBe(
      rescale ?? (model === undefined ? 'LoadImage' : 'ImageUpscaleWithModel'),
    );
  });

  it('throws ComfyGraphError when there is no model or no image', () => {
    expect(() => buildGraph(input({ checkpoint: undefined }))).toThrow(ComfyGraphError);
    expect(() => buildGraph(input({ kind: 'img2img' }))).toThrow(/uploaded image/);
    expect(() => buildGraph(input({ kind: 'upscale' }))).toThrow(ComfyGraphError);
  });

  it('lists the samplers and model upscalers as progress nodes', () => {
    expect(progressNodeIds(buildGraph(input()))).toEqual(['3']);
    const upscale = buildGraph(
      input({ kind: 'upscale', image: UPLOADED, upscaleModel: '4x-UltraSharp.pth' }),
    );
    expect(progressNodeIds(upscale)).toEqual([only(upscale, 'ImageUpscaleWithModel').id]);
  });
});

describe('upscaleModelScale', () => {
  it.each([
    ['4x-UltraSharp.pth', 4],
    ['RealESRGAN_x2plus.pth', 2],
    ['RealESRGAN_x4plus_anime_6B.pth', 4],
    ['8x_NMKD-Superscale_150000_G.pth', 8],
    ['SwinIR_4x.pth', 4],
    ['4x_NMKD-Siax_200k.pth', 4],
    ['sub/2x-AnimeSharpV2.pth', 2],
    ['ESRGAN.pth', null],
  ])('reads %s as %s', (name, scale) => {
    expect(upscaleModelScale(name)).toBe(scale);
  });
});

describe('checkGraph', () => {
  const base = (): ApiGraph => buildGraph(input({ batch: 1 }));
  const cases: [string, (graph: ApiGraph) => void, RegExp][] = [
    [
      'a class the server lacks',
      (g) => {
        g['50'] = { class_type: 'FaceDetailer', inputs: {} };
      },
      /node 50 \(FaceDetailer\): the server has no node class "FaceDetailer"/,
    ],
    [
      'a required input is missing',
      (g) => {
        delete g['6']?.inputs.clip;
      },
      /node 6 \(CLIPTextEncode "Positive prompt"\): required input "clip" is missing/,
    ],
    [
      'a checkpoint the server does not list',
      (g) => {
        if (g['4']) g['4'].inputs.ckpt_name = 'dreamshaper_8.safetensors';
      },
      /node 4 \(CheckpointLoaderSimple "Load Checkpoint"\): ckpt_name "dreamshaper_8.safetensors" is not one of the server's values/,
    ],
    [
      'an A1111 sampler name',
      (g) => {
        if (g['3']) g['3'].inputs.sampler_name = 'DPM++ 2M';
      },
      /node 3 \(KSampler\): sampler_name "DPM\+\+ 2M" is not one/,
    ],
    [
      'steps below the minimum',
      (g) => {
        if (g['3']) g['3'].inputs.steps = 0;
      },
      /node 3 \(KSampler\): steps 0 is below the minimum of 1/,
    ],
    [
      'a link of the wrong type',
      (g) => {
        if (g['3']) g['3'].inputs.model = ['4', 2];
      },
      /node 3 \(KSampler\): input "model" expects MODEL but node 4 \(CheckpointLoaderSimple\) output 2 is VAE/,
    ],
    [
      'a link to a missing node',
      (g) => {
        if (g['8']) g['8'].inputs.samples = ['77', 0];
      },
      /node 8 \(VAEDecode "VAE Decode"\): input "samples" links to node 77, which is not in the graph/,
    ],
    [
      'no output node',
      (g) => {
        delete g['9'];
      },
      /no output node/,
    ],
  ];

  it.each(cases)('names the node, class and input when %s', (_label, change, problem) => {
    const graph = base();
    change(graph);
    const result = checkGraph(graph, fakeInfo());
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(problem)]),
    );
  });

  it('accepts an uploaded image the object_info list does not show yet', () => {
    const graph = buildGraph(input({ kind: 'img2img', image: 'just-uploaded.png' }));
    expect(checkGraph(graph, fakeInfo())).toEqual({ ok: true });
  });

  it('understands the newer COMBO spec form', () => {
    const info = fakeInfo();
    const sampler = info.KSampler;
    if (sampler === undefined) throw new Error('no KSampler');
    sampler.input.required.scheduler = ['COMBO', { options: ['simple', 'beta'] }];
    const result = checkGraph(buildGraph(input({ scheduler: 'karras' })), info);
    expect(result).toEqual({ ok: false, problems: [expect.stringContaining('scheduler "karras"')] });
  });
});

const OPERATOR = {
  '3': {
    class_type: 'KSampler',
    inputs: {
      seed: '{{seed}}',
      steps: '{{ steps }}',
      cfg: 4,
      sampler_name: '{{sampler}}',
      scheduler: 'normal',
      denoise: 1,
      model: ['4', 0],
      positive: ['6', 0],
      negative: ['7', 0],
      latent_image: ['5', 0],
    },
  },
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: '{{checkpoint}}' } },
  '5': {
    class_type: 'EmptyLatentImage',
    inputs: { width: '{{width}}', height: '{{height}}', batch_size: 1 },
  },
  '6': { class_type: 'CLIPTextEncode', inputs: { text: 'masterpiece, {{prompt}}, 35mm', clip: ['4', 1] } },
  '7': { class_type: 'CLIPTextEncode', inputs: { text: '{{negative_prompt}}', clip: ['4', 1] } },
  '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
  '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'op', images: ['8', 0] } },
};

describe('fillOperatorGraph', () => {
  it('turns a whole placeholder into the value and substitutes text inside longer strings', () => {
    const template = structuredClone(OPERATOR);
    const graph = fillOperatorGraph(template, {
      seed: 99,
      steps: 12,
      sampler: 'euler',
      checkpoint: 'v1-5-pruned-emaonly.safetensors',
      width: 512,
      height: 768,
      prompt: 'a fox',
      negative_prompt: 'text',
    });
    expect(graph['3']?.inputs).toMatchObject({ seed: 99, steps: 12, sampler_name: 'euler' });
    expect(graph['5']?.inputs).toMatchObject({ width: 512, height: 768 });
    expect(graph['6']?.inputs.text).toBe('masterpiece, a fox, 35mm');
    expect(graph['7']?.inputs.text).toBe('text');
    expect(template).toEqual(OPERATOR);
    expect(checkGraph(graph, fakeInfo())).toEqual({ ok: true });
  });

  it('leaves placeholders without a value in place', () => {
    const graph = fillOperatorGraph(OPERATOR, { prompt: 'x' });
    expect(graph['3']?.inputs.seed).toBe('{{seed}}');
    expect(checkGraph(graph, fakeInfo()).ok).toBe(false);
  });

  it('throws ComfyGraphError when the template is not an API graph', () => {
    expect(() => fillOperatorGraph([1, 2], {})).toThrow(ComfyGraphError);
  });
});

describe('parseOperatorGraph', () => {
  it('lists the placeholders it finds, in canonical order', () => {
    const parsed = parseOperatorGraph('portrait', JSON.stringify(OPERATOR));
    expect(parsed).toEqual({
      ok: true,
      template: OPERATOR,
      placeholders: [
        'prompt',
        'negative_prompt',
        'seed',
        'steps',
        'width',
        'height',
        'sampler',
        'checkpoint',
      ],
    });
  });

  it.each([
    ['is not JSON', '{"3": ', /Graph "g" is not valid JSON/],
    [
      'is in UI format',
      JSON.stringify({ nodes: [], links: [], version: 0.4 }),
      /UI format; export it with "Export \(API\)"/,
    ],
    ['is not a graph', JSON.stringify({ a: 1 }), /not in ComfyUI API format/],
    [
      'has an unknown placeholder',
      JSON.stringify({
        ...OPERATOR,
        '6': { class_type: 'CLIPTextEncode', inputs: { text: '{{promt}}', clip: ['4', 1] } },
      }),
      /unknown placeholder \{\{promt\}\}/,
    ],
    [
      'has no prompt placeholder',
      JSON.stringify({
        ...OPERATOR,
        '6': { class_type: 'CLIPTextEncode', inputs: { text: 'fixed', clip: ['4', 1] } },
      }),
      /no \{\{prompt\}\} placeholder/,
    ],
  ])('explains the problem when the file %s', (_label, json, problem) => {
    const parsed = parseOperatorGraph('g', json);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.problem).toMatch(problem);
  });
});

describe('spliceLoras', () => {
  it('inserts LoraLoaders after the checkpoint and rewires its MODEL and CLIP consumers', () => {
    const graph = spliceLoras(OPERATOR as ApiGraph, [{ name: 'add_detail.safetensors', weight: 0.5 }]);
    expect(graph['10']).toMatchObject({
      class_type: 'LoraLoader',
      inputs: { lora_name: 'add_detail.safetensors', strength_model: 0.5, model: ['4', 0], clip: ['4', 1] },
    });
    expect(graph['3']?.inputs.model).toEqual(['10', 0]);
    expect(graph['6']?.inputs.clip).toEqual(['10', 1]);
    expect(graph['7']?.inputs.clip).toEqual(['10', 1]);
    expect(graph['8']?.inputs.vae).toEqual(['4', 2]);
    expect(OPERATOR['3'].inputs.model).toEqual(['4', 0]);
  });

  it('attaches to UNETLoader and the CLIP loader when the graph has no checkpoint', () => {
    const flux = buildGraph(input({ checkpoint: undefined, flux: FLUX }));
    const graph = spliceLoras(flux, [{ name: 'flux/realism_lora.safetensors', weight: 1 }]);
    const lora = only(graph, 'LoraLoader');
    expect(lora.inputs.model).toEqual([only(graph, 'UNETLoader').id, 0]);
    expect(lora.inputs.clip).toEqual([only(graph, 'DualCLIPLoader').id, 0]);
    expect(only(graph, 'KSampler').inputs.model).toEqual([lora.id, 0]);
    expect(only(graph, 'CLIPTextEncode').inputs.clip).toEqual([lora.id, 1]);
    expect(serverAccepts(graph)).toBe(true);
  });

  it('throws when LoRAs are asked for and there is no loader, and copies the graph when none are', () => {
    const upscale = buildGraph(input({ kind: 'upscale', image: UPLOADED }));
    expect(() => spliceLoras(upscale, [{ name: 'a', weight: 1 }])).toThrow(/no CheckpointLoaderSimple/);
    const copy = spliceLoras(upscale, []);
    expect(copy).toEqual(upscale);
    expect(copy).not.toBe(upscale);
  });
});
