import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type FakeComfy, startFakeComfy } from '../fakes/comfyui/server.js';
import { readPngSize, renderPng } from '../fakes/webui/png.js';

type Received = { type: string; data: Record<string, unknown> } | { type: 'binary'; bytes: Buffer };

interface Client {
  messages: Received[];
  ws: WebSocket;
  /** Resolves once `executing` with node null arrives for `promptId`. */
  finished(promptId: string): Promise<void>;
}

const fakes: FakeComfy[] = [];
const clients: WebSocket[] = [];

afterEach(async () => {
  for (const ws of clients.splice(0)) ws.terminate();
  for (const fake of fakes.splice(0)) await fake.close();
});

async function start(options: Parameters<typeof startFakeComfy>[0] = {}): Promise<FakeComfy> {
  const fake = await startFakeComfy({ stepMs: 1, ...options });
  fakes.push(fake);
  return fake;
}

async function connect(fake: FakeComfy, clientId: string, first?: unknown): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${fake.port}/ws?clientId=${clientId}`);
  clients.push(ws);
  const messages: Received[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (raw: Buffer, isBinary: boolean) => {
    if (isBinary) messages.push({ type: 'binary', bytes: raw });
    else messages.push(JSON.parse(raw.toString('utf8')) as Received);
    for (const waiter of waiters.splice(0)) waiter();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  if (first !== undefined) ws.send(JSON.stringify(first));
  const done = (promptId: string): boolean =>
    messages.some(
      (m) => m.type === 'executing' && 'data' in m && m.data.node === null && m.data.prompt_id === promptId,
    );
  return {
    messages,
    ws,
    finished: (promptId) =>
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (done(promptId)) resolve();
          else waiters.push(check);
        };
        check();
      }),
  };
}

function txt2img(overrides: { steps?: number; batch?: number; seed?: number; prefix?: string } = {}) {
  return {
    '3': {
      class_type: 'KSampler',
      inputs: {
        seed: overrides.seed ?? 42,
        steps: overrides.steps ?? 3,
        cfg: 7,
        sampler_name: 'euler',
        scheduler: 'normal',
        denoise: 1,
        model: ['4', 0],
        positive: ['6', 0],
        negative: ['7', 0],
        latent_image: ['5', 0],
      },
    },
    '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'v1-5-pruned-emaonly.safetensors' } },
    '5': {
      class_type: 'EmptyLatentImage',
      inputs: { width: 64, height: 48, batch_size: overrides.batch ?? 1 },
    },
    '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a cat', clip: ['4', 1] } },
    '7': { class_type: 'CLIPTextEncode', inputs: { text: '', clip: ['4', 1] } },
    '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
    '9': {
      class_type: 'SaveImage',
      inputs: { filename_prefix: overrides.prefix ?? 'job', images: ['8', 0] },
    },
  };
}

async function post(fake: FakeComfy, path: string, body: unknown): Promise<Response> {
  return fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function queuePrompt(
  fake: FakeComfy,
  prompt: unknown,
  clientId: string,
  promptId?: string,
): Promise<string> {
  const response = await post(fake, '/prompt', { prompt, client_id: clientId, prompt_id: promptId });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { prompt_id: string };
  return body.prompt_id;
}

const types = (messages: Received[]): string[] => messages.map((m) => m.type);

async function upload(fake: FakeComfy, name: string, bytes: Buffer, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.append('image', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), name);
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  const response = await fetch(`${fake.url}/upload/image`, { method: 'POST', body: form });
  expect(response.status).toBe(200);
  return (await response.json()) as { name: string; subfolder: string; type: string };
}

describe('startFakeComfy', () => {
  describe('websocket messages', () => {
    it('sends the 0.3.64 order with the preview frame before each progress message', async () => {
      const fake = await start();
      const client = await connect(fake, 'bot-1');
      const id = await queuePrompt(fake, txt2img({ steps: 3 }), 'bot-1', 'my-own-id');
      expect(id).toBe('my-own-id');
      await client.finished(id);
      const seen = types(client.messages);
      const first = client.messages[0];
      expect(first?.type).toBe('status');
      expect(first !== undefined && 'data' in first ? first.data.sid : null).toBe('bot-1');
      const core = seen.filter((type) => type !== 'progress_state');
      expect(core.indexOf('execution_start')).toBeLessThan(core.indexOf('execution_cached'));
      expect(core.slice(-4)).toEqual(['executed', 'execution_success', 'status', 'executing']);
      const sampling = core.slice(core.indexOf('binary'), core.lastIndexOf('progress') + 1);
      expect(sampling).toEqual(['binary', 'progress', 'binary', 'progress', 'binary', 'progress']);
      expect(seen).toContain('progress_state');
      const executing = client.messages.flatMap((m) =>
        m.type === 'executing' && 'data' in m ? [m.data.node] : [],
      );
      expect(executing).toEqual(['4', '6', '7', '5', '3', '8', '9', null]);
      const frame = client.messages.find((m) => m.type === 'binary');
      const bytes = frame !== undefined && 'bytes' in frame ? frame.bytes : Buffer.alloc(0);
      expect(bytes.readUInt32BE(0)).toBe(1);
      expect(bytes.readUInt32BE(4)).toBe(1);
      expect(bytes.subarray(8, 10)).toEqual(Buffer.from([0xff, 0xd8]));
      const preview = await sharp(bytes.subarray(8)).metadata();
      expect([preview.width, preview.height]).toEqual([512, 384]);
    });

    it('sends the 0.3.12 order with the frame after progress and ignores a client prompt_id', async () => {
      const fake = await start({ version: '0.3.12' });
      const client = await connect(fake, 'bot-2');
      const id = await queuePrompt(fake, txt2img({ steps: 2 }), 'bot-2', 'my-own-id');
      expect(id).not.toBe('my-own-id');
      await client.finished(id);
      const seen = types(client.messages);
      expect(seen).not.toContain('progress_state');
      const sampling = seen.slice(seen.indexOf('progress'), seen.lastIndexOf('binary') + 1);
      expect(sampling).toEqual(['progress', 'binary', 'progress', 'binary']);
      expect(seen.slice(-4)).toEqual(['executed', 'execution_success', 'status', 'executing']);
    });

    it('sends no binary frames when started without a preview method', async () => {
      const fake = await start({ previews: false });
      const client = await connect(fake, 'bot-3');
      const id = await queuePrompt(fake, txt2img({ steps: 2 }), 'bot-3');
      await client.finished(id);
      expect(types(client.messages)).not.toContain('binary');
      expect(types(client.messages).filter((type) => type === 'progress')).toHaveLength(2);
    });

    it('sends type-4 frames with prompt and node ids when the client asked for preview metadata', async () => {
      const fake = await start();
      const client = await connect(fake, 'bot-4', {
        type: 'feature_flags',
        data: { supports_preview_metadata: true },
      });
      const id = await queuePrompt(fake, txt2img({ steps: 1 }), 'bot-4');
      await client.finished(id);
      expect(types(client.messages)).toContain('feature_flags');
      const frame = client.messages.find((m) => m.type === 'binary');
      const bytes = frame !== undefined && 'bytes' in frame ? frame.bytes : Buffer.alloc(0);
      expect(bytes.readUInt32BE(0)).toBe(4);
      const length = bytes.readUInt32BE(4);
      const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8')) as Record<string, unknown>;
      expect(header).toMatchObject({ prompt_id: id, node_id: '3', image_type: 'image/jpeg' });
      expect(bytes.subarray(8 + length, 10 + length)).toEqual(Buffer.from([0xff, 0xd8]));
    });

    it('reports cached nodes and skips sampling when the same graph runs again', async () => {
      const fake = await start();
      const client = await connect(fake, 'bot-5');
      const first = await queuePrompt(fake, txt2img({ prefix: 'a' }), 'bot-5');
      await client.finished(first);
      client.messages.length = 0;
      const second = await queuePrompt(fake, txt2img({ prefix: 'b' }), 'bot-5');
      await client.finished(second);
      const cached = client.messages.find((m) => m.type === 'execution_cached');
      expect(cached !== undefined && 'data' in cached ? cached.data.nodes : null).toEqual([
        '4',
        '6',
        '7',
        '5',
        '3',
        '8',
      ]);
      expect(types(client.messages)).not.toContain('progress');
    });

    it('sends only queue status to a client whose prompt is not the one running', async () => {
      const fake = await start();
      const client = await connect(fake, 'bot-6');
      const external = fake.startExternalPrompt({ steps: 20 });
      expect(await fake.whenRunning()).toBe(external);
      const queue = (await (await fetch(`${fake.url}/api/queue`)).json()) as { queue_running: unknown[][] };
      expect(queue.queue_running[0]?.[1]).toBe(external);
      const mine = await queuePrompt(fake, txt2img({ steps: 1 }), 'bot-6');
      await client.finished(mine);
      const promptIds = client.messages.flatMap((m) =>
        'data' in m && 'prompt_id' in m.data ? [m.data.prompt_id] : [],
      );
      expect(new Set(promptIds)).toEqual(new Set([mine]));
      const remaining = client.messages.flatMap((m) =>
        m.type === 'status' && 'data' in m
          ? [(m.data.status as { exec_info: { queue_remaining: number } }).exec_info.queue_remaining]
          : [],
      );
      expect(remaining).toContain(2);
    });
  });

  it('tells a client that reconnects mid-run which node is executing', async () => {
    const fake = await start({ stepMs: 5 });
    const first = await connect(fake, 'bot-re');
    const id = await queuePrompt(fake, txt2img({ steps: 100 }), 'bot-re');
    await fake.whenRunning();
    first.ws.terminate();
    const again = await connect(fake, 'bot-re');
    await again.finished(id);
    expect(again.messages[0]?.type).toBe('status');
    expect(again.messages[1]).toEqual({ type: 'executing', data: { node: '3' } });
    expect(types(again.messages)).toContain('execution_success');
  });

  describe('queue', () => {
    it('removes a pending prompt on POST /queue delete so it never runs', async () => {
      const fake = await start({ stepMs: 5 });
      const external = fake.startExternalPrompt({ steps: 400 });
      await fake.whenRunning();
      const mine = await queuePrompt(fake, txt2img(), 'bot-q');
      const before = (await (await fetch(`${fake.url}/queue`)).json()) as { queue_pending: unknown[][] };
      expect(before.queue_pending.map((item) => item[1])).toEqual([mine]);
      expect(before.queue_pending[0]?.[3]).toMatchObject({ client_id: 'bot-q' });
      await post(fake, '/queue', { delete: [mine] });
      const after = (await (await fetch(`${fake.url}/queue`)).json()) as { queue_pending: unknown[][] };
      expect(after.queue_pending).toEqual([]);
      await post(fake, '/interrupt', {});
      const prompt = (await (await fetch(`${fake.url}/prompt`)).json()) as object;
      expect(prompt).toHaveProperty('exec_info.queue_remaining');
      expect(fake.interrupts.at(-1)).toMatchObject({
        promptId: null,
        runningPromptId: external,
        interrupted: true,
      });
      const historyOf = async (id: string): Promise<object> =>
        (await (await fetch(`${fake.url}/history/${id}`)).json()) as object;
      while (Object.keys(await historyOf(external)).length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const queue = (await (await fetch(`${fake.url}/queue`)).json()) as { queue_running: unknown[] };
      expect(queue.queue_running).toEqual([]);
      expect(await historyOf(mine)).toEqual({});
    });
  });

  describe('validation', () => {
    it('accepts with node_errors when one output is valid and another is not', async () => {
      const fake = await start();
      const graph = {
        ...txt2img(),
        '20': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'missing.safetensors' } },
        '21': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['20', 2] } },
        '22': { class_type: 'SaveImage', inputs: { filename_prefix: 'b', images: ['21', 0] } },
      };
      const response = await post(fake, '/prompt', { prompt: graph, client_id: 'v' });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        node_errors: Record<string, { dependent_outputs: string[] }>;
      };
      expect(Object.keys(body.node_errors)).toEqual(['20']);
      expect(body.node_errors['20']?.dependent_outputs).toEqual(['22']);
      expect(fake.prompts.at(-1)?.accepted).toBe(true);
    });

    it('answers /features on 0.3.64 only', async () => {
      const modern = await start();
      expect(await (await fetch(`${modern.url}/features`)).json()).toMatchObject({
        supports_preview_metadata: true,
      });
      const old = await start({ version: '0.3.12' });
      expect((await fetch(`${old.url}/api/features`)).status).toBe(404);
    });

    const cases: [string, (graph: ReturnType<typeof txt2img>) => unknown, string, string | null][] = [
      [
        'a required input is missing',
        (g) => ({ ...g, '6': { class_type: 'CLIPTextEncode', inputs: { text: 'x' } } }),
        'required_input_missing',
        'clip',
      ],
      [
        'a sampler is not in the list',
        (g) => ({ ...g, '3': { ...g['3'], inputs: { ...g['3'].inputs, sampler_name: 'Euler a' } } }),
        'value_not_in_list',
        'sampler_name',
      ],
      [
        'steps are below the minimum',
        (g) => ({ ...g, '3': { ...g['3'], inputs: { ...g['3'].inputs, steps: 0 } } }),
        'value_smaller_than_min',
        'steps',
      ],
      [
        'denoise is above the maximum',
        (g) => ({ ...g, '3': { ...g['3'], inputs: { ...g['3'].inputs, denoise: 1.5 } } }),
        'value_bigger_than_max',
        'denoise',
      ],
      [
        'a link points at an output of the wrong type',
        (g) => ({ ...g, '3': { ...g['3'], inputs: { ...g['3'].inputs, model: ['4', 2] } } }),
        'return_type_mismatch',
        'model',
      ],
      [
        'a link points at a node that is not in the graph',
        (g) => ({ ...g, '8': { ...g['8'], inputs: { ...g['8'].inputs, samples: ['99', 0] } } }),
        'exception_during_inner_validation',
        'images',
      ],
    ];

    it.each(cases)('answers 400 with node_errors when %s', async (_label, change, type, input) => {
      const fake = await start();
      const response = await post(fake, '/prompt', { prompt: change(txt2img()), client_id: 'v' });
      expect(response.status).toBe(400);
      const body = (await response.json()) as {
        error: { type: string };
        node_errors: Record<
          string,
          { errors: { type: string; extra_info: { input_name: string } }[]; class_type: string }
        >;
      };
      expect(body.error.type).toBe('prompt_outputs_failed_validation');
      const errors = Object.values(body.node_errors).flatMap((node) => node.errors);
      expect(errors[0]?.type).toBe(type);
      expect(errors[0]?.extra_info.input_name).toBe(input);
    });

    it('answers invalid_prompt with empty node_errors when a class does not exist', async () => {
      const fake = await start();
      const graph = { ...txt2img(), '10': { class_type: 'NoSuchNode', inputs: {} } };
      const response = await post(fake, '/prompt', { prompt: graph });
      expect(response.status).toBe(400);
      const body = (await response.json()) as {
        error: { type: string; message: string };
        node_errors: object;
      };
      expect(body.error).toMatchObject({
        type: 'invalid_prompt',
        message: 'Cannot execute because node NoSuchNode does not exist.',
      });
      expect(body.node_errors).toEqual({});
    });

    it('answers prompt_no_outputs when no node saves anything', async () => {
      const fake = await start();
      const { '9': _save, ...graph } = txt2img();
      const response = await post(fake, '/prompt', { prompt: graph });
      expect(((await response.json()) as { error: { type: string } }).error.type).toBe('prompt_no_outputs');
    });

    it('answers no_prompt when the body has no prompt, and 500 text for malformed JSON', async () => {
      const fake = await start();
      const missing = await post(fake, '/api/prompt', { client_id: 'x' });
      expect(missing.status).toBe(400);
      expect(((await missing.json()) as { error: { type: string } }).error.type).toBe('no_prompt');
      const malformed = await fetch(`${fake.url}/prompt`, { method: 'POST', body: '{"prompt": ' });
      expect(malformed.status).toBe(500);
      expect(malformed.headers.get('content-type')).toContain('text/plain');
    });

    it('lists 42 samplers with simple first on 0.3.64 and 31 with normal first on 0.3.12', async () => {
      for (const [version, count, first] of [
        ['0.3.64', 42, 'simple'],
        ['0.3.12', 31, 'normal'],
      ] as const) {
        const fake = await start({ version });
        const info = (await (await fetch(`${fake.url}/object_info/KSampler`)).json()) as {
          KSampler: { input: { required: { sampler_name: [string[]]; scheduler: [string[]] } } };
        };
        expect(info.KSampler.input.required.sampler_name[0]).toHaveLength(count);
        expect(info.KSampler.input.required.scheduler[0][0]).toBe(first);
        const models = await fetch(`${fake.url}/models/checkpoints`);
        expect(models.status).toBe(version === '0.3.64' ? 200 : 404);
      }
    });
  });

  describe('interrupt', () => {
    it('ignores a 0.3.64 interrupt naming another prompt and honours one naming the running prompt', async () => {
      const fake = await start({ stepMs: 5 });
      const client = await connect(fake, 'bot-i');
      const id = await queuePrompt(fake, txt2img({ steps: 400 }), 'bot-i');
      await fake.whenRunning();
      await post(fake, '/interrupt', { prompt_id: 'someone-else' });
      expect(fake.interrupts.at(-1)?.interrupted).toBe(false);
      await post(fake, '/interrupt', { prompt_id: id });
      await client.finished(id);
      const seen = types(client.messages);
      expect(seen).toContain('execution_interrupted');
      expect(seen).not.toContain('execution_success');
      expect(seen.slice(-3)).toEqual(['execution_interrupted', 'status', 'executing']);
      const history = (await (await fetch(`${fake.url}/history/${id}`)).json()) as Record<
        string,
        { status: { status_str: string; completed: boolean } }
      >;
      expect(history[id]?.status).toMatchObject({ status_str: 'error', completed: false });
    });

    it('interrupts the running prompt on 0.3.12 whatever prompt_id the body names', async () => {
      const fake = await start({ version: '0.3.12', stepMs: 5 });
      const client = await connect(fake, 'bot-j');
      const id = await queuePrompt(fake, txt2img({ steps: 400 }), 'bot-j');
      await fake.whenRunning();
      await post(fake, '/interrupt', { prompt_id: 'someone-else' });
      await client.finished(id);
      expect(types(client.messages)).toContain('execution_interrupted');
    });
  });

  describe('uploads, history and view', () => {
    it('keeps the name for identical content and renames different content', async () => {
      const fake = await start();
      const a = renderPng({ width: 8, height: 8, seed: 1 });
      const b = renderPng({ width: 8, height: 8, seed: 2 });
      expect((await upload(fake, 'in.png', a)).name).toBe('in.png');
      expect((await upload(fake, 'in.png', a)).name).toBe('in.png');
      expect(await upload(fake, 'in.png', b)).toEqual({ name: 'in (1).png', subfolder: '', type: 'input' });
      expect((await upload(fake, 'in.png', b)).name).toBe('in (1).png');
      expect((await upload(fake, 'in.png', b, { overwrite: 'true' })).name).toBe('in.png');
      const info = fake.objectInfo().LoadImage?.input.required.image?.[0];
      expect(info).toEqual(['in (1).png', 'in.png']);
    });

    it('serves a batch of saved images of the latent size through history and view', async () => {
      const fake = await start();
      const client = await connect(fake, 'bot-h');
      const id = await queuePrompt(fake, txt2img({ batch: 2, prefix: 'job-1' }), 'bot-h');
      await client.finished(id);
      const history = (await (await fetch(`${fake.url}/history/${id}`)).json()) as Record<
        string,
        { outputs: Record<string, { images: { filename: string; subfolder: string; type: string }[] }> }
      >;
      const images = history[id]?.outputs['9']?.images ?? [];
      expect(images.map((image) => image.filename)).toEqual(['job-1_00001_.png', 'job-1_00002_.png']);
      const bytes = await Promise.all(
        images.map(async (image) => {
          const query = new URLSearchParams({
            filename: image.filename,
            subfolder: image.subfolder,
            type: image.type,
          });
          const response = await fetch(`${fake.url}/view?${query}`);
          expect(response.headers.get('content-type')).toBe('image/png');
          return Buffer.from(await response.arrayBuffer());
        }),
      );
      expect(bytes.map((png) => readPngSize(png))).toEqual([
        { width: 64, height: 48 },
        { width: 64, height: 48 },
      ]);
      expect(bytes[0]?.equals(bytes[1] ?? Buffer.alloc(0))).toBe(false);
      expect((await fetch(`${fake.url}/view?filename=nope.png&type=output`)).status).toBe(404);
      expect(await (await fetch(`${fake.url}/history/unknown`)).json()).toEqual({});
    });

    it('gives img2img output the size of the loaded image', async () => {
      const fake = await start();
      const client = await connect(fake, 'bot-k');
      const uploaded = await upload(fake, 'src.png', renderPng({ width: 96, height: 64, seed: 3 }));
      const base = txt2img({ steps: 2 });
      const graph = {
        ...base,
        '3': { ...base['3'], inputs: { ...base['3'].inputs, latent_image: ['11', 0], denoise: 0.5 } },
        '10': { class_type: 'LoadImage', inputs: { image: uploaded.name } },
        '11': { class_type: 'VAEEncode', inputs: { pixels: ['10', 0], vae: ['4', 2] } },
      };
      const { '5': _latent, ...withoutLatent } = graph;
      const id = await queuePrompt(fake, withoutLatent, 'bot-k');
      await client.finished(id);
      const executed = client.messages.find((m) => m.type === 'executed');
      const output = executed !== undefined && 'data' in executed ? executed.data.output : null;
      const filename = (output as { images: { filename: string }[] }).images[0]?.filename ?? '';
      const png = Buffer.from(await (await fetch(`${fake.url}/view?filename=${filename}`)).arrayBuffer());
      expect(readPngSize(png)).toEqual({ width: 96, height: 64 });
    });
  });

  describe('test controls', () => {
    it('fails the chosen node with an execution_error and an error history entry', async () => {
      const fake = await start();
      const client = await connect(fake, 'bot-f');
      fake.failNext({
        nodeClass: 'VAEDecode',
        message: 'CUDA out of memory',
        exceptionType: 'torch.OutOfMemoryError',
      });
      const id = await queuePrompt(fake, txt2img(), 'bot-f');
      await client.finished(id);
      const error = client.messages.find((m) => m.type === 'execution_error');
      expect(error !== undefined && 'data' in error ? error.data : null).toMatchObject({
        prompt_id: id,
        node_id: '8',
        node_type: 'VAEDecode',
        exception_message: 'CUDA out of memory',
        exception_type: 'torch.OutOfMemoryError',
      });
      expect(types(client.messages).slice(-3)).toEqual(['execution_error', 'status', 'executing']);
      const history = (await (await fetch(`${fake.url}/history`)).json()) as Record<
        string,
        { status: object }
      >;
      expect(history[id]?.status).toMatchObject({ status_str: 'error', completed: false });
    });

    it('keeps history across kill and restart but loses the queue', async () => {
      const fake = await start();
      const client = await connect(fake, 'bot-r');
      const done = await queuePrompt(fake, txt2img({ steps: 1 }), 'bot-r');
      await client.finished(done);
      await queuePrompt(fake, txt2img({ steps: 200, seed: 9 }), 'bot-r');
      await fake.whenRunning();
      await fake.kill();
      await expect(fetch(`${fake.url}/queue`)).rejects.toThrow();
      await fake.restart();
      const queue = (await (await fetch(`${fake.url}/queue`)).json()) as { queue_running: unknown[] };
      expect(queue.queue_running).toEqual([]);
      const history = (await (await fetch(`${fake.url}/history`)).json()) as Record<string, unknown>;
      expect(Object.keys(history)).toEqual([done]);
    });

    it('closes every socket on dropSockets and records requests', async () => {
      const fake = await start();
      const client = await connect(fake, 'bot-d');
      const closed = new Promise<number>((resolve) =>
        client.ws.once('close', (code: number) => resolve(code)),
      );
      fake.dropSockets();
      expect(await closed).toBe(1001);
      await fetch(`${fake.url}/api/system_stats`);
      expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: '/system_stats' });
    });
  });
});
