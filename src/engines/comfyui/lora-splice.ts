/**
 * Pure: LoRAs spliced into a graph, built-in or the operator's: a LoraLoader chain after the model
 * loader, and every consumer of the loader's MODEL and CLIP outputs rewired to the last LoRA.
 */
import { type ApiGraph, ComfyGraphError, isLink, type Link, nextNodeId } from './api-graph.js';

export interface ComfyLora {
  name: string;
  weight: number;
}

const MODEL_LOADERS = ['CheckpointLoaderSimple', 'CheckpointLoader', 'UNETLoader'];
const CLIP_LOADERS = ['DualCLIPLoader', 'CLIPLoader', 'TripleCLIPLoader'];

function firstOf(graph: ApiGraph, classes: string[]): string | undefined {
  for (const classType of classes) {
    const id = Object.keys(graph).find((key) => graph[key]?.class_type === classType);
    if (id !== undefined) return id;
  }
  return undefined;
}

const sameLink = (value: unknown, link: Link): boolean =>
  isLink(value) && String(value[0]) === link[0] && value[1] === link[1];

/** The MODEL and CLIP outputs LoRAs attach to: a checkpoint loader's, or a UNET loader's and a CLIP loader's. */
function modelSources(graph: ApiGraph): { model: Link; clip: Link } {
  const checkpoint = firstOf(graph, ['CheckpointLoaderSimple', 'CheckpointLoader']);
  if (checkpoint !== undefined) return { model: [checkpoint, 0], clip: [checkpoint, 1] };
  const unet = firstOf(graph, MODEL_LOADERS);
  const clipLoader = firstOf(graph, CLIP_LOADERS);
  if (unet !== undefined && clipLoader !== undefined) return { model: [unet, 0], clip: [clipLoader, 0] };
  throw new ComfyGraphError(
    'no-model-loader',
    'the graph has no CheckpointLoaderSimple (or UNETLoader and CLIP loader) to attach LoRAs to',
  );
}

/**
 * Inserts a LoraLoader chain after the graph's model loader (CheckpointLoaderSimple, or UNETLoader with a
 * CLIP loader) and rewires every consumer of its MODEL and CLIP outputs to the last LoRA. Returns a copy.
 */
export function spliceLoras(graph: ApiGraph, loras: readonly ComfyLora[]): ApiGraph {
  const out: ApiGraph = structuredClone(graph);
  if (loras.length === 0) return out;
  const source = modelSources(out);
  let { model, clip } = source;
  let id = nextNodeId(out);
  const added = new Set<string>();
  for (const lora of loras) {
    const key = String(id);
    out[key] = {
      class_type: 'LoraLoader',
      inputs: { lora_name: lora.name, strength_model: lora.weight, strength_clip: lora.weight, model, clip },
      _meta: { title: `LoRA ${lora.name}` },
    };
    added.add(key);
    model = [key, 0];
    clip = [key, 1];
    id += 1;
  }
  for (const [nodeId, entry] of Object.entries(out)) {
    if (added.has(nodeId)) continue;
    for (const [name, value] of Object.entries(entry.inputs)) {
      if (sameLink(value, source.model)) entry.inputs[name] = [...model];
      else if (sameLink(value, source.clip)) entry.inputs[name] = [...clip];
    }
  }
  return out;
}
