import { type REST, Routes } from 'discord.js';
import type { Logger } from '../log.js';

/** One request as the audit channel records it. */
export interface AuditEntry {
  outcome: 'queued' | 'blocked' | 'over-quota';
  userId: string;
  channelId: string;
  command: string;
  prompt: string;
  negativePrompt: string;
  /** e.g. "512×512 ×2"; absent for refusals. */
  size?: string | undefined;
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
/** Inside a code span nothing renders or pings; backticks are the only character to neutralise. */
const code = (text: string) => `\`${clip(text.replace(/`/g, 'ˋ').replace(/\s+/g, ' '), 700) || ' '}\``;

const OUTCOME_LABEL: Record<AuditEntry['outcome'], string> = {
  queued: 'asked for',
  blocked: 'was refused (blocked term) for',
  'over-quota': 'was refused (quota) for',
};

/** A short audit line: who, where, what. Stays far below Discord's 2000 characters. */
export function renderAuditLine(entry: AuditEntry): string {
  const lines = [
    `<@${entry.userId}> ${OUTCOME_LABEL[entry.outcome]} /${entry.command} in <#${entry.channelId}>${entry.size === undefined ? '' : ` · ${entry.size}`}`,
    `Prompt: ${code(entry.prompt)}`,
  ];
  if (entry.negativePrompt !== '') lines.push(`Negative: ${code(entry.negativePrompt)}`);
  return lines.join('\n');
}

/**
 * Posts to the server's audit channel. Never throws and never delays the job: failures (channel
 * gone, no permission) are logged for the operator.
 */
export function postAudit(rest: REST, channelId: string, entry: AuditEntry, log: Logger): void {
  rest
    .post(Routes.channelMessages(channelId), {
      body: { content: renderAuditLine(entry), allowed_mentions: { parse: [] } },
    })
    .catch((error: unknown) => log.warn({ err: error, channelId }, 'could not post to the audit channel'));
}
