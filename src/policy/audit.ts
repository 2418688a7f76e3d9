import { type REST, Routes } from 'discord.js';
import { DEFAULT_LOCALE, type Locale } from '../i18n/locales.js';
import { t } from '../i18n/translate.js';
import type { Logger } from '../log.js';

/** One request as the audit channel records it. */
export interface AuditEntry {
  outcome: 'queued' | 'blocked' | 'over-quota';
  userId: string;
  channelId: string;
  command: string;
  /** A result button (Reroll, Vary, Upscale, Remix) started it, not the command itself. */
  viaButton?: boolean | undefined;
  prompt: string;
  negativePrompt: string;
  /** e.g. "512×512 ×2"; absent for refusals. */
  size?: string | undefined;
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
/** Inside a code span nothing renders or pings; backticks are the only character to neutralise. */
const code = (text: string) => `\`${clip(text.replace(/`/g, 'ˋ').replace(/\s+/g, ' '), 700) || ' '}\``;

const OUTCOME_KEY = {
  queued: 'refusals.audit.queued',
  blocked: 'refusals.audit.blocked',
  'over-quota': 'refusals.audit.overQuota',
} as const satisfies Record<AuditEntry['outcome'], string>;

/**
 * A short audit line: who, where, what, in the server's default locale (it is tied to no one
 * member). Stays far below Discord's 2000 characters.
 */
export function renderAuditLine(entry: AuditEntry, locale: Locale = DEFAULT_LOCALE): string {
  const command = entry.viaButton === true ? t(locale, 'refusals.audit.buttonCommand') : entry.command;
  const who = { userId: entry.userId, command, channelId: entry.channelId };
  const lines = [
    `${t(locale, OUTCOME_KEY[entry.outcome], who)}${entry.size === undefined ? '' : ` · ${entry.size}`}`,
    t(locale, 'refusals.audit.prompt', { prompt: code(entry.prompt) }),
  ];
  if (entry.negativePrompt !== '')
    lines.push(t(locale, 'refusals.audit.negative', { prompt: code(entry.negativePrompt) }));
  return lines.join('\n');
}

/**
 * Posts to the server's audit channel. Never throws and never delays the job: failures (channel
 * gone, no permission) are logged for the operator.
 */
export function postAudit(
  rest: REST,
  channelId: string,
  entry: AuditEntry,
  log: Logger,
  locale: Locale = DEFAULT_LOCALE,
): void {
  rest
    .post(Routes.channelMessages(channelId), {
      body: { content: renderAuditLine(entry, locale), allowed_mentions: { parse: [] } },
    })
    .catch((error: unknown) => log.warn({ err: error, channelId }, 'could not post to the audit channel'));
}
