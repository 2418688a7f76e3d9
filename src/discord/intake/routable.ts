import type { Job } from '../../jobs/types.js';
import { UserError } from '../../user-error.js';
import { backendName } from '../views/models-view.js';
import type { BotDeps } from './command.js';
import { whenProbed } from './probed.js';

/**
 * Refuses, before a job is queued, one that no server could ever run: a model that only servers
 * with a fixed model could serve, and none of them holds it. The member hears which server has what.
 */
export async function refuseUnroutable(deps: BotDeps, job: Pick<Job, 'kind' | 'params'>): Promise<void> {
  await whenProbed(deps.backends);
  if (deps.runner.eligibleBackends(job).length > 0) return;
  const statuses = deps.runner.backends();
  const holds = statuses.map((status, index) => {
    const capabilities = deps.backends.find((backend) => backend.id === status.id)?.engine.capabilities;
    const fixed = capabilities?.models === 'fixed' ? ' (fixed: it cannot switch)' : '';
    return `${backendName(index, statuses.length)}${capabilities === undefined ? '' : ` (${capabilities.name})`} has \`${status.loadedModel ?? 'no model loaded'}\`${fixed}`;
  });
  const model = job.params.model;
  throw new UserError(
    'no-server-for-job',
    model === undefined
      ? `No image server here can run this job. ${holds.join('; ')}.`
      : `No image server here can use **${model}**: ${holds.join('; ')}. Pick one of those models, or see /models.`,
  );
}
