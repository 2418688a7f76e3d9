import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../src/policy/quota.js';
import { type SharedStore, useSharedStore } from './stores-kit.js';

const NOW = Date.UTC(2026, 0, 1, 12);
const HOURLY_1 = { cooldownSeconds: 0, hourlyLimit: 1 };

/** The UsageStore contract: every adapter registers these same cases with its own store. */
export function defineUsageStoreContract(name: string, makeStore: () => Promise<SharedStore>): void {
  describe(`UsageStore contract (${name})`, () => {
    const shared = useSharedStore(makeStore);

    it('lets exactly one of 10 admits pass when two processes race for an hourly limit of 1', async () => {
      const [one, two] = await shared.pair();
      const decisions = await Promise.all(
        Array.from({ length: 10 }, async (_, index) => {
          const usage = (index % 2 === 0 ? one : two).usage;
          return (await usage.admit('g1', `member-${index}`, NOW, HOURLY_1, false)).decision;
        }),
      );
      expect(decisions.filter((decision) => decision.ok)).toEqual([{ ok: true, bypassed: false }]);
      expect(decisions.filter((decision) => !decision.ok)).toEqual(
        Array.from({ length: 9 }, () => ({
          ok: false,
          reason: 'hourly-limit',
          retryAt: NOW + HOUR_MS,
          hourlyLimit: 1,
        })),
      );
    });

    it('lets one of a member’s racing admits through a cooldown, and each server its own place', async () => {
      const [one, two] = await shared.pair();
      const limits = { cooldownSeconds: 60, hourlyLimit: 0 };
      const attempts = Array.from({ length: 8 }, (_, index) => ({
        usage: (index % 2 === 0 ? one : two).usage,
        guildId: index < 4 ? 'g1' : 'g2',
      }));
      const passed = await Promise.all(
        attempts.map(async ({ usage, guildId }) => ({
          guildId,
          ok: (await usage.admit(guildId, 'alice', NOW, limits, false)).decision.ok,
        })),
      );
      expect(
        passed
          .filter((attempt) => attempt.ok)
          .map((attempt) => attempt.guildId)
          .sort(),
      ).toEqual(['g1', 'g2']);
      expect((await one.usage.admit('g1', 'alice', NOW + 59_999, limits, false)).decision).toMatchObject({
        ok: false,
        reason: 'cooldown',
        retryAt: NOW + 60_000,
      });
      expect((await two.usage.admit('g1', 'alice', NOW + 60_000, limits, false)).decision.ok).toBe(true);
    });

    it('gives the place back to another process when a passing admit is released, once only', async () => {
      const [one, two] = await shared.pair();
      const first = await one.usage.admit('g1', 'alice', NOW, HOURLY_1, false);
      expect(first.decision.ok).toBe(true);
      expect((await two.usage.admit('g1', 'bob', NOW, HOURLY_1, false)).decision.ok).toBe(false);
      await first.release();
      const second = await two.usage.admit('g1', 'bob', NOW, HOURLY_1, false);
      expect(second.decision.ok).toBe(true);
      // A second release of the first one must not free bob's place.
      await first.release();
      expect((await one.usage.admit('g1', 'carol', NOW, HOURLY_1, false)).decision.ok).toBe(false);
    });

    it('frees nothing when a refused admit is released', async () => {
      const [one, two] = await shared.pair();
      await one.usage.admit('g1', 'alice', NOW, HOURLY_1, false);
      await (await two.usage.admit('g1', 'bob', NOW, HOURLY_1, false)).release();
      expect((await two.usage.admit('g1', 'carol', NOW + 1, HOURLY_1, false)).decision.ok).toBe(false);
    });

    it('counts the requests made while the limits were off once a limit is set', async () => {
      const [one, two] = await shared.pair();
      const off = { cooldownSeconds: 0, hourlyLimit: 0 };
      for (const [index, usage] of [one.usage, two.usage, one.usage].entries())
        expect((await usage.admit('g1', 'alice', NOW + index, off, false)).decision).toEqual({
          ok: true,
          bypassed: false,
        });
      expect((await two.usage.admit('g1', 'bob', NOW + 10, HOURLY_1, false)).decision).toMatchObject({
        ok: false,
        reason: 'hourly-limit',
        retryAt: NOW + 2 + HOUR_MS,
      });
      expect(
        (await one.usage.admit('g1', 'alice', NOW + 10, { cooldownSeconds: 60, hourlyLimit: 0 }, false))
          .decision,
      ).toMatchObject({ ok: false, reason: 'cooldown', retryAt: NOW + 2 + 60_000 });
    });

    it('dates an hourly limit’s next place from the oldest of the latest requests it counts', async () => {
      const [one, two] = await shared.pair();
      const three = { cooldownSeconds: 0, hourlyLimit: 3 };
      for (let index = 0; index < 5; index += 1) {
        const usage = (index % 2 === 0 ? one : two).usage;
        await usage.admit(
          'g1',
          `member-${index}`,
          NOW + index * 1000,
          { cooldownSeconds: 0, hourlyLimit: 0 },
          false,
        );
      }
      // Five in the hour, three allowed: a place frees when the third latest (at +2 s) ages out.
      expect((await one.usage.admit('g1', 'bob', NOW + 10_000, three, false)).decision).toEqual({
        ok: false,
        reason: 'hourly-limit',
        retryAt: NOW + 2000 + HOUR_MS,
        hourlyLimit: 3,
      });
      expect((await two.usage.admit('g1', 'bob', NOW + 2000 + HOUR_MS + 1, three, false)).decision.ok).toBe(
        true,
      );
    });

    it('passes a bypassing member and counts the request for the rest of the server', async () => {
      const [one, two] = await shared.pair();
      expect((await one.usage.admit('g1', 'vip', NOW, HOURLY_1, true)).decision).toEqual({
        ok: true,
        bypassed: true,
      });
      expect((await two.usage.admit('g1', 'bob', NOW, HOURLY_1, false)).decision.ok).toBe(false);
      // An hour later the place is free again.
      expect((await two.usage.admit('g1', 'bob', NOW + HOUR_MS, HOURLY_1, false)).decision.ok).toBe(true);
    });
  });
}
