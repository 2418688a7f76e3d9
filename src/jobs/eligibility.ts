import type { Capabilities } from '../engines/types.js';
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
}

/**
 * Pure: whether a job can run on a server at all. An upscale goes only where upscaling exists; a
 * job that names a model goes to a fixed-model server only when that server holds it (the model
 * is a routing constraint there, not something the server can switch to).
 */
export function canRun(job: Pick<Job, 'kind' | 'params'>, facts: BackendFacts): boolean {
  const { capabilities } = facts;
  if (job.kind === 'upscale') return capabilities.upscale;
  if (job.kind === 'img2img' && !capabilities.img2img) return false;
  const model = job.params.model;
  if (model === undefined) return true;
  if (capabilities.models === 'fixed') {
    return facts.loadedModel !== undefined && facts.sameModel(model, facts.loadedModel);
  }
  // A server that would silently ignore a checkpoint it does not have is no place for the job.
  return facts.checkpoints === undefined || facts.checkpoints.some((title) => facts.sameModel(model, title));
}
