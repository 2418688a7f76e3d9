/**
 * What a ComfyUI server offers, as the engine's lists: the folders (`/models/<folder>`, or the
 * loader nodes' choices in `/object_info` on older servers) and the probed samplers and schedulers.
 */
import type { Checkpoint, Engine } from '../types.js';
import type { ComfyClient } from './client.js';
import { upscaleModelScale } from './graph.js';
import type { ComfyLists } from './job-graph.js';
import { inputChoices } from './object-info.js';
import { type ComfyServerFacts, readFolder } from './probe.js';

type ComfyListReaders = Pick<
  Engine,
  | 'listCheckpoints'
  | 'listSamplers'
  | 'listSchedulers'
  | 'listUpscalers'
  | 'listLoras'
  | 'listEmbeddings'
  | 'listStyles'
>;

/** The probed lists, or empty ones before the first probe. */
export function probedLists(facts: ComfyServerFacts | null): ComfyLists {
  return facts?.lists ?? { checkpoints: [], samplers: [], schedulers: [], loras: [], upscaleModels: [] };
}

function toCheckpoint(name: string): Checkpoint {
  const base = name.split(/[\\/]/).pop() ?? name;
  return {
    title: name,
    model_name: base.replace(/\.[^.]+$/, ''),
    hash: null,
    sha256: null,
    filename: name,
  };
}

/** The list methods of the engine; `getFacts` gives the latest probe's facts. */
export function createComfyListReaders(
  client: ComfyClient,
  getFacts: () => ComfyServerFacts | null,
): ComfyListReaders {
  return {
    async listCheckpoints(requestOptions = {}) {
      const names = await readFolder(
        client,
        'checkpoints',
        () => inputChoices(getFacts()?.objectInfo ?? {}, 'CheckpointLoaderSimple', 'ckpt_name'),
        requestOptions,
      );
      return names.map(toCheckpoint);
    },
    async listSamplers() {
      return probedLists(getFacts()).samplers.map((name) => ({ name, aliases: [] }));
    },
    async listSchedulers() {
      return probedLists(getFacts()).schedulers.map((name) => ({ name, label: name, aliases: [] }));
    },
    async listUpscalers(requestOptions = {}) {
      const names = await readFolder(
        client,
        'upscale_models',
        () => inputChoices(getFacts()?.objectInfo ?? {}, 'UpscaleModelLoader', 'model_name'),
        requestOptions,
      );
      return names.map((name) => ({ name, scale: upscaleModelScale(name) }));
    },
    async listLoras(requestOptions = {}) {
      const names = await readFolder(
        client,
        'loras',
        () => inputChoices(getFacts()?.objectInfo ?? {}, 'LoraLoader', 'lora_name'),
        requestOptions,
      );
      return names.map((name) => ({ name, path: name }));
    },
    async listEmbeddings() {
      return (getFacts()?.embeddings ?? []).map((name) => ({ name }));
    },
    async listStyles() {
      return [];
    },
  };
}
