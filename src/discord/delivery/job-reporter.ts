import { DiscordAPIError, type REST, Routes } from 'discord.js';
import type { EngineProgress, EngineResult } from '../../engines/types.js';
import { type Locale, resolveLocale } from '../../i18n/locales.js';
import type { JobRecords } from '../../jobs/job-records.js';
import type { JobReporter, QueueNote } from '../../jobs/reporter.js';
import { canUseInteractionToken } from '../../jobs/scheduling.js';
import type { Job } from '../../jobs/types.js';
import type { Logger } from '../../log.js';
import { composeGrid, prepareGridCell } from '../results/grid.js';
import { prepareUpload } from '../uploads/upload-preflight.js';
import type { MessageView } from '../views/message-view.js';
import { renderCancelled, renderFailed, renderQueued, renderRunning } from '../views/render.js';
import { renderResult } from '../views/result-view.js';
import { toUserMessage } from '../views/user-message.js';
import { createEditLane } from './edit-lane.js';
import { postToUser } from './post-to-user.js';
import { parseMoved, type Target, TOKEN_GONE_CODES } from './reply-target.js';
import { toBody, toRequest } from './view-request.js';

export interface DiscordReporterOptions {
  /** Channel messages and DMs (bound to the global rate limit). */
  rest: REST;
  /** Edits through interaction tokens, outside the global limit (see interaction-rest.ts); default `rest`. */
  interactionRest?: REST;
  store: JobRecords;
  log: Logger;
  now: () => number;
  onDiscordError?: (code: string | number) => void;
  /** Whether any server can upscale (else results carry no Upscale buttons). */
  canUpscale?: () => boolean;
  /**
   * The server's default locale, for a job that stored no requester's locale (jobs from before
   * locales were kept); default English.
   */
  defaultLocale?: (guildId: string | null) => Locale;
}

/** Moved replies of jobs not running here that a reporter remembers (see `movedHere`). */
const MOVED_KEPT = 10_000;

/** Progress edits in flight at once (see edit-lane.ts); finals are not limited. */
const PROGRESS_EDITS_IN_FLIGHT = 8;

/**
 * Delivers job updates to Discord over REST (not through a live interaction object), so updates
 * keep working after a restart. Edits of one job go out in order; after a final state, nothing
 * else is sent for that job.
 */
// One closure on purpose: each job's edit chain, its last view and where its reply lives are shared by every update.
export function createDiscordJobReporter(options: DiscordReporterOptions): JobReporter {
  const { rest, store, log, now } = options;
  const interactionRest = options.interactionRest ?? rest;
  const chains = new Map<string, Promise<void>>();
  const finished = new Set<string>();
  const lastView = new Map<string, MessageView>();
  const progressLane = createEditLane(PROGRESS_EDITS_IN_FLIGHT);
  /**
   * The reply of each job running here, by id, for the attempt it was claimed at. Once a job runs,
   * only the process running it moves its reply (a token found gone, `keepReachable`), so its edits
   * need no read of the stored job: the claim brought the target, and this process's moves update it.
   */
  const held = new Map<string, { attempts: number; target: Target }>();
  /**
   * Jobs not running here whose reply this process moved: their copies in the line may not know yet.
   * The oldest are let go past `MOVED_KEPT` (a job delivered by another process never ends here).
   */
  const movedHere = new Set<string>();
  // server default locale: until the server policy carries one, English.
  const defaultLocale = options.defaultLocale ?? (() => resolveLocale(undefined));
  /** Every view of a job speaks its requester's language, after a restart and in a channel post too. */
  const localeOf = (job: Job): Locale => resolveLocale(job.locale, defaultLocale(job.guildId));

  const hold = (job: Job) => {
    if (held.get(job.id)?.attempts === job.attempts) return;
    held.set(job.id, {
      attempts: job.attempts,
      target: { interactionToken: job.interactionToken, messageId: job.messageId },
    });
  };
  /** The job with its reply where it is now: as held for a job running here, else as stored. */
  const currentOf = async (job: Job): Promise<Job | undefined> => {
    const entry = held.get(job.id);
    if (entry?.attempts === job.attempts) return { ...job, ...entry.target };
    return store.get(job.id);
  };
  /** Stores a move of the job's reply, and keeps it for a job running here. */
  const storeMove = async (jobId: string, target: Partial<Target>) => {
    await store.update(jobId, target);
    const entry = held.get(jobId);
    if (entry !== undefined) entry.target = { ...entry.target, ...target };
    else {
      movedHere.add(jobId);
      if (movedHere.size > MOVED_KEPT) movedHere.delete(movedHere.values().next().value as string);
    }
  };

  const noteError = (error: unknown) => {
    if (error instanceof DiscordAPIError) options.onDiscordError?.(error.code);
  };

  const inOrder = (jobId: string, action: () => Promise<void>): Promise<void> => {
    const previous = chains.get(jobId) ?? Promise.resolve();
    const next = previous.then(action).catch((error: unknown) => {
      noteError(error);
      log.warn({ err: error, jobId }, 'could not update the job message on Discord');
    });
    chains.set(jobId, next);
    void next.finally(() => {
      if (chains.get(jobId) === next) chains.delete(jobId);
    });
    return next;
  };

  /**
   * A job's last update: updates queued before it still go out in order (and then see `finished`);
   * once it is delivered the job is forgotten, since the runner sends nothing after a final state.
   */
  const finalUpdate = (jobId: string, action: () => Promise<void>): Promise<void> => {
    finished.add(jobId);
    progressLane.drop(jobId);
    return inOrder(jobId, action).finally(() => {
      finished.delete(jobId);
      held.delete(jobId);
      movedHere.delete(jobId);
    });
  };

  /** Posts the view as a new message (channel, else DM) and makes it the job's message from now on. */
  const moveToMessage = async (job: Job, view: MessageView, mention: boolean): Promise<void> => {
    const target = await postToUser(rest, log, noteError, job, view, mention);
    await storeMove(job.id, { interactionToken: null, messageId: `${target.channelId}/${target.messageId}` });
  };

  /**
   * Edits the interaction reply while its token lasts. False when the token is (or turned out to be)
   * no longer usable: Discord answers 50027 for an expired token, 10015/10008 for a gone reply.
   */
  const editOriginal = async (job: Job, view: MessageView): Promise<boolean> => {
    if (job.interactionToken === null || !canUseInteractionToken(job.tokenExpiresAt, now())) return false;
    try {
      await interactionRest.patch(
        Routes.webhookMessage(job.applicationId, job.interactionToken, '@original'),
        { ...toRequest(toBody(view), view), auth: false },
      );
      return true;
    } catch (error: unknown) {
      if (error instanceof DiscordAPIError && TOKEN_GONE_CODES.has(Number(error.code))) {
        noteError(error);
        log.info(
          { jobId: job.id, code: error.code },
          'interaction token no longer usable; moving to a channel message',
        );
        await storeMove(job.id, { interactionToken: null });
        return false;
      }
      throw error;
    }
  };

  /**
   * Edits the interaction reply where it is now; else the job as stored, to go on with. A job not
   * running here tries its own copy first, with no read of the store: while that token is usable
   * by the clock, a reply moves only when Discord has refused the token, and then it refuses this
   * edit too and the stored reply is read, or when this process moved it (`movedHere`: the line's
   * copy may not know yet, and a dead token is tried once). A burst of places in line costs no read
   * per edit.
   */
  const editWhereItIs = async (job: Job, view: MessageView): Promise<Job | 'edited'> => {
    const runningHere = held.get(job.id)?.attempts === job.attempts;
    if (!runningHere && !movedHere.has(job.id) && (await editOriginal(job, view))) return 'edited';
    const current = (await currentOf(job)) ?? job;
    return (await editOriginal(current, view)) ? 'edited' : current;
  };

  /** Shows a view on the job's message: the interaction reply while its token lasts, then a channel message. */
  const show = async (job: Job, view: MessageView): Promise<void> => {
    lastView.set(job.id, view);
    const current = await editWhereItIs(job, view);
    if (current === 'edited') return;
    const moved = parseMoved(current.messageId);
    if (moved !== undefined) {
      await rest.patch(
        Routes.channelMessage(moved.channelId, moved.messageId),
        toRequest(toBody(view), view),
      );
      return;
    }
    await moveToMessage(current, view, false);
  };

  /** A final view. Past the token's life it arrives as a new message that mentions the requester. */
  const deliverFinal = async (job: Job, view: MessageView): Promise<void> => {
    lastView.delete(job.id);
    const current = await editWhereItIs(job, view);
    if (current === 'edited') return;
    const moved = parseMoved(current.messageId);
    await moveToMessage(current, view, true);
    if (moved !== undefined) {
      await rest.delete(Routes.channelMessage(moved.channelId, moved.messageId)).catch((error: unknown) => {
        log.debug({ err: error, jobId: job.id }, 'could not remove the progress message');
      });
    }
  };

  return {
    queued(job, position, total, note: QueueNote) {
      return inOrder(job.id, () =>
        progressLane.run(job.id, async () => {
          if (finished.has(job.id)) return;
          // Back in line: whichever process runs it next may move its reply.
          held.delete(job.id);
          await show(job, renderQueued(job, position, total, note, localeOf(job)));
        }),
      );
    },
    running(job, progress: EngineProgress | null) {
      return inOrder(job.id, () =>
        progressLane.run(job.id, async () => {
          if (finished.has(job.id)) return;
          hold(job);
          // The live preview is a spoiler too where the result will be one.
          const elapsed = job.startedAt === null ? undefined : now() - job.startedAt;
          const locale = localeOf(job);
          await show(
            job,
            await prepareUpload(
              renderRunning(job, progress, elapsed, locale),
              job.params.delivery ?? {},
              locale,
            ),
          );
        }),
      );
    },
    imageArrived(job, image) {
      // A batch shows as one grid: its cells are decoded while the rest of the answer comes in.
      if (job.kind !== 'upscale' && job.params.count * Math.max(1, job.params.variants?.length ?? 0) > 1)
        void prepareGridCell(image);
    },
    finished(job, result: EngineResult, kept) {
      return finalUpdate(job.id, async () => {
        if (job.result === null) return;
        // A batch shows as one composite image; its originals stay a button away (job_images).
        const grid =
          result.images.length > 1
            ? await composeGrid(result.images).catch((error: unknown) => {
                log.warn({ err: error, jobId: job.id }, 'could not compose the grid; sending the images');
                return undefined;
              })
            : undefined;
        // Fits Discord's limits (size per file, files per message) and applies spoilers; notes go in the content.
        const locale = localeOf(job);
        const view = await prepareUpload(
          renderResult(
            job,
            job.result,
            result.images,
            grid,
            { upscale: options.canUpscale?.() ?? true },
            locale,
          ),
          job.params.delivery ?? {},
          locale,
        );
        await kept;
        await deliverFinal(job, view);
      });
    },
    failed(job, error) {
      return finalUpdate(job.id, () =>
        deliverFinal(job, renderFailed(job, toUserMessage(error, localeOf(job)))),
      );
    },
    cancelled(job) {
      return finalUpdate(job.id, () => deliverFinal(job, renderCancelled(job, localeOf(job))));
    },
    keepReachable(job) {
      if (finished.has(job.id) || chains.has(job.id)) return Promise.resolve();
      // Called for every pending job several times a second: the expiry never changes, so only a
      // token about to run out costs a read of the stored job.
      if (canUseInteractionToken(job.tokenExpiresAt, now())) return Promise.resolve();
      return currentOf(job).then((current) => {
        if (current === undefined || current.interactionToken === null) return;
        const view = lastView.get(job.id) ?? renderQueued(current, 1, 1, undefined, localeOf(current));
        return inOrder(job.id, async () => {
          if (finished.has(job.id)) return;
          await moveToMessage(current, view, true);
          log.info(
            { jobId: job.id },
            'interaction token about to expire; progress moved to a channel message',
          );
        });
      });
    },
  };
}
