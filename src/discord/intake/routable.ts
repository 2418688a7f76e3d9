import { DEFAULT_LOCALE, type Locale } from '../../i18n/locales.js';
import { msg, t } from '../../i18n/translate.js';
import type { Job } from '../../jobs/types.js';
import { UserError } from '../../user-error.js';
import { backendName } from '../views/models-view.js';
import type { BotDeps } from './command.js';
import { whenProbed } from './probed.js';

/**
 * Refuses, before a job is queued, one that no server could ever run: a model that only servers
 * with a fixed model could serve, and none of them holds it. The member hears which server has what
 * (in `locale`, the member's language).
 */
export async function refuseUnroutable(
  deps: BotDeps,
  job: Pick<Job, 'kind' | 'params'>,
  locale: Locale = DEFAULT_LOCALE,
): Promise<void> {
  await whenProbed(deps.backends);
  if (deps.runner.eligibleBackends(job).length > 0) return;
  const statuses = deps.runner.backends();
  const holds = statuses.map((status, index) => {
    const capabilities = deps.backends.find((backend) => backend.id === status.id)?.engine.capabilities;
    const server = backendName(index, statuses.length, locale);
    const model = status.loadedModel ?? t(locale, 'commands.unroutable.noModelLoaded');
    if (capabilities === undefined) return t(locale, 'commands.unroutable.holds', { server, model });
    const engine = capabilities.name;
    return capabilities.models === 'fixed'
      ? t(locale, 'commands.unroutable.holdsFixed', { server, engine, model })
      : t(locale, 'commands.unroutable.holdsEngine', { server, engine, model });
  });
  const model = job.params.model;
  throw new UserError(
    'no-server-for-job',
    model === undefined
      ? msg('commands.unroutable.anyModel', { holds: holds.join('; ') })
      : msg('commands.unroutable.model', { model, holds: holds.join('; ') }),
  );
}
