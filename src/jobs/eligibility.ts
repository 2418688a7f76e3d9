import type { Capabilities } from '../engines/types.js';
import { findLora, type LoraCatalogEntry } from '../generation/loras.js';
import type { Job } from './types.js';

/** What the dispatcher knows of one server when it asks whether a job may go there. */
export interface BackendFacts {
  capabilities: Capabilities;
  /** The checkpoint the server has loaded, when known. */
  loadedModel: string | undefined;
  /** Whether two checkpoint names are the same model (title, name or hash). */
  sameModel: (a: string, b: string) => boolean;
  /** The checkpoints the server lists, when known: a job for another one cannot go there. */
  checkpoints?: readonly string[] | undefined;
  /** The LoRAs the server lists; undefined while its list is not known yet. */
  loras?: readonly LoraCatalogEntry[] | undefined;
  /** The names of the server's styles; undefined while not known yet. */
  styles?: readonly string[] | undefined;
}

/**
 * Pure: whether a job can run on a server at all. An upscale goes only where upscaling exists; a
 * job that names a model goes to a fixed-model server only when that server holds it (the model
 * is a routing constraint there, not something the server can switch to). A job's features are
 * constraints too: its LoRAs and styles go only where the server lists every one of them, hires fix
 * and the face detailer only where the server has them.
 */
export function canRun(job: Pick<Job, 'kind' | 'params'>, facts: BackendFacts): boolean {
  const { capabilities } = facts;
  const { params } = job;
  if (job.kind === 'upscale') return capabilities.upscale;
  if (job.kind === 'img2img' && !capabilities.img2img) return false;
  const loras = params.loras ?? [];
  if (loras.length > 0) {
    if (!capabilities.loras) return false;
    const listed = facts.loras;
    if (listed !== undefined && loras.some((lora) => findLora(lora.name, listed) === undefined)) return false;
  }
  const styles = params.styles ?? [];
  if (styles.length > 0) {
    if (!capabilities.styles) return false;
    const listed = facts.styles;
    if (listed !== undefined && styles.some((style) => !listed.includes(style))) return false;
  }
  if (params.hires !== undefined && job.kind === 'txt2img' && !capabilities.hires) return false;
  if (params.adetailer === true && !capabilities.adetailer) return false;
  const model = params.model;
  if (model === undefined) return true;
  if (capabilities.models === 'fixed') {
    return facts.loadedModel !== undefined && facts.sameModel(model, facts.loadedModel);
  }
  // A server that would silently ignore a checkpoint it does not have is no place for the job.
  return facts.checkpoints === undefined || facts.checkpoints.some((title) => facts.sameModel(model, title));
}
