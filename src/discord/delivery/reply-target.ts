/** Where a job's reply lives: the interaction's token, or the channel message it moved to. */
import type { Job } from '../../jobs/types.js';

/** Where a job's reply lives: its interaction's token while usable, else the message it moved to. */
export type Target = Pick<Job, 'interactionToken' | 'messageId'>;

/** Where a job's reply lives once its interaction token can no longer be used. */
export interface MovedTarget {
  channelId: string;
  messageId: string;
}

/** Discord's answers to an edit through a token that is gone: expired, or its reply or webhook deleted. */
export const TOKEN_GONE_CODES = new Set([50027, 10015, 10008, 10062]);

/** `channelId/messageId`, as a moved job's `messageId` is stored. */
export const parseMoved = (value: string | null): MovedTarget | undefined => {
  if (value === null) return undefined;
  const [channelId, messageId] = value.split('/');
  return channelId && messageId ? { channelId, messageId } : undefined;
};
