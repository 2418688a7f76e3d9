import type { Db } from '../store/database.js';
import { HOUR_MS, type UsageSnapshot } from './quota.js';

/** Generation requests per server and member (table `usage`), for quotas. */
export interface UsageStore {
  snapshot(guildId: string, userId: string, now: number, cooldownSeconds: number): UsageSnapshot;
  /** Records one request; returns a handle that takes it back (the request was not queued after all). */
  record(guildId: string, userId: string, at: number): { release(): void };
}

/** Rows older than this are deleted now and then (the longest cooldown is a day). */
const KEEP_MS = 24 * HOUR_MS + 60_000;

export function createSqliteUsageStore(db: Db): UsageStore {
  const lastOfUser = db.prepare<[string, string, number], { at: number | null }>(
    'SELECT MAX(at) AS at FROM usage WHERE guild_id = ? AND user_id = ? AND at > ?',
  );
  const serverTimes = db.prepare<[string, number], { at: number }>(
    'SELECT at FROM usage WHERE guild_id = ? AND at > ? ORDER BY at',
  );
  const insert = db.prepare('INSERT INTO usage (guild_id, user_id, at) VALUES (?, ?, ?)');
  const remove = db.prepare('DELETE FROM usage WHERE rowid = ?');
  const prune = db.prepare('DELETE FROM usage WHERE at < ?');
  let recorded = 0;
  return {
    snapshot(guildId, userId, now, cooldownSeconds) {
      const last = lastOfUser.get(guildId, userId, now - cooldownSeconds * 1000)?.at ?? null;
      return {
        userLastAt: last ?? undefined,
        serverTimesInLastHour: serverTimes.all(guildId, now - HOUR_MS).map((row) => row.at),
      };
    },
    record(guildId, userId, at) {
      const { lastInsertRowid } = insert.run(guildId, userId, at);
      recorded += 1;
      if (recorded % 100 === 0) prune.run(at - KEEP_MS);
      return { release: () => void remove.run(lastInsertRowid) };
    },
  };
}
