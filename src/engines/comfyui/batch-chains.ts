/**
 * Pure: the extra chains a built-in graph gets for a batch (one sampler → decode → save chain per image,
 * each with its own seed) or for Vary (img2img passes over the parent's latent with new seeds).
 */
import { type ApiGraph, type ApiNode, nextNodeId } from './api-graph.js';

const clone = (entry: ApiNode): ApiNode => structuredClone(entry);

/** Adds, for images 2..count, a sampler → decode → save chain of its own (seed + i) next to the first. */
export function perImageChains(
  graph: ApiGraph,
  seed: number,
  count: number,
): { graph: ApiGraph; outputs: string[] } {
  const sampler = graph['3'];
  const decode = graph['8'];
  const save = graph['9'];
  if (sampler === undefined || decode === undefined || save === undefined || count <= 1) {
    return { graph, outputs: ['9'] };
  }
  const out = structuredClone(graph);
  const outputs = ['9'];
  let id = nextNodeId(out);
  for (let index = 1; index < count; index += 1) {
    const [s, d, v] = [String(id), String(id + 1), String(id + 2)];
    id += 3;
    const nextSampler = clone(sampler);
    nextSampler.inputs.seed = seed + index;
    nextSampler._meta = { title: `KSampler (image ${index + 1})` };
    const nextDecode = clone(decode);
    nextDecode.inputs.samples = [s, 0];
    const nextSave = clone(save);
    nextSave.inputs.images = [d, 0];
    out[s] = nextSampler;
    out[d] = nextDecode;
    out[v] = nextSave;
    outputs.push(v);
  }
  return { graph: out, outputs };
}

/** Vary: the parent image again (sampler 3), then `count` img2img passes over its latent with new seeds. */
export function variationChains(
  graph: ApiGraph,
  subseed: number,
  strength: number,
  count: number,
): { graph: ApiGraph; outputs: string[] } {
  const sampler = graph['3'];
  const decode = graph['8'];
  const save = graph['9'];
  if (sampler === undefined || decode === undefined || save === undefined) return { graph, outputs: ['9'] };
  const out = structuredClone(graph);
  delete out['8'];
  delete out['9'];
  const outputs: string[] = [];
  let id = nextNodeId(out);
  for (let index = 0; index < count; index += 1) {
    const [s, d, v] = [String(id), String(id + 1), String(id + 2)];
    id += 3;
    const pass = clone(sampler);
    pass.inputs.seed = subseed + index;
    pass.inputs.denoise = strength;
    pass.inputs.latent_image = ['3', 0];
    pass._meta = { title: `Variation ${index + 1}` };
    const nextDecode = clone(decode);
    nextDecode.inputs.samples = [s, 0];
    const nextSave = clone(save);
    nextSave.inputs.images = [d, 0];
    out[s] = pass;
    out[d] = nextDecode;
    out[v] = nextSave;
    outputs.push(v);
  }
  return { graph: out, outputs };
}
