/** Pure quota decisions: per-member cooldown and per-server rolling hourly limit. */

import { DEFAULT_LOCALE, type Locale } from '../i18n/locales.js';
import { type Message, msg, render } from '../i18n/translate.js';

export const HOUR_MS = 60 * 60_000;

export interface QuotaLimits {
  /** Seconds between two requests of one member in one server; 0 = off. */
  cooldownSeconds: number;
  /** Requests per server in any rolling hour; 0 = off. */
  hourlyLimit: number;
}

/** What the usage table says, as plain data. */
export interface UsageSnapshot {
  /** When this member last asked in this server, if ever (within the cooldown window). */
  userLastAt: number | undefined;
  /** When each request in this server in the last hour was made, oldest first. */
  serverTimesInLastHour: readonly number[];
}

export interface Requester {
  roleIds: readonly string[];
  hasManageServer: boolean;
}

export interface BypassRule {
  bypassRoleId: string | undefined;
  bypassManageServer: boolean;
}

export type QuotaDecision =
  | { ok: true; bypassed: boolean }
  | { ok: false; reason: 'cooldown'; retryAt: number; cooldownSeconds: number }
  | { ok: false; reason: 'hourly-limit'; retryAt: number; hourlyLimit: number };

export function canBypassQuota(requester: Requester, rule: BypassRule): boolean {
  if (rule.bypassRoleId !== undefined && requester.roleIds.includes(rule.bypassRoleId)) return true;
  return rule.bypassManageServer && requester.hasManageServer;
}

/**
 * Whether a request may go ahead now. The cooldown is checked first (it is the member's own
 * doing); for the hourly limit, `retryAt` is when enough of the hour's requests have aged out.
 */
export function decideQuota(
  usage: UsageSnapshot,
  limits: QuotaLimits,
  now: number,
  bypass: boolean,
): QuotaDecision {
  if (bypass) return { ok: true, bypassed: true };
  if (limits.cooldownSeconds > 0 && usage.userLastAt !== undefined) {
    const retryAt = usage.userLastAt + limits.cooldownSeconds * 1000;
    if (retryAt > now)
      return { ok: false, reason: 'cooldown', retryAt, cooldownSeconds: limits.cooldownSeconds };
  }
  if (limits.hourlyLimit > 0) {
    const inWindow = usage.serverTimesInLastHour.filter((at) => at > now - HOUR_MS).sort((a, b) => a - b);
    if (inWindow.length >= limits.hourlyLimit) {
      const oldestToExpire = inWindow[inWindow.length - limits.hourlyLimit] as number;
      return {
        ok: false,
        reason: 'hourly-limit',
        retryAt: oldestToExpire + HOUR_MS,
        hourlyLimit: limits.hourlyLimit,
      };
    }
  }
  return { ok: true, bypassed: false };
}

/** Discord's relative timestamp markup (`<t:UNIX:R>`, “in 5 minutes”), rounded up to the second. */
export function relativeTimestamp(at: number): string {
  return `<t:${Math.ceil(at / 1000)}:R>`;
}

/** The refusal a member sees: what the limit is and when to try again (a Discord relative timestamp). */
export function toQuotaRefusal(decision: Exclude<QuotaDecision, { ok: true }>): Message {
  const at = Math.ceil(decision.retryAt / 1000);
  if (decision.reason === 'cooldown') {
    const seconds = decision.cooldownSeconds;
    if (seconds % 3600 === 0) {
      return seconds === 3600
        ? msg('refusals.quota.cooldownHour', { at })
        : msg('refusals.quota.cooldownHours', { count: seconds / 3600, at });
    }
    if (seconds % 60 === 0) {
      return seconds === 60
        ? msg('refusals.quota.cooldownMinute', { at })
        : msg('refusals.quota.cooldownMinutes', { count: seconds / 60, at });
    }
    return seconds === 1
      ? msg('refusals.quota.cooldownSecond', { at })
      : msg('refusals.quota.cooldownSeconds', { count: seconds, at });
  }
  return decision.hourlyLimit === 1
    ? msg('refusals.quota.hourlyLimitOne', { at })
    : msg('refusals.quota.hourlyLimit', { limit: decision.hourlyLimit, at });
}

export function renderQuotaRefusal(
  decision: Exclude<QuotaDecision, { ok: true }>,
  locale: Locale = DEFAULT_LOCALE,
): string {
  return render(toQuotaRefusal(decision), locale);
}

/** A duration in its largest whole unit, in the locale's words (`1 minute`, `90 Sekunden`, `2 時間`). */
export function formatSeconds(seconds: number, locale: Locale = DEFAULT_LOCALE): string {
  const [value, unit] =
    seconds % 3600 === 0
      ? [seconds / 3600, 'hour']
      : seconds % 60 === 0
        ? [seconds / 60, 'minute']
        : [seconds, 'second'];
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit,
    unitDisplay: 'long',
    useGrouping: false,
  }).format(value);
}
