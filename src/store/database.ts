import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** Schema migrations, applied in order once each; append, never edit a released one. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE guild_settings (
     guild_id TEXT PRIMARY KEY,
     default_model TEXT,
     updated_at INTEGER NOT NULL
   );
   CREATE TABLE kv (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL
   );`,
  `CREATE TABLE jobs (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     state TEXT NOT NULL,
     user_id TEXT NOT NULL,
     guild_id TEXT,
     channel_id TEXT NOT NULL,
     application_id TEXT NOT NULL,
     interaction_token TEXT,
     token_expires_at INTEGER NOT NULL,
     params TEXT NOT NULL,
     backend TEXT,
     attempts INTEGER NOT NULL DEFAULT 0,
     error TEXT,
     result TEXT,
     parent_id TEXT,
     message_id TEXT,
     created_at INTEGER NOT NULL,
     started_at INTEGER,
     finished_at INTEGER
   );
   CREATE INDEX jobs_state ON jobs(state, created_at);`,
  // Per-server policies (JSON, see src/policy), generation usage for quotas, and finished images
  // kept for result buttons (upscale, vary, full-size fetch) after a restart.
  `ALTER TABLE guild_settings ADD COLUMN policy TEXT;
   CREATE TABLE usage (
     guild_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     at INTEGER NOT NULL
   );
   CREATE INDEX usage_guild_at ON usage(guild_id, at);
   CREATE INDEX usage_user_at ON usage(user_id, at);
   CREATE TABLE job_images (
     job_id TEXT NOT NULL,
     idx INTEGER NOT NULL,
     data BLOB NOT NULL,
     created_at INTEGER NOT NULL,
     PRIMARY KEY (job_id, idx)
   );
   CREATE INDEX job_images_created ON job_images(created_at);`,
  // Kept images moved to files (src/jobs/image-store.ts moves old rows and drops job_images):
  // this is their index.
  `CREATE TABLE image_files (
     job_id TEXT NOT NULL,
     idx INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     PRIMARY KEY (job_id, idx)
   );
   CREATE INDEX image_files_created ON image_files(created_at);`,
  // Fair order across restarts: when each member's last job started (an increasing stamp).
  `CREATE TABLE served (
     user_id TEXT PRIMARY KEY,
     stamp INTEGER NOT NULL
   );`,
  // The server's own id of a job's request (ComfyUI's prompt id), so a restart can follow it again.
  `ALTER TABLE jobs ADD COLUMN server_ref TEXT;`,
  // The requester's language (Discord locale), so progress and results speak it after a restart too.
  `ALTER TABLE jobs ADD COLUMN locale TEXT;`,
  // Leases and cancel flags for the JobQueue port (src/queue): which worker runs a job until when,
  // whether a cancel was asked for while it ran, and the backend a retried job last failed on.
  `ALTER TABLE jobs ADD COLUMN locked_by TEXT;
   ALTER TABLE jobs ADD COLUMN locked_at INTEGER;
   ALTER TABLE jobs ADD COLUMN lease_expires_at INTEGER;
   ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE jobs ADD COLUMN failed_on TEXT;`,
  // The fair line (src/queue/fair-line.ts) numbers each member's queued jobs in creation order on
  // every read and claim: in this index's order, with no sort of its own.
  `CREATE INDEX jobs_line ON jobs(state, user_id, created_at, id);`,
];

/** Opens (creating the folder and file on first run) the SQLite database in WAL mode and migrates it. */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function migrate(db: Db): void {
  const current = Number(db.pragma('user_version', { simple: true }));
  for (let version = current; version < MIGRATIONS.length; version++) {
    const sql = MIGRATIONS[version] as string;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

export function schemaVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
