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

/** What a notification names: one server's row or one key (the value is read from the table). */
type Changed = { kind: 'guild'; id: string } | { kind: 'kv'; key: string };

function parseChanged(payload: string | undefined): Changed | undefined {
  try {
    const value: unknown = JSON.parse(payload ?? '');
    if (typeof value !== 'object' || value === null) return undefined;
    const { kind, id, key } = value as Record<string, unknown>;
    if (kind === 'guild' && typeof id === 'string') return { kind, id };
    if (kind === 'kv' && typeof key === 'string') return { kind, key };
    return undefined;
  } catch (error: unknown) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

const slotOf = (changed: Changed) => (changed.kind === 'guild' ? `g:${changed.id}` : `k:${changed.key}`);

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
  const guilds = new Map<string, GuildRow>();
  const values = new Map<string, string>();
  /** Slots with writes of ours in flight: a refresh leaves them alone (our own NOTIFY follows). */
  const pending = new Map<string, number>();
  const refreshes = createSerialSteps((error) =>
    options.log.error({ err: error }, 'reading a changed setting failed'),
  );
  let writes: Promise<void> = Promise.resolve();
  let failed: unknown;

  const readGuild = async (id: string) => {
    const { rows } = await pool.query<{ default_model: string | null; policy: string | null }>(
      'SELECT default_model, policy FROM guild_settings WHERE guild_id = $1',
      [id],
    );
    return rows[0] === undefined
      ? undefined
      : { defaultModel: rows[0].default_model ?? undefined, policy: rows[0].policy ?? undefined };
  };
  const refresh = async (changed: Changed) => {
    if (changed.kind === 'guild') {
      const row = await readGuild(changed.id);
      if ((pending.get(slotOf(changed)) ?? 0) > 0) return;
      if (row === undefined) guilds.delete(changed.id);
      else guilds.set(changed.id, row);
    } else {
      const { rows } = await pool.query<{ value: string }>('SELECT value FROM kv WHERE key = $1', [
        changed.key,
      ]);
      if ((pending.get(slotOf(changed)) ?? 0) > 0) return;
      if (rows[0] === undefined) values.delete(changed.key);
      else values.set(changed.key, rows[0].value);
    }
  };
  const reload = async () => {
    const [guildRows, kvRows] = await Promise.all([
      pool.query<{ guild_id: string; default_model: string | null; policy: string | null }>(
        'SELECT guild_id, default_model, policy FROM guild_settings',
      ),
      pool.query<{ key: string; value: string }>('SELECT key, value FROM kv'),
    ]);
    for (const id of guilds.keys()) if (!pending.has(`g:${id}`)) guilds.delete(id);
    for (const key of values.keys()) if (!pending.has(`k:${key}`)) values.delete(key);
    for (const row of guildRows.rows) {
      if (pending.has(`g:${row.guild_id}`)) continue;
      guilds.set(row.guild_id, {
        defaultModel: row.default_model ?? undefined,
        policy: row.policy ?? undefined,
      });
    }
    for (const row of kvRows.rows) if (!pending.has(`k:${row.key}`)) values.set(row.key, row.value);
  };

  /**
   * Queues one write (its upsert and NOTIFY in one statement, so the NOTIFY goes on its commit).
   * Once the slot has no write of ours left in flight it is read back: a change another process
   * committed meanwhile (whose refresh was left out) then lands here too.
   */
  const writeThrough = (changed: Changed, upsert: string, params: unknown[]) => {
    const slot = slotOf(changed);
    pending.set(slot, (pending.get(slot) ?? 0) + 1);
    const notify = params.length + 1;
    const sql = `WITH up AS (${upsert} RETURNING 1) SELECT pg_notify($${notify}, $${notify + 1}) FROM up`;
    const settle = (saved: boolean) => {
      const left = (pending.get(slot) ?? 1) - 1;
      if (left > 0) pending.set(slot, left);
      else pending.delete(slot);
      if (saved && left === 0) refreshes.run(() => refresh(changed));
    };
    writes = writes
      .then(() => pool.query(sql, [...params, channel, JSON.stringify(changed)]))
      .then(
        () => settle(true),
        (error: unknown) => {
          failed ??= error;
          options.log.error(
            { err: error, setting: slot },
            'saving a setting failed; kept in this process only',
          );
          settle(false);
        },
      );
  };
  const changeGuild = (guildId: string, change: Partial<GuildRow>) => {
    const row = guilds.get(guildId) ?? { defaultModel: undefined, policy: undefined };
    guilds.set(guildId, { ...row, ...change });
  };

  await migratePostgres(pool);
  const listener = await listenOn(pool.options, channel, {
    onPayload(payload) {
      const changed = parseChanged(payload);
      if (changed !== undefined) refreshes.run(() => refresh(changed));
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

  const flush = async () => {
    await writes;
    const error = failed;
    failed = undefined;
    if (error !== undefined) throw error;
  };
  return {
    get(guildId): GuildSettings {
      return { guildId, defaultModel: guilds.get(guildId)?.defaultModel };
    },
    setDefaultModel(guildId, model) {
      changeGuild(guildId, { defaultModel: model });
      writeThrough({ kind: 'guild', id: guildId }, UPSERT_MODEL, [guildId, model ?? null, now()]);
    },
    getPolicyJson: (guildId) => guilds.get(guildId)?.policy,
    setPolicyJson(guildId, json) {
      changeGuild(guildId, { policy: json });
      writeThrough({ kind: 'guild', id: guildId }, UPSERT_POLICY, [guildId, json, now()]);
    },
    getValue: (key) => values.get(key),
    setValue(key, value) {
      values.set(key, value);
      writeThrough({ kind: 'kv', key }, UPSERT_KV, [key, value]);
    },
    flush,
    async close() {
      await writes;
      await listener.stop();
      await refreshes.idle();
    },
  };
}
