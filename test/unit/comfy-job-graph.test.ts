import { describe, expect, it } from 'vitest';
import type { ComfyRunState } from '../../src/engines/comfyui/events.js';
import { createComfyRunState } from '../../src/engines/comfyui/events.js';
import {
  type ComfyJobContext,
  type ComfyLists,
  toComfyJob,
  toComfyUpscaleJob,
} from '../../src/engines/comfyui/job-graph.js';
import { matchCheckpoint, matchUpscaleModel } from '../../src/engines/comfyui/model-match.js';
import { parseObjectInfo } from '../../src/engines/comfyui/object-info.js';
import { checkOperatorGraph } from '../../src/engines/comfyui/operator-graphs.js';
import { toEngineProgress } from '../../src/engines/comfyui/run-progress.js';
import type { GenerateRequest } from '../../src/engines/types.js';
import { buildObjectInfo, DEFAULT_MODEL_LISTS } from '../fakes/comfyui/object-info.js';
import { COMFY_SAMPLERS, COMFY_SCHEDULERS } from './fixtures/sampler-lists.js';

const LISTS: ComfyLists = {
  checkpoints: ['v1-5-pruned-emaonly.safetensors', 'sdxl/juggernautXL_v9.safetensors'],
  samplers: COMFY_SAMPLERS,
  schedulers: COMFY_SCHEDULERS,
  loras: ['add_detail.safetensors', 'styles/pixel-art-xl.safetensors'],
  upscaleModels: ['RealESRGAN_x2plus.pth', '4x-UltraSharp.pth'],
};

const CONTEXT: ComfyJobContext = { lists: LISTS, lastCheckpoint: null, prefix: 'job', loraLoader: true };

const REQUEST: GenerateRequest = {
  kind: 'txt2img',
  prompt: 'apple',
  negativePrompt: 'red',
  seed: 10,
  sampler: 'DPM++ 2M',
  scheduler: 'Karras',
  steps: 20,
  cfgScale: 7,
  width: 512,
  height: 512,
  count: 1,
  model: undefined,
};

type Node = { class_type: string; inputs: Record<string, unknown> };
const nodes = (graph: Record<string, Node>, classType: string) =>
  Object.values(graph).filter((node) => node.class_type === classType);

describe('toComfyJob', () => {
  it.each([
    ['DPM++ 2M', 'Karras', 'dpmpp_2m', 'karras'],
    ['Euler a', undefined, 'euler_ancestral', 'normal'],
    ['DPM++ 2M Karras', undefined, 'dpmpp_2m', 'karras'],
    ['DPM++ SDE', 'Exponential', 'dpmpp_sde', 'exponential'],
    ['dpmpp_2m_sde_gpu', 'SGM Uniform', 'dpmpp_2m_sde_gpu', 'sgm_uniform'],
  ])('sends %s / %s as ComfyUI’s %s / %s', (sampler, scheduler, wantedSampler, wantedScheduler) => {
    const job = toComfyJob({ ...REQUEST, sampler, scheduler }, CONTEXT);
    expect(nodes(job.graph, 'KSampler')[0]?.inputs).toMatchObject({
      sampler_name: wantedSampler,
      scheduler: wantedScheduler,
    });
    expect(job.record.sampler).toBe(wantedSampler);
  });

  it('never sends seed -1 when the seed is random', () => {
    const job = toComfyJob({ ...REQUEST, seed: -1 }, CONTEXT);
    const seed = nodes(job.graph, 'KSampler')[0]?.inputs.seed as number;
    expect(seed).toBeGreaterThanOrEqual(0);
    expect(job.record.seeds).toEqual([seed]);
  });

  it('gives each image of a batch a chain and a seed of its own', () => {
    const job = toComfyJob({ ...REQUEST, count: 3 }, CONTEXT);
    expect(nodes(job.graph, 'KSampler').map((node) => node.inputs.seed)).toEqual([10, 11, 12]);
    expect(nodes(job.graph, 'EmptyLatentImage')).toHaveLength(1);
    expect(nodes(job.graph, 'EmptyLatentImage')[0]?.inputs.batch_size).toBe(1);
    expect(job.record.seeds).toEqual([10, 11, 12]);
    expect(job.record.outputs).toHaveLength(3);
    for (const id of job.record.outputs) expect(job.graph[id]?.class_type).toBe('SaveImage');
  });

  it('varies the parent image with img2img passes at the subseed strength', () => {
    const job = toComfyJob({ ...REQUEST, count: 2, subseed: 40, subseedStrength: 0.25 }, CONTEXT);
    const samplers = nodes(job.graph, 'KSampler');
    expect(samplers.map((node) => [node.inputs.seed, node.inputs.denoise])).toEqual([
      [10, 1],
      [40, 0.25],
      [41, 0.25],
    ]);
    expect(samplers[1]?.inputs.latent_image).toEqual(['3', 0]);
    expect(job.record.seeds).toEqual([10, 10]);
    expect(nodes(job.graph, 'SaveImage')).toHaveLength(2);
  });

  it('turns <lora:…> tags into LoraLoader nodes named as the server lists them', () => {
    const job = toComfyJob({ ...REQUEST, prompt: 'apple, <lora:pixel-art-xl:0.7>' }, CONTEXT);
    expect(nodes(job.graph, 'LoraLoader')[0]?.inputs).toMatchObject({
      lora_name: 'styles/pixel-art-xl.safetensors',
      strength_model: 0.7,
    });
    expect(nodes(job.graph, 'CLIPTextEncode')[0]?.inputs.text).toBe('apple');
  });

  it('drops LoRA tags on a server without LoraLoader', () => {
    const job = toComfyJob(
      { ...REQUEST, prompt: 'apple <lora:add_detail:1>' },
      { ...CONTEXT, loraLoader: false },
    );
    expect(nodes(job.graph, 'LoraLoader')).toEqual([]);
    expect(nodes(job.graph, 'CLIPTextEncode')[0]?.inputs.text).toBe('apple');
  });

  it('uses the checkpoint the request names, else the last one used, else the first listed', () => {
    const named = toComfyJob({ ...REQUEST, model: 'juggernautXL_v9.safetensors [a1b2c3d4e5]' }, CONTEXT);
    expect(named.record.model).toBe('sdxl/juggernautXL_v9.safetensors');
    const last = toComfyJob(REQUEST, { ...CONTEXT, lastCheckpoint: 'sdxl/juggernautXL_v9.safetensors' });
    expect(last.record.model).toBe('sdxl/juggernautXL_v9.safetensors');
    expect(toComfyJob(REQUEST, CONTEXT).record.model).toBe('v1-5-pruned-emaonly.safetensors');
  });

  it('fills an operator graph and carries the one seed on every image of its batch', () => {
    const template = {
      '3': { class_type: 'KSampler', inputs: { seed: '{{seed}}', sampler_name: '{{sampler}}' } },
      '5': { class_type: 'EmptyLatentImage', inputs: { batch_size: '{{batch}}' } },
      '6': { class_type: 'CLIPTextEncode', inputs: { text: 'best, {{prompt}}' } },
    };
    const job = toComfyJob({ ...REQUEST, count: 2 }, { ...CONTEXT, template });
    expect(job.graph['3']?.inputs).toEqual({ seed: 10, sampler_name: 'dpmpp_2m' });
    expect(job.graph['5']?.inputs.batch_size).toBe(2);
    expect(job.graph['6']?.inputs.text).toBe('best, apple');
    expect(job.record).toMatchObject({ seeds: [10, 10], outputs: [] });
  });

  it('varies with a new seed in an operator graph', () => {
    const template = { '3': { class_type: 'KSampler', inputs: { seed: '{{seed}}', text: '{{prompt}}' } } };
    const job = toComfyJob({ ...REQUEST, subseed: 99, subseedStrength: 0.3 }, { ...CONTEXT, template });
    expect(job.graph['3']?.inputs.seed).toBe(99);
    expect(job.record.seeds).toEqual([99]);
  });
});

describe('matchCheckpoint', () => {
  it.each([
    ['v1-5-pruned-emaonly.safetensors', 'v1-5-pruned-emaonly.safetensors'],
    ['v1-5-pruned-emaonly.safetensors [6ce0161689]', 'v1-5-pruned-emaonly.safetensors'],
    ['juggernautxl_v9', 'sdxl/juggernautXL_v9.safetensors'],
    ['chilloutmix-Ni.safetensors [7234b76e42]', undefined],
    [undefined, undefined],
  ])('finds %s as %s', (wanted, found) => {
    expect(matchCheckpoint(wanted, LISTS.checkpoints)).toBe(found);
  });
});

describe('matchUpscaleModel', () => {
  it.each([
    ['4x-UltraSharp.pth', 2, '4x-UltraSharp.pth'],
    ['RealESRGAN_x2plus', 4, 'RealESRGAN_x2plus.pth'],
    ['R-ESRGAN 4x+', 2, '4x-UltraSharp.pth'],
    ['Lanczos', 2, 'RealESRGAN_x2plus.pth'],
  ])('picks for %s at %s× the model %s', (wanted, factor, found) => {
    expect(matchUpscaleModel(wanted, LISTS.upscaleModels, factor)).toBe(found);
  });
});

describe('toComfyUpscaleJob', () => {
  it('loads the image and the upscale model and saves the upscaled image', () => {
    const job = toComfyUpscaleJob(
      { image: '', upscaler: 'x', factor: 4 },
      { image: 'in.png', upscaleModel: '4x-UltraSharp.pth', width: 100, height: 80, prefix: 'up' },
    );
    expect(Object.values(job.graph).map((node) => node.class_type)).toEqual([
      'LoadImage',
      'UpscaleModelLoader',
      'ImageUpscaleWithModel',
      'SaveImage',
    ]);
    expect(job.record).toEqual({ seeds: [], outputs: ['9'], model: '4x-UltraSharp.pth', sampler: null });
  });
});

describe('toEngineProgress', () => {
  const base: ComfyRunState = createComfyRunState({ promptId: 'p', number: 3, progressNodes: ['3', '12'] });

  it.each([
    [null, undefined],
    [0, 1],
    [1, 1],
    [3, 3],
  ])('shows a queued prompt with %s ahead at position %s', (ahead, position) => {
    expect(toEngineProgress({ ...base, ahead }, true)).toEqual({ state: 'queued', position });
  });

  it('counts passes as stages and the fraction across them', () => {
    const state: ComfyRunState = {
      ...base,
      phase: 'running',
      progress: { value: 5, max: 20, node: '12', stage: 2, stages: 2 },
      preview: Buffer.from('jpeg'),
    };
    expect(toEngineProgress(state, true)).toMatchObject({
      state: 'running',
      step: 5,
      steps: 20,
      fraction: 0.625,
      stage: { index: 2, count: 2 },
      preview: Buffer.from('jpeg'),
    });
    expect(toEngineProgress(state, false).preview).toBeUndefined();
  });
});

describe('checkOperatorGraph', () => {
  const info = parseObjectInfo(buildObjectInfo('0.3.64', DEFAULT_MODEL_LISTS, []));

  it('refuses an img2img graph without an {{image}} placeholder', () => {
    const json = JSON.stringify({ '6': { class_type: 'CLIPTextEncode', inputs: { text: '{{prompt}}' } } });
    const checked = checkOperatorGraph({ name: 'img2img.json', json }, 'img2img', info, LISTS);
    expect(checked).toEqual({ ok: false, problems: [expect.stringContaining('{{image}}')] });
  });

  it('names the node and input a graph gets wrong', () => {
    const json = JSON.stringify({
      '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'missing.safetensors' } },
      '6': { class_type: 'CLIPTextEncode', inputs: { text: '{{prompt}}', clip: ['4', 1] } },
      '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'x', images: ['6', 0] } },
    });
    const checked = checkOperatorGraph({ name: 'txt2img.json', json }, 'txt2img', info, LISTS);
    expect(checked.ok).toBe(false);
    const text = checked.ok ? '' : checked.problems.join('\n');
    expect(text).toContain('txt2img.json: node 4 (CheckpointLoaderSimple');
    expect(text).toContain('ckpt_name');
    expect(text).toContain('node 9 (SaveImage');
  });
});
