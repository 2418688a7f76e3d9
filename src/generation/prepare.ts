import type { CatalogLists } from '../catalog/catalog.js';
import { msg } from '../i18n/translate.js';
import { closestModels, findModel } from '../models/match.js';
import { UserError } from '../user-error.js';
import type { GenerationParams } from './request.js';
import { resolveSampler } from './sampler.js';

/**
 * Checks a validated generation against the server's live lists: the sampler (and scheduler)
 * must exist, and so must the model. Returns the parameters to store with the job, with the
 * sampler split and the model as its exact title. Throws a UserError naming the valid choices.
 */
export function resolveAgainstCatalog(
  params: GenerationParams,
  lists: Pick<CatalogLists, 'samplers' | 'schedulers' | 'models'>,
  fallbackModel: string | undefined,
  /** Which names the member typed (refused when unknown); the others are defaults (never refused). */
  typed: { sampler: boolean; scheduler: boolean } = { sampler: true, scheduler: true },
): GenerationParams {
  const sampler = resolveSampler(params.sampler, params.scheduler, lists.samplers, lists.schedulers, {
    strict: typed,
  });
  if (!sampler.ok) throw new UserError('unknown-sampler', sampler.message);
  let model: string | undefined;
  if (params.model !== undefined) {
    const found = findModel(params.model, lists.models);
    if (found === undefined) {
      const closest = closestModels(params.model, lists.models).map((candidate) => `\`${candidate.title}\``);
      throw new UserError(
        'unknown-model',
        closest.length > 0
          ? msg('refusals.model.unknownClosestHint', { model: params.model, closest: closest.join(', ') })
          : msg('refusals.model.unknownHint', { model: params.model }),
      );
    }
    model = found.title;
  } else if (fallbackModel !== undefined) {
    model = findModel(fallbackModel, lists.models)?.title ?? fallbackModel;
  }
  return { ...params, sampler: sampler.sampler, scheduler: sampler.scheduler, model };
}
