import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { createComfyClient } from '../../src/engines/comfyui/client.js';
import { createComfyEngine } from '../../src/engines/comfyui/engine.js';
import {
  SdInvalidRequestError,
  SdOutOfMemoryError,
  SdServerError,
  SdUnreachableError,
} from '../../src/engines/errors.js';
import type { Engine, EngineProgress, GenerateRequest, RunOptions } from '../../src/engines/types.js';
import { type FakeComfy, type FakeComfyOptions, startFakeComfy } from '../fakes/comfyui/server.js';
import { readPngSize, renderPng } from '../fakes/webui/png.js';

const fakes: FakeComfy[] = [];
const engines: Engine[] = [];

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
  for (const fake of fakes.splice(0)) await fake.close();
});

async function start(
  options: FakeComfyOptions = {},
  engineOptions: Partial<Parameters<typeof createComfyEngine>[0]> = {},
): Promise<{ fake: FakeComfy; engine: Engine; warnings: string[] }> {
  const fake = await startFakeComfy({ stepMs: 2, ...options });
  fakes.push(fake);
  const warnings: string[] = [];
  const engine = createEngine(fake, warnings, engineOptions);
  await engine.probe();
  return { fake, engine, warnings };
}

function createEngine(
  fake: FakeComfy,
  warnings: string[],
  engineOptions: Partial<Parameters<typeof createComfyEngine>[0]> = {},
): Engine {
  const log = {
    warn: (_fields: object, message?: string) => warnings.push(message ?? ''),
    info: () => undefined,
    debug: () => undefined,
  };
  const engine = createComfyEngine({
    client: createComfyClient({ url: fake.url, timeoutMs: 10_000 }),
    auth: 'none',
    log,
    ...engineOptions,
  });
  engines.push(engine);
  return engine;
}

const REQUEST: GenerateRequest = {
  kind: 'txt2img',
  prompt: 'apple <lora:add_detail:0.6>',
  negativePrompt: 'red',
  seed: 1234,
  sampler: 'DPM++ 2M',
  scheduler: 'Karras',
  steps: 6,
  cfgScale: 7,
  width: 64,
  height: 48,
  count: 1,
  model: undefined,
};

function runOptions(
  extra: Partial<RunOptions> = {},
): RunOptions & { progress: EngineProgress[]; refs: string[] } {
  const progress: EngineProgress[] = [];
  const refs: string[] = [];
  return {
    signal: new AbortController().signal,
    progressIntervalMs: 100,
    livePreview: true,
    onProgress: (value) => progress.push(value),
    onRef: (ref) => refs.push(ref),
    ...extra,
    progress,
    refs,
  };
}

type Graph = Record<string, { class_type: string; inputs: Record<string, unknown> }>;
const graphOf = (fake: FakeComfy, index = -1) => fake.prompts.at(index)?.graph as Graph;
const nodesOf = (graph: Graph, classType: string) =>
  Object.values(graph).filter((node) => node.class_type === classType);

describe('createComfyEngine', () => {
  it('describes a ComfyUI server and its lists when probed', async () => {
    const { engine } = await start();
    expect(engine.capabilities).toMatchObject({
      dialect: 'comfyui',
      name: 'ComfyUI',
      version: '0.3.64',
      progress: 'task',
      interrupt: 'task',
      dequeue: true,
      upscale: true,
      models: 'switch',
      schedulers: 'separate',
      ownSeeds: true,
      loras: true,
    });
    const checkpoints = await engine.listCheckpoints();
    expect(checkpoints[0]).toMatchObject({ title: 'v1-5-pruned-emaonly.safetensors', hash: null });
    expect((await engine.listSamplers()).map((sampler) => sampler.name)).toContain('dpmpp_2m');
    expect((await engine.listUpscalers()).map((upscaler) => upscaler.name)).toContain('4x-UltraSharp.pth');
    expect(await engine.loadedModel()).toBeNull();
  });

  it('queues a txt2img graph in the server names and returns the PNG bytes of /view unchanged', async () => {
    const { fake, engine } = await start({ stepMs: 30 });
    const run = runOptions();
    const result = await engine.generate(REQUEST, run).result;
    const prompt = fake.prompts.at(-1);
    expect(prompt?.promptId).toBe(run.refs[0]);
    expect(prompt?.clientId).toMatch(/^sdbot-/);
    const graph = graphOf(fake);
    expect(nodesOf(graph, 'KSampler')[0]?.inputs).toMatchObject({
      seed: 1234,
      sampler_name: 'dpmpp_2m',
      scheduler: 'karras',
      steps: 6,
      cfg: 7,
    });
    expect(nodesOf(graph, 'LoraLoader')[0]?.inputs).toMatchObject({
      lora_name: 'add_detail.safetensors',
      strength_model: 0.6,
    });
    expect(nodesOf(graph, 'CLIPTextEncode').map((node) => node.inputs.text)).toEqual(['apple', 'red']);
    expect(result.seeds).toEqual([1234]);
    expect(result.infotexts).toEqual([]);
    expect(result.model).toBe('v1-5-pruned-emaonly.safetensors');
    expect(readPngSize(result.images[0] as Buffer)).toEqual({ width: 64, height: 48 });
    const history = (await (await fetch(`${fake.url}/history/${run.refs[0]}`)).json()) as Record<
      string,
      { outputs: Record<string, { images: { filename: string; subfolder: string; type: string }[] }> }
    >;
    const image = Object.values(history[run.refs[0] as string]?.outputs ?? {})[0]?.images[0];
    const view = Buffer.from(
      await (
        await fetch(`${fake.url}/view?filename=${image?.filename}&subfolder=&type=${image?.type}`)
      ).arrayBuffer(),
    );
    expect(result.images[0]?.equals(view)).toBe(true);
    expect(run.progress.some((step) => step.state === 'running' && step.steps === 6)).toBe(true);
    expect(run.progress.some((step) => step.preview !== undefined)).toBe(true);
    expect(await engine.loadedModel()).toBe('v1-5-pruned-emaonly.safetensors');
  });

  it('makes one image per seed, seed to seed+3, when count is 4', async () => {
    const { fake, engine } = await start();
    const run = runOptions();
    const result = await engine.generate({ ...REQUEST, count: 4, prompt: 'pear' }, run).result;
    expect(result.images).toHaveLength(4);
    expect(result.seeds).toEqual([1234, 1235, 1236, 1237]);
    expect(
      nodesOf(graphOf(fake), 'KSampler')
        .map((node) => node.inputs.seed)
        .sort(),
    ).toEqual([1234, 1235, 1236, 1237]);
    expect(new Set(result.images.map((image) => image.toString('base64'))).size).toBe(4);
    expect(run.progress.some((step) => step.stage?.count === 4)).toBe(true);
  });

  it('uploads the input image and runs it through LoadImage for img2img', async () => {
    const { fake, engine } = await start();
    const input = renderPng({ width: 80, height: 64, seed: 5 });
    const result = await engine.generate(
      { ...REQUEST, kind: 'img2img', initImage: input.toString('base64'), denoisingStrength: 0.4 },
      runOptions(),
    ).result;
    expect(fake.requests.some((request) => request.path === '/upload/image')).toBe(true);
    const graph = graphOf(fake);
    expect(nodesOf(graph, 'LoadImage')[0]?.inputs.image).toMatch(/^sdbot-[0-9a-f]+\.png$/);
    expect(nodesOf(graph, 'KSampler')[0]?.inputs.denoise).toBe(0.4);
    expect(readPngSize(result.images[0] as Buffer)).toEqual({ width: 80, height: 64 });
  });

  it('varies the chosen image with an img2img pass over it when a subseed strength is set', async () => {
    const { fake, engine } = await start();
    const result = await engine.generate(
      { ...REQUEST, prompt: 'plum', count: 2, subseed: 77, subseedStrength: 0.3 },
      runOptions(),
    ).result;
    const samplers = nodesOf(graphOf(fake), 'KSampler');
    expect(samplers.map((node) => [node.inputs.seed, node.inputs.denoise])).toEqual([
      [1234, 1],
      [77, 0.3],
      [78, 0.3],
    ]);
    expect(result.images).toHaveLength(2);
    expect(result.seeds).toEqual([1234, 1234]);
  });

  it('upscales with an upscale model graph', async () => {
    const { fake, engine } = await start();
    const source = renderPng({ width: 32, height: 24, seed: 6 });
    const result = await engine.upscale(
      { image: source.toString('base64'), upscaler: 'R-ESRGAN 4x+', factor: 2 },
      runOptions(),
    ).result;
    const graph = graphOf(fake);
    expect(nodesOf(graph, 'UpscaleModelLoader')[0]?.inputs.model_name).toBe('4x-UltraSharp.pth');
    expect(nodesOf(graph, 'ImageUpscaleWithModel')).toHaveLength(1);
    const meta = await sharp(result.images[0] as Buffer).metadata();
    expect([meta.width, meta.height]).toEqual([64, 48]);
    expect(result.infotexts).toEqual([]);
  });

  it('takes a queued prompt out of the queue behind another client and never interrupts it', async () => {
    const { fake, engine } = await start();
    const external = fake.startExternalPrompt({ steps: 200 });
    await fake.whenRunning();
    const run = runOptions();
    const ours = engine.generate(REQUEST, run);
    await waitFor(() => run.progress.some((step) => step.state === 'queued' && step.position === 1));
    expect(await ours.cancel()).toBe('dequeued');
    await expect(ours.result).rejects.toThrow(/taken out of the queue/);
    expect(fake.interrupts).toEqual([]);
    const queue = (await (await fetch(`${fake.url}/queue`)).json()) as { queue_running: unknown[][] };
    expect(queue.queue_running[0]?.[1]).toBe(external);
  });

  it('interrupts its own running prompt by id on 0.3.64', async () => {
    const { fake, engine } = await start({ stepMs: 20 });
    const run = runOptions();
    const ours = engine.generate({ ...REQUEST, steps: 100 }, run);
    await fake.whenRunning();
    expect(await ours.cancel()).toBe('interrupted');
    await expect(ours.result).rejects.toThrow();
    expect(fake.interrupts).toEqual([expect.objectContaining({ promptId: run.refs[0], interrupted: true })]);
  });

  it.each(['0.3.12', '0.3.64'] as const)(
    'interrupts on %s only when /queue shows its own prompt running',
    async (version) => {
      const { fake, engine } = await start({ version, stepMs: 20 });
      const ours = engine.generate({ ...REQUEST, steps: 100 }, runOptions());
      const running = await fake.whenRunning();
      expect(await ours.cancel()).toBe('interrupted');
      await expect(ours.result).rejects.toThrow();
      expect(fake.interrupts[0]?.runningPromptId).toBe(running);
      // Someone else's prompt now runs: a second cancel of ours asks nothing of the server.
      fake.startExternalPrompt({ steps: 100 });
      await fake.whenRunning();
      expect(await ours.cancel()).toBe('discard');
      expect(fake.interrupts).toHaveLength(1);
    },
  );

  it('still delivers when the WebSocket drops mid-job', async () => {
    const { fake, engine } = await start({ stepMs: 10 });
    const ours = engine.generate({ ...REQUEST, steps: 30 }, runOptions());
    await fake.whenRunning();
    fake.dropSockets();
    const result = await ours.result;
    expect(result.images).toHaveLength(1);
  });

  it('follows a prompt again after a restart of the bot and delivers its images once', async () => {
    const { fake, engine } = await start({ stepMs: 10 });
    const run = runOptions({ signal: AbortSignal.timeout(60_000) });
    const controller = new AbortController();
    const first = engine.generate({ ...REQUEST, steps: 40, count: 2 }, { ...run, signal: controller.signal });
    await fake.whenRunning();
    await waitFor(() => run.refs.length === 1);
    controller.abort();
    await expect(first.result).rejects.toThrow();
    await engine.close();
    const again = createEngine(fake, []);
    await again.probe();
    const resumed = again.resume?.(run.refs[0] as string, runOptions());
    const result = await resumed?.result;
    expect(result?.images).toHaveLength(2);
    expect(result?.seeds).toEqual([1234, 1235]);
    expect(fake.prompts).toHaveLength(1);
  });

  it('fails with the server unreachable when ComfyUI goes away mid-job', async () => {
    const { fake, engine } = await start({ stepMs: 20 }, { downAfterMs: 300 });
    const ours = engine.generate({ ...REQUEST, steps: 100 }, runOptions());
    await fake.whenRunning();
    await fake.kill();
    await expect(ours.result).rejects.toBeInstanceOf(SdUnreachableError);
  });

  it('fails as a server error, to be retried, when ComfyUI restarted and lost the prompt', async () => {
    const { fake, engine } = await start({ stepMs: 20 });
    const ours = engine.generate({ ...REQUEST, steps: 100 }, runOptions());
    await fake.whenRunning();
    await fake.kill();
    await fake.restart();
    await expect(ours.result).rejects.toThrow(/lost prompt/);
    await expect(ours.result).rejects.toBeInstanceOf(SdServerError);
  });

  it('rejects a resume of a prompt the server does not know', async () => {
    const { engine } = await start();
    const resumed = engine.resume?.('not-a-prompt', runOptions());
    expect(resumed).toBeDefined();
    await expect(resumed?.result).rejects.toThrow(/no longer knows/);
  });

  it('names the node and input of a 400 validation error', async () => {
    const { engine } = await start();
    const failure = engine.generate({ ...REQUEST, width: 8 }, runOptions()).result;
    await expect(failure).rejects.toBeInstanceOf(SdInvalidRequestError);
    await expect(failure).rejects.toThrow(/node 5 \(EmptyLatentImage.*"width"/);
  });

  it('names the node of an execution error, out of memory included', async () => {
    const { fake, engine } = await start();
    fake.failNext({
      nodeClass: 'VAEDecode',
      message: 'CUDA out of memory',
      exceptionType: 'torch.OutOfMemoryError',
    });
    const failure = engine.generate(REQUEST, runOptions()).result;
    await expect(failure).rejects.toBeInstanceOf(SdOutOfMemoryError);
    await expect(failure).rejects.toThrow(/node 8 \(VAEDecode\)/);
  });

  it('refuses an operator graph that names a node the server lacks, and uses the built-in one', async () => {
    const graph = {
      '3': { class_type: 'KSamplerTurbo', inputs: { seed: '{{seed}}' } },
      '6': { class_type: 'CLIPTextEncode', inputs: { text: '{{prompt}}' } },
      '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'x', images: ['3', 0] } },
    };
    const { fake, engine, warnings } = await start(
      {},
      { graphs: { txt2img: { name: 'txt2img.json', json: JSON.stringify(graph) } } },
    );
    expect(warnings.join('\n')).toMatch(/txt2img\.json.*node 3 \(KSamplerTurbo\)/);
    await engine.generate(REQUEST, runOptions()).result;
    expect(nodesOf(graphOf(fake), 'KSampler')).toHaveLength(1);
  });

  it('fills an operator graph that fits the server', async () => {
    const graph = {
      '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: '{{checkpoint}}' } },
      '5': {
        class_type: 'EmptyLatentImage',
        inputs: { width: '{{width}}', height: '{{height}}', batch_size: '{{batch}}' },
      },
      '6': { class_type: 'CLIPTextEncode', inputs: { text: 'masterpiece, {{prompt}}', clip: ['4', 1] } },
      '7': { class_type: 'CLIPTextEncode', inputs: { text: '{{negative_prompt}}', clip: ['4', 1] } },
      '3': {
        class_type: 'KSampler',
        inputs: {
          seed: '{{seed}}',
          steps: '{{steps}}',
          cfg: '{{cfg}}',
          sampler_name: '{{sampler}}',
          scheduler: '{{scheduler}}',
          denoise: 1,
          model: ['4', 0],
          positive: ['6', 0],
          negative: ['7', 0],
          latent_image: ['5', 0],
        },
      },
      '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
      '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'op', images: ['8', 0] } },
    };
    const { fake, engine, warnings } = await start(
      {},
      { graphs: { txt2img: { name: 'txt2img.json', json: JSON.stringify(graph) } } },
    );
    expect(warnings).toEqual([]);
    const result = await engine.generate({ ...REQUEST, count: 2 }, runOptions()).result;
    const sent = graphOf(fake);
    expect(sent['6']?.inputs.text).toBe('masterpiece, apple');
    expect(sent['5']?.inputs).toMatchObject({ width: 64, height: 48, batch_size: 2 });
    expect(result.images).toHaveLength(2);
  });

  it('uses the Flux loaders when the operator names the files', async () => {
    const { fake, engine } = await start(
      {},
      {
        flux: {
          unet: 'flux1-dev.safetensors',
          clip1: 'clip_l.safetensors',
          clip2: 't5xxl_fp16.safetensors',
          vae: 'ae.safetensors',
          guidance: 3.5,
        },
      },
    );
    const result = await engine.generate(REQUEST, runOptions()).result;
    const graph = graphOf(fake);
    expect(nodesOf(graph, 'UNETLoader')).toHaveLength(1);
    expect(nodesOf(graph, 'FluxGuidance')[0]?.inputs.guidance).toBe(3.5);
    expect(result.model).toBe('flux1-dev.safetensors');
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
