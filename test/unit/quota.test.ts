import { describe, expect, it } from 'vitest';
import {
  canBypassQuota,
  decideQuota,
  HOUR_MS,
  relativeTimestamp,
  renderQuotaRefusal,
} from '../../src/policy/quota.js';

const NOW = 1_800_000_000_000;
const none = { userLastAt: undefined, serverTimesInLastHour: [] };

describe('decideQuota', () => {
  it('allows everything when both limits are off', () => {
    expect(
      decideQuota(
        { userLastAt: NOW - 1, serverTimesInLastHour: [NOW - 1] },
        { cooldownSeconds: 0, hourlyLimit: 0 },
        NOW,
        false,
      ),
    ).toEqual({
      ok: true,
      bypassed: false,
    });
  });

  it('refuses during the cooldown and says when it ends', () => {
    const decision = decideQuota(
      { ...none, userLastAt: NOW - 10_000 },
      { cooldownSeconds: 60, hourlyLimit: 0 },
      NOW,
      false,
    );
    expect(decision).toEqual({ ok: false, reason: 'cooldown', retryAt: NOW + 50_000, cooldownSeconds: 60 });
  });

  it('allows again exactly when the cooldown has passed', () => {
    expect(
      decideQuota({ ...none, userLastAt: NOW - 60_000 }, { cooldownSeconds: 60, hourlyLimit: 0 }, NOW, false)
        .ok,
    ).toBe(true);
  });

  it('refuses at the hourly limit until the oldest request that counts ages out', () => {
    const times = [NOW - 50 * 60_000, NOW - 30 * 60_000, NOW - 10 * 60_000];
    const decision = decideQuota(
      { ...none, serverTimesInLastHour: times },
      { cooldownSeconds: 0, hourlyLimit: 3 },
      NOW,
      false,
    );
    expect(decision).toEqual({
      ok: false,
      reason: 'hourly-limit',
      retryAt: NOW - 50 * 60_000 + HOUR_MS,
      hourlyLimit: 3,
    });
  });

  it('picks the request whose expiry brings the count under the limit when it is already exceeded', () => {
    // Five in the window with a limit of 2 (the limit was lowered): three must age out.
    const times = [1, 2, 3, 4, 5].map((minutes) => NOW - 60 * 60_000 + minutes * 60_000);
    const decision = decideQuota(
      { ...none, serverTimesInLastHour: times },
      { cooldownSeconds: 0, hourlyLimit: 2 },
      NOW,
      false,
    );
    expect(decision.ok === false && decision.retryAt).toBe((times[3] as number) + HOUR_MS);
  });

  it('ignores requests older than an hour', () => {
    const times = [NOW - HOUR_MS - 1, NOW - HOUR_MS];
    expect(
      decideQuota(
        { ...none, serverTimesInLastHour: times },
        { cooldownSeconds: 0, hourlyLimit: 1 },
        NOW,
        false,
      ).ok,
    ).toBe(true);
  });

  it('reports the cooldown before the hourly limit', () => {
    const decision = decideQuota(
      { userLastAt: NOW - 1000, serverTimesInLastHour: [NOW - 1000] },
      { cooldownSeconds: 30, hourlyLimit: 1 },
      NOW,
      false,
    );
    expect(decision.ok === false && decision.reason).toBe('cooldown');
  });

  it('lets a bypassing member through both limits', () => {
    const decision = decideQuota(
      { userLastAt: NOW - 1000, serverTimesInLastHour: [NOW - 1000] },
      { cooldownSeconds: 30, hourlyLimit: 1 },
      NOW,
      true,
    );
    expect(decision).toEqual({ ok: true, bypassed: true });
  });
});

describe('canBypassQuota', () => {
  it.each([
    [
      'the bypass role',
      { roleIds: ['42'], hasManageServer: false },
      { bypassRoleId: '42', bypassManageServer: false },
      true,
    ],
    [
      'another role',
      { roleIds: ['41'], hasManageServer: false },
      { bypassRoleId: '42', bypassManageServer: false },
      false,
    ],
    [
      'Manage Server when enabled',
      { roleIds: [], hasManageServer: true },
      { bypassRoleId: undefined, bypassManageServer: true },
      true,
    ],
    [
      'Manage Server when not enabled',
      { roleIds: [], hasManageServer: true },
      { bypassRoleId: undefined, bypassManageServer: false },
      false,
    ],
    [
      'nothing configured',
      { roleIds: ['42'], hasManageServer: true },
      { bypassRoleId: undefined, bypassManageServer: false },
      false,
    ],
  ])('bypass with %s → %s', (_label, requester, rule, expected) => {
    expect(canBypassQuota(requester, rule)).toBe(expected);
  });
});

describe('renderQuotaRefusal', () => {
  it('uses a Discord relative timestamp, rounded up to the second', () => {
    expect(relativeTimestamp(NOW + 1500)).toBe(`<t:${NOW / 1000 + 2}:R>`);
    expect(
      renderQuotaRefusal({ ok: false, reason: 'cooldown', retryAt: NOW + 30_000, cooldownSeconds: 60 }),
    ).toBe(`You can make one request every 1 minute in this server. Try again <t:${NOW / 1000 + 30}:R>.`);
    expect(renderQuotaRefusal({ ok: false, reason: 'hourly-limit', retryAt: NOW, hourlyLimit: 5 })).toBe(
      `This server has reached its limit of 5 requests per hour. Try again <t:${NOW / 1000}:R>.`,
    );
  });
});
