import { cleanText } from '../generation/request.js';
import type { Locale } from '../i18n/locales.js';
import { type Message, msg } from '../i18n/translate.js';
import { type Change, isWhole } from './change.js';
import { LOCALE_NAMES } from './locale-names.js';
import type { NsfwMode } from './nsfw-mode.js';
import type { GuildPolicy } from './policy.js';

/** `/settings policy`: the server's content policy, audit channel, quotas and language. */
export const POLICY_CLEARS = [
  'all',
  'nsfw_mode',
  'sfw_negative_prompt',
  'audit_channel',
  'cooldown',
  'hourly_limit',
  'bypass_role',
  'bypass_manage_server',
  'locale',
] as const;
export type PolicyClear = (typeof POLICY_CLEARS)[number];

export interface PolicyInput {
  nsfwMode?: NsfwMode | undefined;
  sfwNegativePrompt?: string | undefined;
  /** A channel the bot can post text in. */
  auditChannel?: { id: string; textBased: boolean } | undefined;
  cooldownSeconds?: number | undefined;
  hourlyLimit?: number | undefined;
  bypassRoleId?: string | undefined;
  bypassManageServer?: boolean | undefined;
  /** The server's language for messages tied to no one member. */
  locale?: Locale | undefined;
  clear?: PolicyClear | undefined;
}

const CLEAR_FIELDS: Record<Exclude<PolicyClear, 'all'>, keyof GuildPolicy> = {
  nsfw_mode: 'nsfwMode',
  sfw_negative_prompt: 'sfwNegativePrompt',
  audit_channel: 'auditChannelId',
  cooldown: 'cooldownSeconds',
  hourly_limit: 'hourlyLimit',
  bypass_role: 'bypassRoleId',
  bypass_manage_server: 'bypassManageServer',
  locale: 'locale',
};

// Long on purpose: one pass over every option that collects each problem, so the member sees them all at once.
export function planPolicyChange(
  current: GuildPolicy,
  input: PolicyInput,
  maxPromptLength: number,
): Change<GuildPolicy> {
  const problems: Message[] = [];
  const summary: Message[] = [];
  let next: GuildPolicy = { ...current };
  if (input.clear === 'all') {
    next = { blockedTerms: current.blockedTerms, defaults: current.defaults };
    summary.push(msg('refusals.settings.clearAll'));
  } else if (input.clear !== undefined) {
    delete next[CLEAR_FIELDS[input.clear]];
    summary.push(msg('refusals.settings.cleared', { option: input.clear.replace(/_/g, ' ') }));
  }
  if (input.nsfwMode !== undefined) {
    next.nsfwMode = input.nsfwMode;
    summary.push(NSFW_SUMMARY[input.nsfwMode]);
  }
  if (input.sfwNegativePrompt !== undefined) {
    const text = cleanText(input.sfwNegativePrompt);
    if (text.length > maxPromptLength) {
      problems.push(
        msg('refusals.settings.sfwNegativeTooLong', { length: text.length, limit: maxPromptLength }),
      );
    } else {
      next.sfwNegativePrompt = text;
      summary.push(msg('refusals.settings.sfwNegativeSet'));
    }
  }
  if (input.auditChannel !== undefined) {
    if (!input.auditChannel.textBased) problems.push(msg('refusals.settings.auditNotText'));
    else {
      next.auditChannelId = input.auditChannel.id;
      summary.push(msg('refusals.settings.auditChannel', { channelId: input.auditChannel.id }));
    }
  }
  if (input.cooldownSeconds !== undefined) {
    if (!isWhole(input.cooldownSeconds, 0, 86_400))
      problems.push(msg('refusals.settings.cooldownRange', { min: 0, max: 86_400 }));
    else {
      next.cooldownSeconds = input.cooldownSeconds;
      summary.push(
        input.cooldownSeconds === 0
          ? msg('refusals.settings.cooldownOff')
          : msg('refusals.settings.cooldown', { seconds: input.cooldownSeconds }),
      );
    }
  }
  if (input.hourlyLimit !== undefined) {
    if (!isWhole(input.hourlyLimit, 0, 100_000))
      problems.push(msg('refusals.settings.hourlyLimitRange', { min: 0, max: 100_000 }));
    else {
      next.hourlyLimit = input.hourlyLimit;
      summary.push(
        input.hourlyLimit === 0
          ? msg('refusals.settings.hourlyLimitOff')
          : msg('refusals.settings.hourlyLimit', { limit: input.hourlyLimit }),
      );
    }
  }
  if (input.bypassRoleId !== undefined) {
    next.bypassRoleId = input.bypassRoleId;
    summary.push(msg('refusals.settings.bypassRole', { roleId: input.bypassRoleId }));
  }
  if (input.bypassManageServer !== undefined) {
    next.bypassManageServer = input.bypassManageServer;
    summary.push(
      input.bypassManageServer
        ? msg('refusals.settings.bypassManageServerYes')
        : msg('refusals.settings.bypassManageServerNo'),
    );
  }
  if (input.locale !== undefined) {
    next.locale = input.locale;
    summary.push(msg('refusals.settings.locale', { language: LOCALE_NAMES[input.locale] }));
  }
  if (problems.length > 0) return { ok: false, problems };
  if (summary.length === 0) return { ok: false, problems: [msg('refusals.settings.nothingToChange')] };
  return { ok: true, value: next, summary };
}

const NSFW_SUMMARY: Readonly<Record<NsfwMode, Message>> = {
  off: msg('refusals.settings.nsfwOff'),
  'negative-prompt': msg('refusals.settings.nsfwNegativePrompt'),
  spoiler: msg('refusals.settings.nsfwSpoiler'),
  both: msg('refusals.settings.nsfwBoth'),
};

/** What a mode does outside age-restricted channels, as `/settings view` says it. */
export function describeNsfwMode(mode: NsfwMode): Message {
  switch (mode) {
    case 'off':
      return msg('refusals.nsfwMode.off');
    case 'negative-prompt':
      return msg('refusals.nsfwMode.negativePrompt');
    case 'spoiler':
      return msg('refusals.nsfwMode.spoiler');
    case 'both':
      return msg('refusals.nsfwMode.both');
  }
}
