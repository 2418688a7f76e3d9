import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  type ComfyRunState,
  createComfyRunState,
  reduceComfyMessage,
} from '../../src/engines/comfyui/events.js';
import { type ApiGraph, buildGraph, progressNodeIds } from '../../src/engines/comfyui/graph.js';
import { parseHistoryEntry } from '../../src/engines/comfyui/history.js';
import { type ComfyMessage, parseComfyFrame, parseComfyMessage } from '../../src/engines/comfyui/messages.js';
import { toComfyErrorMessage } from '../../src/engines/comfyui/prompt-errors.js';
import { type ComfyVersion, type FakeComfy, startFakeComfy } from '../fakes/comfyui/server.js';

const ID = 'prompt-ours';

type Input = Parameters<typeof reduceComfyMessage>[1];

function run(messages: Input[], progressNodes: string[] = ['3'], number = 5): ComfyRunState {
  return messages.reduce(
    (state, message) => reduceComfyMessage(state, message, ID),
    createComfyRunState({ promptId: ID, number, progressNodes }),
  );
}

const status = (remaining: number): ComfyMessage => ({
  type: 'status',
  data: { status: { exec_info: { queue_remaining: remaining } } },
});
const progress = (node: string, value: number, max: number, promptId: string | null = ID): ComfyMessage => ({
  type: 'progress',
  data: { prompt_id: promptId, node, value, max },
});

function sdGraph(): ApiGraph {
  return buildGraph({
    kind: 'txt2img',
    prompt: 'a boat',
    negativePrompt: '',
    seed: 5,
    steps: 3,
    cfg: 7,
    width: 64,
    height: 64,
    batch: 2,
    sampler: 'euler',
    scheduler: 'normal',
    checkpoint: 'v1-5-pruned-emaonly.safetensors',
    loras: [],
    filenamePrefix: 'job-7',
  });
}

/** txt2img followed by a second sampling pass on the first pass's latent (a hires-fix shape). */
function twoPassGraph(): ApiGraph {
  const graph = sdGraph();
  const first = graph['3'];
  if (first === undefined) throw new Error('no sampler');
  graph['20'] = {
    class_type: 'KSampler',
    inputs: { ...first.inputs, steps: 2, denoise: 0.5, latent_image: ['3', 0] },
  };
  const decode = graph['8'];
  if (decode !== undefined) decode.inputs.samples = ['20', 0];
  return graph;
}

describe('reduceComfyMessage', () => {
  it('estimates the place in line from queue_remaining and never moves back when others queue behind', () => {
    let state = createComfyRunState({ promptId: ID, number: 5, progressNodes: ['3'] });
    const states: ComfyRunState[] = [];
    for (const message of [status(4), status(5), status(2)]) {
      state = reduceComfyMessage(state, message, ID);
      states.push(state);
    }
    expect(states.map((state) => state.ahead)).toEqual([3, 3, 1]);
    expect(states.at(-1)?.phase).toBe('queued');
  });

  it('counts the prompts ahead exactly from a /queue snapshot using the numbers', () => {
    const state = run([
      {
        type: 'queue',
        data: {
          queue_running: [[1, 'other-running', {}, {}, []]],
          queue_pending: [
            [3, 'other-ahead', {}, {}, []],
            [5, ID, {}, {}, []],
            [8, 'other-behind', {}, {}, []],
          ],
        },
      },
    ]);
    expect(state.ahead).toBe(2);
  });

  it('ignores every message about another prompt', () => {
    const state = run([
      { type: 'execution_start', data: { prompt_id: 'theirs' } },
      { type: 'executing', data: { prompt_id: 'theirs', node: '3' } },
      progress('3', 1, 20, 'theirs'),
      { type: 'execution_success', data: { prompt_id: 'theirs' } },
      { type: 'executing', data: { prompt_id: 'theirs', node: null } },
      { type: 'preview', image: Buffer.from('x') },
    ]);
    expect(state).toEqual(createComfyRunState({ promptId: ID, number: 5, progressNodes: ['3'] }));
  });

  it('numbers the sampling passes as stages when the graph has two samplers', () => {
    const state1 = run(
      [{ type: 'execution_start', data: { prompt_id: ID } }, progress('3', 2, 20)],
      ['3', '20'],
    );
    expect(state1.progress).toEqual({ value: 2, max: 20, node: '3', stage: 1, stages: 2 });
    const state2 = [progress('20', 1, 10)].reduce(
      (state, message) => reduceComfyMessage(state, message, ID),
      state1,
    );
    expect(state2.progress).toEqual({ value: 1, max: 10, node: '20', stage: 2, stages: 2 });
  });

  it('drops a cached sampler from the stage count', () => {
    const state = run(
      [
        { type: 'execution_start', data: { prompt_id: ID } },
        { type: 'execution_cached', data: { prompt_id: ID, nodes: ['4', '3'] } },
        progress('20', 1, 10),
      ],
      ['3', '20'],
    );
    expect(state.cachedNodes).toEqual(['4', '3']);
    expect(state.progress).toMatchObject({ stage: 1, stages: 1 });
  });

  it('records the failing node when execution_error arrives and stays failed afterwards', () => {
    const state = run([
      { type: 'execution_start', data: { prompt_id: ID } },
      {
        type: 'execution_error',
        data: {
          prompt_id: ID,
          node_id: '8',
          node_type: 'VAEDecode',
          exception_message: 'CUDA out of memory',
          exception_type: 'torch.OutOfMemoryError',
          traceback: [],
        },
      },
      status(0),
      { type: 'executing', data: { prompt_id: ID, node: null } },
    ]);
    expect(state.phase).toBe('error');
    expect(state.error).toEqual({
      nodeId: '8',
      nodeType: 'VAEDecode',
      message: 'CUDA out of memory',
      exceptionType: 'torch.OutOfMemoryError',
    });
  });

  it('ends interrupted when execution_interrupted arrives', () => {
    const state = run([
      { type: 'execution_start', data: { prompt_id: ID } },
      { type: 'execution_interrupted', data: { prompt_id: ID, node_id: '3', node_type: 'KSampler' } },
      { type: 'executing', data: { prompt_id: ID, node: null } },
    ]);
    expect(state.phase).toBe('interrupted');
  });

  it('ends done on executing null even without execution_success', () => {
    const state = run([
      { type: 'executing', data: { prompt_id: ID, node: '9' } },
      { type: 'executing', data: { prompt_id: ID, node: null } },
    ]);
    expect(state.phase).toBe('done');
    expect(state.currentNode).toBeNull();
  });

  it('keeps a preview only while ours runs and drops one that names another prompt', () => {
    const image = Buffer.from([0xff, 0xd8, 1]);
    expect(run([{ type: 'preview', image }]).preview).toBeNull();
    const running = run([
      { type: 'execution_start', data: { prompt_id: ID } },
      { type: 'preview', image },
    ]);
    expect(running.preview).toEqual(image);
    const other = reduceComfyMessage(
      running,
      { type: 'preview', image: Buffer.from('other'), promptId: 'theirs' },
      ID,
    );
    expect(other.preview).toEqual(image);
  });

  it.each<ComfyVersion>(['0.3.64', '0.3.12'])(
    'follows a real %s run from the fake server to done with outputs and two stages',
    async (version) => {
      const fake = await startFakeComfy({ version, stepMs: 1 });
      fakes.push(fake);
      const { messages, ws } = await listen(fake, 'events-client');
      const graph = twoPassGraph();
      const response = await fetch(`${fake.url}/prompt`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: graph, client_id: 'events-client' }),
      });
      const { prompt_id: promptId, number } = (await response.json()) as {
        prompt_id: string;
        number: number;
      };
      let state = createComfyRunState({ promptId, number, progressNodes: progressNodeIds(graph) });
      const stages = new Set<string>();
      const previews: Buffer[] = [];
      await new Promise<void>((resolve) => {
        const step = (): void => {
          for (const message of messages.splice(0)) {
            state = reduceComfyMessage(state, message, promptId);
            if (message.type === 'preview') previews.push(message.image);
            if (state.progress !== null) stages.add(`${state.progress.stage}/${state.progress.stages}`);
          }
          if (state.phase === 'queued' || state.phase === 'running') setTimeout(step, 5);
          else resolve();
        };
        step();
      });
      ws.terminate();
      expect(state.phase).toBe('done');
      expect([...stages]).toEqual(['1/2', '2/2']);
      expect(previews.length).toBe(5);
      expect(state.preview?.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      expect(state.outputs['9']?.map((image) => image.filename)).toEqual([
        'job-7_00001_.png',
        'job-7_00002_.png',
      ]);
    },
  );
});

const fakes: FakeComfy[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

async function listen(fake: FakeComfy, clientId: string): Promise<{ messages: Input[]; ws: WebSocket }> {
  const ws = new WebSocket(`ws://127.0.0.1:${fake.port}/ws?clientId=${clientId}`);
  const messages: Input[] = [];
  ws.on('message', (raw: Buffer, isBinary: boolean) => {
    if (isBinary) {
      const frame = parseComfyFrame(raw);
      if (frame !== null) messages.push({ type: 'preview', image: frame.image, promptId: frame.promptId });
      return;
    }
    const message = parseComfyMessage(raw.toString('utf8'));
    if (message !== null) messages.push(message);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { messages, ws };
}

describe('parseComfyMessage', () => {
  it('parses known messages and coerces numeric node ids to strings', () => {
    expect(parseComfyMessage('{"type":"executing","data":{"node":3,"prompt_id":"p"}}')).toEqual({
      type: 'executing',
      data: { node: '3', prompt_id: 'p' },
    });
    expect(parseComfyMessage('{"type":"crystools.monitor","data":{}}')).toBeNull();
    expect(parseComfyMessage('{"type":"progress","data":{"value":"x"}}')).toBeNull();
    expect(parseComfyMessage('not json')).toBeNull();
  });
});

describe('parseComfyFrame', () => {
  it('reads a type-1 JPEG frame and a type-4 frame with its JSON header', () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
    const one = Buffer.concat([Buffer.from([0, 0, 0, 1, 0, 0, 0, 1]), jpeg]);
    expect(parseComfyFrame(one)).toEqual({
      type: 'preview',
      image: jpeg,
      format: 'jpeg',
      promptId: null,
      nodeId: null,
    });
    const meta = Buffer.from(JSON.stringify({ prompt_id: 'p', node_id: '3', image_type: 'image/png' }));
    const header = Buffer.alloc(8);
    header.writeUInt32BE(4, 0);
    header.writeUInt32BE(meta.length, 4);
    expect(parseComfyFrame(Buffer.concat([header, meta, jpeg]))).toEqual({
      type: 'preview',
      image: jpeg,
      format: 'png',
      promptId: 'p',
      nodeId: '3',
    });
    expect(parseComfyFrame(Buffer.from([0, 0, 0, 3, 0, 0, 0, 0]))).toBeNull();
    expect(parseComfyFrame(Buffer.from([0, 0]))).toBeNull();
  });
});

describe('toComfyErrorMessage', () => {
  async function rejection(change: (graph: ApiGraph) => void): Promise<{ body: unknown; graph: ApiGraph }> {
    const fake = await startFakeComfy();
    fakes.push(fake);
    const graph = sdGraph();
    change(graph);
    const response = await fetch(`${fake.url}/prompt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: graph }),
    });
    expect(response.status).toBe(400);
    return { body: await response.json(), graph };
  }

  it.each<[string, (graph: ApiGraph) => void, string]>([
    [
      'a sampler is not offered',
      (g) => {
        if (g['3']) g['3'].inputs.sampler_name = 'Euler a';
      },
      'ComfyUI rejected the workflow: node 3 (KSampler) has input "sampler_name" set to "Euler a", which the server does not offer.',
    ],
    [
      'a checkpoint is missing from the server',
      (g) => {
        if (g['4']) g['4'].inputs.ckpt_name = 'gone.safetensors';
      },
      'ComfyUI rejected the workflow: node 4 (CheckpointLoaderSimple "Load Checkpoint") has input "ckpt_name" set to "gone.safetensors", which the server does not offer.',
    ],
    [
      'an input is missing',
      (g) => {
        delete g['6']?.inputs.clip;
      },
      'ComfyUI rejected the workflow: node 6 (CLIPTextEncode "Positive prompt") is missing its required input "clip".',
    ],
    [
      'steps are out of range',
      (g) => {
        if (g['3']) g['3'].inputs.steps = 0;
      },
      'ComfyUI rejected the workflow: node 3 (KSampler) has input "steps" set to 0, below the allowed range (minimum 1).',
    ],
    [
      'a link has the wrong type',
      (g) => {
        if (g['3']) g['3'].inputs.model = ['4', 1];
      },
      'ComfyUI rejected the workflow: node 3 (KSampler) has input "model" linked to an output of the wrong type (got CLIP, needs MODEL).',
    ],
    [
      'a class does not exist',
      (g) => {
        g['30'] = { class_type: 'UltimateSDUpscale', inputs: {} };
      },
      'ComfyUI rejected the workflow: it uses node class "UltimateSDUpscale" (node 30), which the server does not have.',
    ],
    [
      'there is no output',
      (g) => {
        delete g['9'];
      },
      'ComfyUI rejected the workflow: it has no output node such as SaveImage.',
    ],
  ])('says which node and input when %s', async (_label, change, sentence) => {
    const { body, graph } = await rejection(change);
    expect(toComfyErrorMessage(body, graph)).toBe(sentence);
  });

  it('counts further problems and survives a body it does not understand', async () => {
    const { body } = await rejection((g) => {
      if (g['3']) {
        g['3'].inputs.steps = 0;
        g['3'].inputs.cfg = 500;
      }
    });
    expect(toComfyErrorMessage(body)).toMatch(
      /^ComfyUI rejected the workflow: node 3 \(KSampler\) .* \(and 1 more problem\)\.$/,
    );
    expect(toComfyErrorMessage('<html>')).toBe('ComfyUI rejected the workflow without saying why.');
  });
});

describe('parseHistoryEntry', () => {
  async function settle(fake: FakeComfy, graph: ApiGraph, whileRunning?: (id: string) => Promise<void>) {
    const response = await fetch(`${fake.url}/prompt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: graph, client_id: 'history-client' }),
    });
    const { prompt_id: promptId } = (await response.json()) as { prompt_id: string };
    if (whileRunning !== undefined) {
      await fake.whenRunning();
      await whileRunning(promptId);
    }
    for (;;) {
      const history: unknown = await (await fetch(`${fake.url}/history/${promptId}`)).json();
      const outcome = parseHistoryEntry(history, promptId);
      if (outcome.state !== 'unknown') return outcome;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  it('reads the saved images of a finished prompt', async () => {
    const fake = await startFakeComfy({ stepMs: 1 });
    fakes.push(fake);
    const outcome = await settle(fake, sdGraph());
    expect(outcome).toEqual({
      state: 'success',
      images: {
        '9': [
          { filename: 'job-7_00001_.png', subfolder: '', type: 'output' },
          { filename: 'job-7_00002_.png', subfolder: '', type: 'output' },
        ],
      },
    });
  });

  it('reads the failing node and message of a prompt that failed', async () => {
    const fake = await startFakeComfy({ stepMs: 1 });
    fakes.push(fake);
    fake.failNext({ message: 'Allocation on device failed' });
    expect(await settle(fake, sdGraph())).toEqual({
      state: 'error',
      images: {},
      nodeId: '3',
      nodeType: 'KSampler',
      message: 'Allocation on device failed',
    });
  });

  it('tells an interrupted prompt apart from a failed one', async () => {
    const fake = await startFakeComfy({ stepMs: 5 });
    fakes.push(fake);
    const graph = sdGraph();
    if (graph['3']) graph['3'].inputs.steps = 400;
    const outcome = await settle(fake, graph, async (id) => {
      await fetch(`${fake.url}/interrupt`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt_id: id }),
      });
    });
    expect(outcome.state).toBe('interrupted');
  });

  it('answers unknown for an empty or foreign answer', () => {
    expect(parseHistoryEntry({}, 'p')).toEqual({ state: 'unknown' });
    expect(parseHistoryEntry({ other: { outputs: {} } }, 'p')).toEqual({ state: 'unknown' });
    expect(parseHistoryEntry('nope', 'p')).toEqual({ state: 'unknown' });
  });
});
