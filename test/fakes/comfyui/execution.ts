/**
 * The fake ComfyUI's executor: one prompt at a time in `number` order, nodes in dependency order with
 * ComfyUI's caching by input signature, WebSocket messages in each version's order, previews, interrupts
 * (checked before each node and at each step), injected failures, and the history entry at the end.
 */
import { renderPng } from '../webui/png.js';
import { previewFrame, previewFrameWithMetadata, previewJpeg } from './frames.js';
import {
  imageSizeOf,
  NodeExecutionError,
  type NodeResult,
  type NodeValue,
  runNode,
  type SavedImage,
} from './nodes.js';
import { SAMPLER_CLASSES } from './object-info.js';
import {
  broadcastStatus,
  type ClientSocket,
  type ComfyState,
  fileKey,
  type HistoryEntry,
  inputFile,
  objectInfoOf,
  type QueueItem,
  send,
  sendBinary,
} from './state.js';
import { type ApiPrompt, inputValue } from './validation.js';

class Interrupted extends Error {}
/** The server was killed while this prompt ran: it leaves no trace. */
export class Killed extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Queues a validated prompt and starts it when nothing runs. */
export function enqueue(state: ComfyState, item: QueueItem): void {
  state.pending.push(item);
  broadcastStatus(state);
  setImmediate(() => pump(state));
}

export function pump(state: ComfyState): void {
  if (state.running !== null || state.pending.length === 0) return;
  state.pending.sort((a, b) => a.number - b.number);
  const item = state.pending.shift();
  if (item === undefined) return;
  state.running = item;
  const myGeneration = state.generation;
  execute(state, item, myGeneration)
    .catch((error: unknown) => {
      if (!(error instanceof Killed)) throw error;
    })
    .finally(() => {
      if (myGeneration === state.generation) {
        state.running = null;
        state.lastNode = null;
        setImmediate(() => pump(state));
      }
    });
}

function executionOrder(prompt: ApiPrompt, outputs: string[]): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const node = prompt[id];
    if (node === undefined) return;
    for (const value of Object.values(node.inputs)) {
      if (Array.isArray(value) && value.length === 2) visit(String(value[0]));
    }
    order.push(id);
  };
  for (const output of outputs) visit(output);
  return order;
}

function signatures(state: ComfyState, prompt: ApiPrompt, order: string[]): Map<string, string> {
  const result = new Map<string, string>();
  for (const id of order) {
    const node = prompt[id];
    if (node === undefined) continue;
    const inputs: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(node.inputs)) {
      inputs[name] =
        Array.isArray(value) && value.length === 2 ? [result.get(String(value[0])), value[1]] : value;
    }
    if (node.class_type === 'LoadImage') {
      const bytes = inputFile(state, String(node.inputs.image));
      inputs.__file = bytes === undefined ? null : bytes.toString('base64').slice(-64) + bytes.length;
    }
    result.set(id, JSON.stringify([node.class_type, inputs]));
  }
  return result;
}

function saveImages(
  state: ComfyState,
  images: Extract<NodeValue, { kind: 'IMAGE' }>,
  prefix: string,
  type: 'output' | 'temp',
  prompt: ApiPrompt,
): SavedImage[] {
  const slash = prefix.lastIndexOf('/');
  const subfolder = slash < 0 ? '' : prefix.slice(0, slash);
  const base = slash < 0 ? prefix : prefix.slice(slash + 1);
  const counterKey = `${type}/${subfolder}/${base}`;
  const saved: SavedImage[] = [];
  for (const key of images.keys) {
    const counter = (state.counters.get(counterKey) ?? 0) + 1;
    state.counters.set(counterKey, counter);
    const filename = `${base}_${String(counter).padStart(5, '0')}_.png`;
    const png = renderPng({
      width: images.width,
      height: images.height,
      seed: key,
      noise: state.noise,
      text: { prompt: JSON.stringify(prompt) },
    });
    state.files.set(fileKey(type, subfolder, filename), png);
    saved.push({ filename, subfolder, type });
  }
  return saved;
}

async function execute(state: ComfyState, item: QueueItem, myGeneration: number): Promise<void> {
  const alive = (): void => {
    if (myGeneration !== state.generation) throw new Killed();
  };
  const clientId = typeof item.extraData.client_id === 'string' ? item.extraData.client_id : null;
  const promptId = item.promptId;
  const messages: [string, Record<string, unknown>][] = [];
  const note = (type: string, data: Record<string, unknown>): void => {
    messages.push([type, data]);
    send(state, clientId, type, data);
  };
  state.interruptFlag = false;
  broadcastStatus(state);
  for (const waiter of state.runningWaiters) waiter(promptId);
  state.runningWaiters = [];
  note('execution_start', { prompt_id: promptId, timestamp: Date.now() });

  const order = executionOrder(item.prompt, item.outputs);
  const keys = signatures(state, item.prompt, order);
  const cached = order.filter((id) => state.cache.has(keys.get(id) ?? ''));
  note('execution_cached', { nodes: cached, prompt_id: promptId, timestamp: Date.now() });

  const values = new Map<string, NodeValue[]>();
  const outputs: HistoryEntry['outputs'] = {};
  const meta: NonNullable<HistoryEntry['meta']> = {};
  const nextCache = new Map<string, NodeResult>();
  const progressNodes: Record<string, Record<string, unknown>> = {};
  const progressState = (id: string, value: number, max: number, nodeState: string): void => {
    if (!state.modern) return;
    progressNodes[id] = {
      value,
      max,
      state: nodeState,
      node_id: id,
      prompt_id: promptId,
      display_node_id: id,
      parent_node_id: null,
      real_node_id: id,
    };
    send(state, clientId, 'progress_state', { prompt_id: promptId, nodes: { ...progressNodes } });
  };
  const info = objectInfoOf(state);
  let outcome: 'success' | 'error' = 'success';

  for (const id of order) {
    const node = item.prompt[id];
    if (node === undefined) continue;
    const key = keys.get(id) ?? '';
    const hit = state.cache.get(key);
    const record = (result: NodeResult): void => {
      values.set(id, result.outputs);
      nextCache.set(key, result);
      if (result.ui !== undefined) {
        outputs[id] = result.ui;
        meta[id] = { node_id: id, display_node: id, parent_node: null, real_node_id: id };
        send(state, clientId, 'executed', {
          node: id,
          display_node: id,
          output: result.ui,
          prompt_id: promptId,
        });
      }
    };
    if (hit !== undefined) {
      record(hit);
      continue;
    }
    const inputs: Record<string, unknown> = {};
    const spec = info[node.class_type]?.input;
    for (const [name, value] of Object.entries(node.inputs)) {
      inputs[name] =
        Array.isArray(value) && value.length === 2
          ? values.get(String(value[0]))?.[Number(value[1])]
          : inputValue(spec?.required[name] ?? spec?.optional?.[name], value);
    }
    state.lastNode = id;
    send(state, clientId, 'executing', { node: id, display_node: id, prompt_id: promptId });
    progressState(id, 0, 1, 'running');
    try {
      if (state.interruptFlag) throw new Interrupted();
      const fail = state.failure;
      if (fail !== null && node.class_type === (fail.nodeClass ?? 'KSampler')) {
        state.failure = null;
        throw new NodeExecutionError(fail.message, fail.exceptionType ?? 'RuntimeError');
      }
      const result = await runNode(node.class_type, inputs, {
        nodeId: id,
        inputFile: (name) => inputFile(state, name),
        imageSize: imageSizeOf,
        save: (images, prefix, type) => saveImages(state, images, prefix, type, item.prompt),
        step: async (value, max, preview) => {
          await sleep(state.stepMs);
          alive();
          if (state.interruptFlag) throw new Interrupted();
          const jpeg =
            state.previews && preview !== null && SAMPLER_CLASSES.has(node.class_type)
              ? await previewJpeg(preview.width, preview.height, value)
              : null;
          alive();
          const progress = { value, max, prompt_id: promptId, node: id };
          const frame = (client: ClientSocket): Buffer | null => {
            if (jpeg === null) return null;
            if (state.modern && client.previewMetadata) {
              return previewFrameWithMetadata(jpeg, {
                node_id: id,
                prompt_id: promptId,
                display_node_id: id,
                parent_node_id: null,
                real_node_id: id,
                image_type: 'image/jpeg',
              });
            }
            return previewFrame(jpeg);
          };
          if (state.modern) {
            progressState(id, value, max, 'running');
            sendBinary(state, clientId, frame);
            send(state, clientId, 'progress', progress);
          } else {
            send(state, clientId, 'progress', progress);
            sendBinary(state, clientId, frame);
          }
        },
      });
      alive();
      record(result);
      progressState(id, 1, 1, 'finished');
    } catch (error: unknown) {
      alive();
      if (error instanceof Killed) throw error;
      outcome = 'error';
      const executed = [...values.keys()].filter((done) => !cached.includes(done));
      if (error instanceof Interrupted) {
        note('execution_interrupted', {
          prompt_id: promptId,
          node_id: id,
          node_type: node.class_type,
          executed,
          timestamp: Date.now(),
        });
      } else {
        const message = error instanceof Error ? error.message : String(error);
        const type = error instanceof NodeExecutionError ? error.exceptionType : 'Exception';
        progressState(id, 0, 1, 'error');
        note('execution_error', {
          prompt_id: promptId,
          node_id: id,
          node_type: node.class_type,
          executed,
          exception_message: message,
          exception_type: type,
          traceback: [
            '  File "/ComfyUI/execution.py", line 496, in execute\n',
            `    output_data, output_ui, has_subgraph, has_pending_tasks = await get_output_data(...)\n`,
          ],
          current_inputs: {},
          current_outputs: {},
          timestamp: Date.now(),
        });
      }
      break;
    }
  }
  for (const [key, result] of state.cache) {
    if (!nextCache.has(key) && [...keys.values()].includes(key)) nextCache.set(key, result);
  }
  state.cache = nextCache;
  if (outcome === 'success') {
    note('execution_success', { prompt_id: promptId, timestamp: Date.now() });
    const submitted = state.prompts.find((prompt) => prompt.promptId === promptId);
    if (submitted !== undefined) submitted.succeededAt = performance.timeOrigin + performance.now();
  }
  const entry: HistoryEntry = {
    prompt: [item.number, promptId, item.prompt, item.extraData, item.outputs],
    outputs,
    status: { status_str: outcome, completed: outcome === 'success', messages },
  };
  if (state.modern) entry.meta = meta;
  state.history.set(promptId, entry);
  state.running = null;
  state.lastNode = null;
  broadcastStatus(state);
  send(state, clientId, 'executing', { node: null, prompt_id: promptId });
}
