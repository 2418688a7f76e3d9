/** A job's view as a new message: in its channel, else in the requester's DMs. */
import { type REST, Routes } from 'discord.js';
import type { Job } from '../../jobs/types.js';
import type { Logger } from '../../log.js';
import type { MessageView } from '../views/message-view.js';
import type { MovedTarget } from './reply-target.js';
import { toBody, toRequest } from './view-request.js';

/**
 * Posts into the job's channel, or the requester's DMs when the bot may not post there; `mention`
 * names the requester (a final view past its token's life). `noteError` sees the channel's refusal.
 */
export async function postToUser(
  rest: REST,
  log: Logger,
  noteError: (error: unknown) => void,
  job: Job,
  view: MessageView,
  mention: boolean,
): Promise<MovedTarget> {
  const withMention: MessageView = mention
    ? { ...view, content: [`<@${job.userId}>`, view.content].filter((part) => part !== '').join(' ') }
    : view;
  const body = toBody(withMention, mention ? [job.userId] : []);
  try {
    const message = (await rest.post(Routes.channelMessages(job.channelId), toRequest(body, view))) as {
      id: string;
    };
    return { channelId: job.channelId, messageId: message.id };
  } catch (error: unknown) {
    noteError(error);
    log.info({ err: error, jobId: job.id }, 'cannot post in the channel; sending a direct message');
    const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: job.userId } })) as {
      id: string;
    };
    const message = (await rest.post(Routes.channelMessages(dm.id), toRequest(body, view))) as {
      id: string;
    };
    return { channelId: dm.id, messageId: message.id };
  }
}
