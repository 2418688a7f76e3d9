import type pg from 'pg';
import { migratePostgres } from '../queue/postgres-migrations.js';
import { inTransaction } from '../store/postgres-transaction.js';
import { decideQuota, HOUR_MS, type QuotaDecision, type QuotaLimits } from './quota.js';
import { KEEP_MS, type UsageStore } from './usage-store.js';

/**
 * The first key of the two-key advisory locks taken per server (the second is the server id's
 * hash). Two-key locks never meet the queue's one-key ones: PostgreSQL keeps the two kinds apart.
 */
export const USAGE_LOCK_SPACE = 1_970_043_000;

/** Old rows go once in this many recorded requests, per process. */
const PRUNE_EVERY = 100;

/**
 * Quotas shared by every process on one PostgreSQL database (table `usage`). Each admit reads the
 * server's usage, decides with `decideQuota` and records a passing request in one transaction that
 * first takes an advisory lock keyed on the server: two processes admitting for one server queue up
 * on the lock, the second reads the first one's row, so they cannot both take the last place.
 * Servers do not wait on one another (two ids that hash alike only share a lock). Does not end the
 * pool (the caller's).
 */
export async function createPostgresUsageStore(pool: pg.Pool): Promise<UsageStore> {
  await migratePostgres(pool);
  let recorded = 0;

  const decideAndRecord = async (
    client: pg.PoolClient,
    { guildId, userId, now, limits, bypass }: AdmitRequest,
  ): Promise<{ decision: QuotaDecision; id: string | undefined }> => {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [USAGE_LOCK_SPACE, guildId]);
    const since = now - limits.cooldownSeconds * 1000;
    const last = await client.query<{ at: string | null }>(
      'SELECT MAX(at) AS at FROM usage WHERE guild_id = $1 AND user_id = $2 AND at > $3',
      [guildId, userId, since],
    );
    const times = await client.query<{ at: string }>(
      'SELECT at FROM usage WHERE guild_id = $1 AND at > $2 ORDER BY at',
      [guildId, now - HOUR_MS],
    );
    const lastAt = last.rows[0]?.at;
    const decision = decideQuota(
      {
        userLastAt: lastAt === null || lastAt === undefined ? undefined : Number(lastAt),
        serverTimesInLastHour: times.rows.map((row) => Number(row.at)),
      },
      limits,
      now,
      bypass,
    );
    if (!decision.ok) return { decision, id: undefined };
    const inserted = await client.query<{ id: string }>(
      'INSERT INTO usage (guild_id, user_id, at) VALUES ($1, $2, $3) RETURNING id',
      [guildId, userId, now],
    );
    recorded += 1;
    if (recorded % PRUNE_EVERY === 0) await client.query('DELETE FROM usage WHERE at < $1', [now - KEEP_MS]);
    return { decision, id: inserted.rows[0]?.id };
  };

  return {
    async admit(guildId, userId, now, limits, bypass) {
      const { decision, id } = await inTransaction(pool, (client) =>
        decideAndRecord(client, { guildId, userId, now, limits, bypass }),
      );
      let held = id !== undefined;
      return {
        decision,
        async release() {
          if (!held || id === undefined) return;
          held = false;
          await pool.query('DELETE FROM usage WHERE id = $1', [id]);
        },
      };
    },
  };
}

interface AdmitRequest {
  guildId: string;
  userId: string;
  now: number;
  limits: QuotaLimits;
  bypass: boolean;
}
