import type pg from 'pg';
import { migratePostgres } from '../queue/postgres-migrations.js';
import { inTransaction } from '../store/postgres-transaction.js';
import { decideQuota, HOUR_MS, type QuotaDecision, type QuotaLimits } from './quota.js';
import { KEEP_MS, limitsOff, type UsageStore, uncheckedDecision } from './usage-store.js';

/**
 * The first key of the two-key advisory locks taken per server (the second is the server id's
 * hash). Two-key locks never meet the queue's one-key ones: PostgreSQL keeps the two kinds apart.
 */
export const USAGE_LOCK_SPACE = 1_970_043_000;

/** Old rows go once in this many recorded requests, per process. */
const PRUNE_EVERY = 100;

/**
 * Quotas shared by every process on one PostgreSQL database (table `usage`). Each admit with a
 * limit to check reads the server's usage, decides with `decideQuota` and records a passing request
 * in one transaction that first takes an advisory lock keyed on the server: two processes admitting
 * for one server queue up on the lock, the second reads the first one's row, so they cannot both
 * take the last place. Servers do not wait on one another (two ids that hash alike only share a
 * lock). Does not end the pool (the caller's).
 */
export async function createPostgresUsageStore(pool: pg.Pool): Promise<UsageStore> {
  await migratePostgres(pool);
  let recorded = 0;

  /** Records a passing request; every PRUNE_EVERY records, drops the rows no limit looks at any more. */
  const record = async (client: pg.Pool | pg.PoolClient, { guildId, userId, now }: AdmitRequest) => {
    const inserted = await client.query<{ id: string }>(
      'INSERT INTO usage (guild_id, user_id, at) VALUES ($1, $2, $3) RETURNING id',
      [guildId, userId, now],
    );
    recorded += 1;
    if (recorded % PRUNE_EVERY === 0) await client.query('DELETE FROM usage WHERE at < $1', [now - KEEP_MS]);
    return inserted.rows[0]?.id;
  };

  const decideAndRecord = async (
    client: pg.PoolClient,
    request: AdmitRequest,
  ): Promise<{ decision: QuotaDecision; id: string | undefined }> => {
    const { guildId, userId, now, limits, bypass } = request;
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [USAGE_LOCK_SPACE, guildId]);
    // Only the hour's latest `hourlyLimit` requests can decide: whether there are that many, and
    // when the oldest of them ages out.
    const read = await client.query<{ last: string | null; times: string[] }>(
      `SELECT (SELECT MAX(at) FROM usage WHERE guild_id = $1 AND user_id = $2 AND at > $3) AS last,
              ARRAY(SELECT at FROM usage WHERE guild_id = $1 AND at > $4 ORDER BY at DESC LIMIT $5) AS times`,
      [guildId, userId, now - limits.cooldownSeconds * 1000, now - HOUR_MS, limits.hourlyLimit],
    );
    const row = read.rows[0];
    const decision = decideQuota(
      {
        userLastAt: row?.last === null || row?.last === undefined ? undefined : Number(row.last),
        serverTimesInLastHour: (row?.times ?? []).map(Number).reverse(),
      },
      limits,
      now,
      bypass,
    );
    if (!decision.ok) return { decision, id: undefined };
    return { decision, id: await record(client, request) };
  };

  /**
   * With both limits off, nothing read decides: the request is only recorded (for limits set later
   * to count), in one statement without the lock. A bypassing member's request still takes the
   * lock, so a racing member's check counts it.
   */
  const admitUnchecked = async (request: AdmitRequest) => {
    const { limits, bypass, now } = request;
    return { decision: uncheckedDecision(limits, now, bypass), id: await record(pool, request) };
  };

  return {
    async admit(guildId, userId, now, limits, bypass) {
      const request = { guildId, userId, now, limits, bypass };
      const { decision, id } = limitsOff(limits)
        ? await admitUnchecked(request)
        : await inTransaction(pool, (client) => decideAndRecord(client, request));
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
