import type pg from 'pg';

/**
 * The PostgreSQL schema, version by version (version = index + 1); append, never edit a released
 * one. Times are BIGINT milliseconds, JSON is jsonb. Job ids compare by code unit (`COLLATE "C"`)
 * so the fair order's last tie-break is JavaScript's, as in `fairOrder`.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE jobs (
     id TEXT COLLATE "C" PRIMARY KEY,
     kind TEXT NOT NULL,
     state TEXT NOT NULL,
     user_id TEXT NOT NULL,
     guild_id TEXT,
     channel_id TEXT NOT NULL,
     application_id TEXT NOT NULL,
     interaction_token TEXT,
     token_expires_at BIGINT NOT NULL,
     params JSONB NOT NULL,
     backend TEXT,
     server_ref TEXT,
     locale TEXT,
     attempts INTEGER NOT NULL DEFAULT 0,
     error TEXT,
     result JSONB,
     parent_id TEXT,
     message_id TEXT,
     created_at BIGINT NOT NULL,
     started_at BIGINT,
     finished_at BIGINT,
     locked_by TEXT,
     locked_at BIGINT,
     lease_expires_at BIGINT,
     cancel_requested BOOLEAN NOT NULL DEFAULT false,
     failed_on TEXT
   );
   CREATE INDEX jobs_state ON jobs (state, created_at);
   CREATE INDEX jobs_lease ON jobs (lease_expires_at) WHERE state = 'running';
   -- Fair order: when each member's last job started, as an increasing stamp.
   CREATE TABLE served (
     user_id TEXT PRIMARY KEY,
     stamp BIGINT NOT NULL
   );
   CREATE SEQUENCE served_stamp;`,
  // Per-server settings (src/store/postgres-settings-store.ts): the default model, the policy JSON
  // as the admin's commands wrote it (text, compared and parsed as is), and a key/value table.
  `CREATE TABLE guild_settings (
     guild_id TEXT PRIMARY KEY,
     default_model TEXT,
     policy TEXT,
     updated_at BIGINT NOT NULL
   );
   CREATE TABLE kv (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL
   );`,
  // Generation requests per server and member, for quotas (src/policy/postgres-usage-store.ts).
  `CREATE TABLE usage (
     id BIGSERIAL PRIMARY KEY,
     guild_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     at BIGINT NOT NULL
   );
   CREATE INDEX usage_guild_at ON usage (guild_id, at);
   CREATE INDEX usage_user_at ON usage (guild_id, user_id, at);`,
  // The index of kept images, whose files sit in IMAGE_DIR (src/jobs/postgres-image-store.ts).
  `CREATE TABLE image_files (
     job_id TEXT NOT NULL,
     idx INTEGER NOT NULL,
     created_at BIGINT NOT NULL,
     PRIMARY KEY (job_id, idx)
   );
   CREATE INDEX image_files_created ON image_files (created_at);`,
  // The fair line (src/queue/fair-line.ts) numbers each member's queued jobs in creation order on
  // every read and claim: in this index's order, with no sort of its own.
  `CREATE INDEX jobs_line ON jobs (state, user_id, created_at, id);`,
];

/** Held while migrating, so two processes starting at once apply each version once. */
const MIGRATION_LOCK = '7236051917338522624';

/**
 * Applies the versions not applied yet, in order, in one transaction under an advisory lock; records
 * each in `schema_migrations`. Returns the versions it applied (none when the schema is current).
 */
export async function migratePostgres(
  pool: pg.Pool,
  migrations: readonly string[] = POSTGRES_MIGRATIONS,
): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)',
    );
    const done = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(done.rows.map((row) => row.version));
    const now = Date.now();
    const fresh: number[] = [];
    for (const [index, sql] of migrations.entries()) {
      const version = index + 1;
      if (applied.has(version)) continue;
      await client.query(sql);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
        version,
        now,
      ]);
      fresh.push(version);
    }
    await client.query('COMMIT');
    return fresh;
  } catch (error: unknown) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
