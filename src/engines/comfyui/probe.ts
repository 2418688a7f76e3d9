/**
 * What a ComfyUI server has: its version (`/system_stats`), its node classes (`/object_info`), whether it
 * takes the bot's own prompt id and a named interrupt (`/features`, 0.3.64 on), and its model lists
 * (`/models/{folder}` where it has them, else the choices of the loader nodes in `/object_info`).
 */
import { SdError, SdMalformedResponseError } from '../errors.js';
import type { Capabilities, RequestOptions } from '../types.js';
import type { ComfyClient } from './client.js';
import type { ComfyLists } from './job-graph.js';
import { inputChoices, type ObjectInfo, parseObjectInfo } from './object-info.js';

export interface ComfyServerFacts {
  version: string | null;
  objectInfo: ObjectInfo;
  /** `/features` answers: the server takes `prompt_id` in POST /prompt and in POST /interrupt. */
  modern: boolean;
  lists: ComfyLists;
  embeddings: string[];
}

/** Before the first probe: what every ComfyUI server can do. */
export const UNPROBED_COMFY_CAPABILITIES: Capabilities = {
  dialect: 'comfyui',
  name: 'ComfyUI',
  version: null,
  img2img: true,
  progress: 'task',
  preview: true,
  interrupt: 'task',
  dequeue: true,
  upscale: false,
  models: 'switch',
  schedulers: 'separate',
  sizeMultiple: 8,
  ownSeeds: true,
  loras: false,
  embeddings: false,
  styles: false,
  hires: false,
  adetailer: false,
  auth: 'none',
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const strings = (value: unknown): string[] | null =>
  Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : null;

/**
 * Whether the server at this client answers ComfyUI's `/system_stats` and `/object_info` (asked for one
 * class, not the whole document). Rejects only when nothing answers (unreachable, timeout).
 */
export async function isComfyServer(client: ComfyClient, options: RequestOptions = {}): Promise<boolean> {
  try {
    const call = { timeoutMs: options.timeoutMs ?? 10_000, signal: options.signal };
    const stats = await client.request('GET', '/system_stats', undefined, call);
    if (stats.status !== 200 || !isRecord(stats.json) || !isRecord(stats.json.system)) return false;
    const info = await client.request('GET', '/object_info/KSampler', undefined, call);
    return info.status === 200 && isRecord(info.json);
  } catch (error: unknown) {
    if (error instanceof SdError && (error.code === 'unreachable' || error.code === 'timeout')) throw error;
    return false;
  }
}

/** The models of one folder: `/models/{folder}` on servers that have it, else `fallback`. */
export async function readFolder(
  client: ComfyClient,
  folder: string,
  fallback: () => string[],
  options: RequestOptions,
): Promise<string[]> {
  try {
    const answer = await client.request('GET', `/models/${folder}`, undefined, options);
    const list = answer.status === 200 ? strings(answer.json) : null;
    if (list !== null) return list;
  } catch (error: unknown) {
    if (error instanceof SdError && error.code === 'unreachable') throw error;
  }
  return fallback();
}

export async function probeComfy(
  client: ComfyClient,
  options: RequestOptions = {},
): Promise<ComfyServerFacts> {
  const call = { timeoutMs: options.timeoutMs ?? 10_000, signal: options.signal };
  const stats = await client.getJson('/system_stats', call);
  const system = isRecord(stats) && isRecord(stats.system) ? stats.system : null;
  if (system === null) {
    throw new SdMalformedResponseError(`GET ${client.label}/system_stats did not describe a ComfyUI server`, {
      backend: client.label,
      method: 'GET',
      path: '/system_stats',
      detail: 'no "system" object',
    });
  }
  const version = typeof system.comfyui_version === 'string' ? system.comfyui_version : null;
  const objectInfo = parseObjectInfo(await client.getJson('/object_info', call));
  const features = await client.request('GET', '/features', undefined, call).catch(() => null);
  const modern = features?.status === 200 && isRecord(features.json);
  const choices = (classType: string, input: string) => () => inputChoices(objectInfo, classType, input);
  const [checkpoints, loras, upscaleModels, embeddingsAnswer] = await Promise.all([
    readFolder(client, 'checkpoints', choices('CheckpointLoaderSimple', 'ckpt_name'), call),
    readFolder(client, 'loras', choices('LoraLoader', 'lora_name'), call),
    readFolder(client, 'upscale_models', choices('UpscaleModelLoader', 'model_name'), call),
    client.request('GET', '/embeddings', undefined, call).catch(() => null),
  ]);
  return {
    version,
    objectInfo,
    modern,
    lists: {
      checkpoints,
      samplers: inputChoices(objectInfo, 'KSampler', 'sampler_name'),
      schedulers: inputChoices(objectInfo, 'KSampler', 'scheduler'),
      loras,
      upscaleModels,
    },
    embeddings: embeddingsAnswer?.status === 200 ? (strings(embeddingsAnswer.json) ?? []) : [],
  };
}

/** Pure: the capability record of what the probe found. */
export function toComfyCapabilities(facts: ComfyServerFacts, auth: Capabilities['auth']): Capabilities {
  const has = (classType: string) => facts.objectInfo[classType] !== undefined;
  return {
    dialect: 'comfyui',
    name: 'ComfyUI',
    version: facts.version,
    img2img: has('LoadImage') && has('VAEEncode'),
    progress: 'task',
    preview: true,
    interrupt: 'task',
    dequeue: true,
    upscale:
      has('UpscaleModelLoader') && has('ImageUpscaleWithModel') && facts.lists.upscaleModels.length > 0,
    models: 'switch',
    schedulers: 'separate',
    sizeMultiple: 8,
    ownSeeds: true,
    loras: has('LoraLoader'),
    embeddings: facts.embeddings.length > 0,
    styles: false,
    hires: false,
    adetailer: false,
    auth,
  };
}
