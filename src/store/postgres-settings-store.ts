import type pg from 'pg';
import type { Logger } from '../log.js';
import { migratePostgres } from '../queue/postgres-migrations.js';
import { checkChannelName, createSerialSteps, listenOn } from './postgres-notifications.js';
import type { GuildSettings, SettingsStore } from './settings-store.js';

/** The SettingsStore shared by every process on one PostgreSQL database. */
export interface PostgresSettingsStore extends SettingsStore {
  /**
   * Resolves when every write this process made so far is in the database; rejects with the first
   * write that failed since the last `flush` (each failure is logged as it happens too).
   */
  flush(): Promise<void>;
  /** Waits for the writes in flight, then stops listening. Does not end the pool (the caller's). */
  close(): Promise<void>;
}

export interface PostgresSettingsOptions {
  log: Pick<Logger, 'error'>;
  now?: () => number;
  /** The LISTEN/NOTIFY channel; every process on one database must use the same. */
  channel?: string;
}

interface GuildRow {
  defaultModel: string | undefined;
  policy: string | undefined;
}

/** A table held in memory: its rows by key, and the keys with writes of ours in flight. */
interface Mirror<V> {
  name: 'guild_settings' | 'kv';
  rows: Map<string, V>;
  /** Keys a refresh leaves alone: our own write is on its way, and read back once it lands. */
  pending: Map<string, number>;
  readOne(pool: pg.Pool, key: string): Promise<V | undefined>;
  readAll(pool: pg.Pool): Promise<[string, V][]>;
}

type GuildSql = { guild_id: string; default_model: string | null; policy: string | null };
const toGuildRow = (row: GuildSql): GuildRow => ({
  defaultModel: row.default_model ?? undefined,
  policy: row.policy ?? undefined,
});

const guildMirror = (): Mirror<GuildRow> => ({
  name: 'guild_settings',
  rows: new Map(),
  pending: new Map(),
  async readOne(pool, key) {
    const { rows } = await pool.query<GuildSql>('SELECT * FROM guild_settings WHERE guild_id = $1', [key]);
    return rows[0] === undefined ? undefined : toGuildRow(rows[0]);
  },
  async readAll(pool) {
    const { rows } = await pool.query<GuildSql>('SELECT * FROM guild_settings');
    return rows.map((row) => [row.guild_id, toGuildRow(row)]);
  },
});

const kvMirror = (): Mirror<string> => ({
  name: 'kv',
  rows: new Map(),
  pending: new Map(),
  async readOne(pool, key) {
    const { rows } = await pool.query<{ value: string }>('SELECT value FROM kv WHERE key = $1', [key]);
    return rows[0]?.value;
  },
  async readAll(pool) {
    const { rows } = await pool.query<{ key: string; value: string }>('SELECT key, value FROM kv');
    return rows.map((row) => [row.key, row.value]);
  },
});

/** Reads one key again and keeps what the table holds, unless a write of ours to it is on its way. */
async function refreshKey<V>(pool: pg.Pool, mirror: Mirror<V>, key: string): Promise<void> {
  const value = await mirror.readOne(pool, key);
  if (mirror.pending.has(key)) return;
  if (value === undefined) mirror.rows.delete(key);
  else mirror.rows.set(key, value);
}

/** Reads the whole table again (after a lost LISTEN connection), keys with writes on their way apart. */
async function reloadMirror<V>(pool: pg.Pool, mirror: Mirror<V>): Promise<void> {
  const rows = await mirror.readAll(pool);
  for (const key of mirror.rows.keys()) if (!mirror.pending.has(key)) mirror.rows.delete(key);
  for (const [key, value] of rows) if (!mirror.pending.has(key)) mirror.rows.set(key, value);
}

/** A NOTIFY payload as sent by this store (which table, which key); anything else is ignored. */
function parseChanged(payload: string | undefined): { table: string; key: string } | undefined {
  try {
    const value: unknown = JSON.parse(payload ?? '');
    if (typeof value !== 'object' || value === null) return undefined;
    const { table, key } = value as Record<string, unknown>;
    return typeof table === 'string' && typeof key === 'string' ? { table, key } : undefined;
  } catch (error: unknown) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

const UPSERT_MODEL = `INSERT INTO guild_settings (guild_id, default_model, updated_at) VALUES ($1, $2, $3)
  ON CONFLICT (guild_id) DO UPDATE SET default_model = excluded.default_model, updated_at = excluded.updated_at`;
const UPSERT_POLICY = `INSERT INTO guild_settings (guild_id, policy, updated_at) VALUES ($1, $2, $3)
  ON CONFLICT (guild_id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at`;
const UPSERT_KV = `INSERT INTO kv (key, value) VALUES ($1, $2)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value`;

/**
 * Settings in PostgreSQL behind the synchronous SettingsStore: the tables are read into memory at
 * creation and every read is served from there. A write changes memory at once and goes to the
 * database behind it, this process's writes in order, each with a NOTIFY on commit; every process
 * (one LISTEN connection each) then reads the row that changed; so does the writer once its writes
 * to that row are done, so the row's last commit wins everywhere. A failed write is logged and the
 * value kept in this process's memory (the admin was already told it is saved); other processes do
 * not see it, and it is gone after a restart. After a lost LISTEN connection, everything is read again.
 * One closure on purpose: the memory, the writes in flight and the listener are this store's state.
 */
export async function createPostgresSettingsStore(
  pool: pg.Pool,
  options: PostgresSettingsOptions,
): Promise<PostgresSettingsStore> {
  const channel = checkChannelName(options.channel ?? 'settings_changed');
  const now = options.now ?? Date.now;
  const guilds = guildMirror();
  const values = kvMirror();
  // Reads of changed keys and reloads in one line: a slow read never lands after a later one.
  const refreshes = createSerialSteps((error) =>
    options.log.error({ err: error }, 'reading a changed setting failed'),
  );
  const reload = () => Promise.all([reloadMirror(pool, guilds), reloadMirror(pool, values)]);
  let writes: Promise<void> = Promise.resolve();
  let failed: unknown;

  /** Queues one write: its upsert and NOTIFY in one statement, so the NOTIFY goes on its commit. */
  const writeThrough = <V>(mirror: Mirror<V>, key: string, upsert: string, params: unknown[]) => {
    mirror.pending.set(key, (mirror.pending.get(key) ?? 0) + 1);
    const at = params.length + 1;
    const sql = `WITH up AS (${upsert} RETURNING 1) SELECT pg_notify($${at}, $${at + 1}) FROM up`;
    const settle = (saved: boolean) => {
      const left = (mirror.pending.get(key) ?? 1) - 1;
      if (left > 0) mirror.pending.set(key, left);
      else mirror.pending.delete(key);
      // Read back: a change another process committed meanwhile (its refresh was left out) lands too.
      if (saved && left === 0) refreshes.run(() => refreshKey(pool, mirror, key));
    };
    writes = writes
      .then(() => pool.query(sql, [...params, channel, JSON.stringify({ table: mirror.name, key })]))
      .then(
        () => settle(true),
        (error: unknown) => {
          failed ??= error;
          options.log.error(
            { err: error, table: mirror.name, key },
            'saving a setting failed; kept in this process only',
          );
          settle(false);
        },
      );
  };
  const changeGuild = (guildId: string, change: Partial<GuildRow>) => {
    const row = guilds.rows.get(guildId) ?? { defaultModel: undefined, policy: undefined };
    guilds.rows.set(guildId, { ...row, ...change });
  };

  await migratePostgres(pool);
  const listener = await listenOn(pool.options, channel, {
    onPayload(payload) {
      const changed = parseChanged(payload);
      if (changed?.table === 'kv') refreshes.run(() => refreshKey(pool, values, changed.key));
      if (changed?.table === 'guild_settings') refreshes.run(() => refreshKey(pool, guilds, changed.key));
    },
    onReconnected: () => refreshes.run(reload),
  });
  try {
    // In the line of refreshes, so a change heard meanwhile is read after this, not overwritten by it.
    await refreshes.wait(reload);
  } catch (error: unknown) {
    await listener.stop().catch(() => undefined);
    throw error;
  }

  return {
    get: (guildId): GuildSettings => ({ guildId, defaultModel: guilds.rows.get(guildId)?.defaultModel }),
    setDefaultModel(guildId, model) {
      changeGuild(guildId, { defaultModel: model });
      writeThrough(guilds, guildId, UPSERT_MODEL, [guildId, model ?? null, now()]);
    },
    getPolicyJson: (guildId) => guilds.rows.get(guildId)?.policy,
    setPolicyJson(guildId, json) {
      changeGuild(guildId, { policy: json });
      writeThrough(guilds, guildId, UPSERT_POLICY, [guildId, json, now()]);
    },
    getValue: (key) => values.rows.get(key),
    setValue(key, value) {
      values.rows.set(key, value);
      writeThrough(values, key, UPSERT_KV, [key, value]);
    },
    async flush() {
      await writes;
      const error = failed;
      failed = undefined;
      if (error !== undefined) throw error;
    },
    async close() {
      await writes;
      await listener.stop();
      await refreshes.idle();
    },
  };
}
