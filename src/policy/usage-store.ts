import type { Db } from '../store/database.js';
import { decideQuota, HOUR_MS, type QuotaDecision, type QuotaLimits } from './quota.js';

/** A quota decision taken and, when it passed, its request already counted. */
export interface QuotaReservation {
  decision: QuotaDecision;
  /**
   * Takes the counted request back (it never became a queued job). Idempotent; a no-op after a
   * refusal. Resolves once the place is free for the next request (SQLite: at once).
   */
  release(): Promise<void>;
}

/** Generation requests per server and member (table `usage`), for quotas. */
export interface UsageStore {
  /**
   * Reads the usage, decides with `decideQuota` and, when the request may go ahead, records it: all
   * in one transaction, so two requests at the same instant (or from two processes on one database)
   * cannot both take the last place. Bypassing requests are recorded too (they count towards the
   * server's hour for everyone else, as before). A promise because a shared store (PostgreSQL)
   * answers over the network; SQLite decides synchronously and resolves at once.
   */
  admit(
    guildId: string,
    userId: string,
    now: number,
    limits: QuotaLimits,
    bypass: boolean,
  ): Promise<QuotaReservation>;
}

/** Rows older than this are deleted now and then (the longest cooldown is a day). */
export const KEEP_MS = 24 * HOUR_MS + 60_000;

/** Both limits off (the default): nothing read can decide, so an admit only records the request. */
export const limitsOff = (limits: QuotaLimits): boolean =>
  limits.cooldownSeconds === 0 && limits.hourlyLimit === 0;

/** An admit's decision when `limitsOff`: made on no usage at all, as nothing read could count. */
export const uncheckedDecision = (limits: QuotaLimits, now: number, bypass: boolean): QuotaDecision =>
  decideQuota({ userLastAt: undefined, serverTimesInLastHour: [] }, limits, now, bypass);

// One closure on purpose: the prepared statements and the count since the last prune are shared by every method.
export function createSqliteUsageStore(db: Db): UsageStore {
  const lastOfUser = db.prepare<[string, string, number], { at: number | null }>(
    'SELECT MAX(at) AS at FROM usage WHERE guild_id = ? AND user_id = ? AND at > ?',
  );
  // Only the hour's latest `hourlyLimit` requests can decide: whether there are that many, and when
  // the oldest of them ages out.
  const serverTimes = db.prepare<[string, number, number], { at: number }>(
    'SELECT at FROM usage WHERE guild_id = ? AND at > ? ORDER BY at DESC LIMIT ?',
  );
  const insert = db.prepare('INSERT INTO usage (guild_id, user_id, at) VALUES (?, ?, ?)');
  const remove = db.prepare('DELETE FROM usage WHERE rowid = ?');
  const prune = db.prepare('DELETE FROM usage WHERE at < ?');
  let recorded = 0;

  const decideAndRecord = (
    guildId: string,
    userId: string,
    now: number,
    limits: QuotaLimits,
    bypass: boolean,
  ): { decision: QuotaDecision; rowid: number | bigint | undefined } => {
    const last = lastOfUser.get(guildId, userId, now - limits.cooldownSeconds * 1000)?.at ?? null;
    const decision = decideQuota(
      {
        userLastAt: last ?? undefined,
        serverTimesInLastHour: serverTimes
          .all(guildId, now - HOUR_MS, limits.hourlyLimit)
          .map((row) => row.at)
          .reverse(),
      },
      limits,
      now,
      bypass,
    );
    if (!decision.ok) return { decision, rowid: undefined };
    return { decision, rowid: record(guildId, userId, now) };
  };
  /** Records a request; every 100 records, drops the rows no limit looks at any more. */
  const record = (guildId: string, userId: string, now: number) => {
    const { lastInsertRowid } = insert.run(guildId, userId, now);
    recorded += 1;
    if (recorded % 100 === 0) prune.run(now - KEEP_MS);
    return lastInsertRowid;
  };
  // IMMEDIATE takes the write lock before the first read: another process cannot read the same
  // usage in between and decide on it too.
  const admitInTransaction = db.transaction(decideAndRecord).immediate;
  /**
   * With both limits off, nothing read decides: the request is only recorded (for limits set later
   * to count), in one statement. A write takes the lock itself, so a racing check still counts it.
   */
  const admitUnchecked = (
    guildId: string,
    userId: string,
    now: number,
    limits: QuotaLimits,
    bypass: boolean,
  ) => ({
    decision: uncheckedDecision(limits, now, bypass),
    rowid: record(guildId, userId, now),
  });

  return {
    admit(guildId, userId, now, limits, bypass) {
      const { decision, rowid } = (limitsOff(limits) ? admitUnchecked : admitInTransaction)(
        guildId,
        userId,
        now,
        limits,
        bypass,
      );
      let held = rowid !== undefined;
      return Promise.resolve({
        decision,
        release: async () => {
          if (!held || rowid === undefined) return;
          held = false;
          remove.run(rowid);
        },
      });
    },
  };
}
