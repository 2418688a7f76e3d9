import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../src/policy/quota.js';
import { createSqliteUsageStore } from '../../src/policy/usage-store.js';
import { type Db, openDatabase } from '../../src/store/database.js';

const opened: { db: Db; dir: string }[] = [];
afterEach(() => {
  for (const { db, dir } of opened.splice(0)) {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function openTemp(): { db: Db; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sdbot-usage-'));
  const path = join(dir, 'bot.sqlite');
  const db = openDatabase(path);
  opened.push({ db, dir });
  return { db, path };
}

const NOW = Date.UTC(2026, 0, 1, 12);
const HOURLY_1 = { cooldownSeconds: 0, hourlyLimit: 1 };

describe('usage store admit', () => {
  it('lets exactly one of two requests at the same instant pass when the hourly limit is 1', async () => {
    const usage = createSqliteUsageStore(openTemp().db);
    const first = await usage.admit('g1', 'alice', NOW, HOURLY_1, false);
    const second = await usage.admit('g1', 'bob', NOW, HOURLY_1, false);
    expect(first.decision).toEqual({ ok: true, bypassed: false });
    expect(second.decision).toEqual({
      ok: false,
      reason: 'hourly-limit',
      retryAt: NOW + HOUR_MS,
      hourlyLimit: 1,
    });
  });

  it('frees the place when the passing request is released, once only', async () => {
    const usage = createSqliteUsageStore(openTemp().db);
    const first = await usage.admit('g1', 'alice', NOW, HOURLY_1, false);
    await first.release();
    const second = await usage.admit('g1', 'bob', NOW, HOURLY_1, false);
    expect(second.decision.ok).toBe(true);
    // A second release of the first one must not free bob's place.
    await first.release();
    expect((await usage.admit('g1', 'carol', NOW, HOURLY_1, false)).decision.ok).toBe(false);
  });

  it('releasing a refused request frees nothing', async () => {
    const usage = createSqliteUsageStore(openTemp().db);
    await usage.admit('g1', 'alice', NOW, HOURLY_1, false);
    await (await usage.admit('g1', 'bob', NOW, HOURLY_1, false)).release();
    expect((await usage.admit('g1', 'carol', NOW + 1, HOURLY_1, false)).decision.ok).toBe(false);
  });

  it('applies the cooldown per member and server when requests share an instant', async () => {
    const usage = createSqliteUsageStore(openTemp().db);
    const limits = { cooldownSeconds: 60, hourlyLimit: 0 };
    expect((await usage.admit('g1', 'alice', NOW, limits, false)).decision.ok).toBe(true);
    expect((await usage.admit('g1', 'alice', NOW, limits, false)).decision).toMatchObject({
      ok: false,
      reason: 'cooldown',
      retryAt: NOW + 60_000,
    });
    expect((await usage.admit('g2', 'alice', NOW, limits, false)).decision.ok).toBe(true);
    expect((await usage.admit('g1', 'alice', NOW + 60_000, limits, false)).decision.ok).toBe(true);
  });

  it('passes a bypassing member and still counts the request for the rest of the server', async () => {
    const usage = createSqliteUsageStore(openTemp().db);
    expect((await usage.admit('g1', 'vip', NOW, HOURLY_1, true)).decision).toEqual({
      ok: true,
      bypassed: true,
    });
    expect((await usage.admit('g1', 'bob', NOW, HOURLY_1, false)).decision.ok).toBe(false);
  });

  it('sees the places taken through another connection to the same file (another process)', async () => {
    const { db, path } = openTemp();
    const other = openDatabase(path);
    try {
      expect((await createSqliteUsageStore(db).admit('g1', 'alice', NOW, HOURLY_1, false)).decision.ok).toBe(
        true,
      );
      expect((await createSqliteUsageStore(other).admit('g1', 'bob', NOW, HOURLY_1, false)).decision.ok).toBe(
        false,
      );
    } finally {
      other.close();
    }
  });
});
