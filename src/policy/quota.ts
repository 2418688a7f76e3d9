/** Pure quota decisions: per-member cooldown and per-server rolling hourly limit. */

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

export function renderQuotaRefusal(decision: Exclude<QuotaDecision, { ok: true }>): string {
  if (decision.reason === 'cooldown') {
    return `You can make one request every ${formatSeconds(decision.cooldownSeconds)} in this server. Try again ${relativeTimestamp(decision.retryAt)}.`;
  }
  return `This server has reached its limit of ${decision.hourlyLimit} request${decision.hourlyLimit === 1 ? '' : 's'} per hour. Try again ${relativeTimestamp(decision.retryAt)}.`;
}

export function formatSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? '' : 's'}`;
  if (seconds % 60 === 0) return `${seconds / 60} minute${seconds === 60 ? '' : 's'}`;
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}
