import type { Db } from './database.js';

export interface GuildSettings {
  guildId: string;
  defaultModel: string | undefined;
}

/** Per-server settings. An interface so a shared store can replace SQLite later. */
export interface SettingsStore {
  get(guildId: string): GuildSettings;
  setDefaultModel(guildId: string, model: string | undefined): void;
  /** The server's policy JSON (see src/policy/policy.ts), if any. */
  getPolicyJson(guildId: string): string | undefined;
  setPolicyJson(guildId: string, json: string): void;
  getValue(key: string): string | undefined;
  setValue(key: string, value: string): void;
}

interface SettingsRow {
  guild_id: string;
  default_model: string | null;
}

export function createSqliteSettingsStore(db: Db, now: () => number = Date.now): SettingsStore {
  const select = db.prepare<[string], SettingsRow>(
    'SELECT guild_id, default_model FROM guild_settings WHERE guild_id = ?',
  );
  const upsertModel = db.prepare(
    `INSERT INTO guild_settings (guild_id, default_model, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(guild_id) DO UPDATE SET default_model = excluded.default_model, updated_at = excluded.updated_at`,
  );
  const selectPolicy = db.prepare<[string], { policy: string | null }>(
    'SELECT policy FROM guild_settings WHERE guild_id = ?',
  );
  const upsertPolicy = db.prepare(
    `INSERT INTO guild_settings (guild_id, policy, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(guild_id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at`,
  );
  const getKv = db.prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?');
  const setKv = db.prepare(
    'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  return {
    get(guildId) {
      const row = select.get(guildId);
      return { guildId, defaultModel: row?.default_model ?? undefined };
    },
    setDefaultModel(guildId, model) {
      upsertModel.run(guildId, model ?? null, now());
    },
    getPolicyJson(guildId) {
      return selectPolicy.get(guildId)?.policy ?? undefined;
    },
    setPolicyJson(guildId, json) {
      upsertPolicy.run(guildId, json, now());
    },
    getValue(key) {
      return getKv.get(key)?.value;
    },
    setValue(key, value) {
      setKv.run(key, value);
    },
  };
}
