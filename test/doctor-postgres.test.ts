import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../src/config.js';
import { runDoctor } from '../src/doctor/run.js';
import { migratePostgres, POSTGRES_MIGRATIONS } from '../src/queue/postgres-migrations.js';
import { createPostgresJobQueue } from '../src/queue/postgres-queue.js';
import { type FakeDiscord, startFakeDiscord } from './fakes/discord/server.js';
import { type FakeWebui, startFakeWebui } from './fakes/webui/server.js';
import { freePort } from './support/ports.js';
import { startTestPostgres, type TestPostgres } from './support/postgres.js';

let server: TestPostgres;
let discord: FakeDiscord;
let sd: FakeWebui;
let dataDir: string;
const databases: string[] = [];

beforeAll(async () => {
  [server, discord, sd] = await Promise.all([startTestPostgres(), startFakeDiscord(), startFakeWebui()]);
  dataDir = await mkdtemp(join(tmpdir(), 'sdbot-doctor-pg-'));
}, 60_000);
afterEach(async () => {
  await Promise.all(databases.splice(0).map((name) => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));
});
afterAll(async () => {
  await Promise.all([server?.stop(), discord?.close(), sd?.close()]);
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

const withPath = (url: string, path: string) => {
  const changed = new URL(url);
  changed.pathname = path;
  return changed.toString();
};

/** One query on `url`, on a connection of its own. */
async function query<Row extends pg.QueryResultRow>(url: string, sql: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database on the test server; dropped after the test. */
async function freshDatabase(): Promise<string> {
  const name = `doctor_${Math.random().toString(36).slice(2, 10)}`;
  await admin(`CREATE DATABASE ${name}`);
  databases.push(name);
  return withPath(server.url, `/${name}`);
}

async function migrated(url: string, migrations = POSTGRES_MIGRATIONS): Promise<void> {
  const pool = new pg.Pool({ connectionString: url });
  try {
    await migratePostgres(pool, migrations);
  } finally {
    await pool.end();
  }
}

async function doctor(
  databaseUrl: string,
  more: Env = {},
): Promise<{ code: number; lines: string[]; text: string }> {
  const env: Env = {
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    SD_API_URL: sd.url,
    DATABASE_PATH: join(dataDir, 'bot.sqlite'),
    DATABASE_URL: databaseUrl,
    ...more,
  };
  const lines: string[] = [];
  const code = await runDoctor(env, { output: (line) => lines.push(line), timeoutMs: 5_000 });
  return { code, lines, text: lines.join('\n') };
}

const postgresLine = (lines: string[]) => {
  const found = lines.find((line) => line.includes('PostgreSQL'));
  if (found === undefined) throw new Error(`no PostgreSQL line in:\n${lines.join('\n')}`);
  return found;
};

const password = () => decodeURIComponent(new URL(server.url).password);
const where = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.username}@${parsed.host}${parsed.pathname}`;
};

describe('runDoctor with DATABASE_URL', () => {
  it('reports the server version, an empty schema migrated at start and LISTEN, never the password', async () => {
    const url = await freshDatabase();
    const { code, lines, text } = await doctor(url);
    expect(code).toBe(0);
    expect(postgresLine(lines)).toMatch(
      new RegExp(
        `^✓ PostgreSQL \\d+(\\.\\d+)*\\S* at ${where(url)}: credentials accepted, empty schema: its ${POSTGRES_MIGRATIONS.length} migrations are applied at start, LISTEN/NOTIFY works$`,
      ),
    );
    expect(lines).toContain(
      `· Kept images: ${join(dataDir, 'images')} (every process on DATABASE_URL must see this same folder)`,
    );
    // The SQLite file is not used with DATABASE_URL, so it is not checked either.
    expect(text).not.toContain('bot.sqlite');
    expect(password().length).toBeGreaterThan(0);
    expect(text).not.toContain(password());
    // Read only: the doctor created no table.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const tables = await client
      .query("SELECT 1 FROM pg_tables WHERE schemaname = 'public'")
      .finally(() => client.end());
    expect(tables.rowCount).toBe(0);
  });

  it('says the schema is current once migrated, and names pending migrations when it is behind', async () => {
    const current = await freshDatabase();
    await migrated(current);
    expect(postgresLine((await doctor(current)).lines)).toContain(
      `schema version ${POSTGRES_MIGRATIONS.length} (current), LISTEN/NOTIFY works`,
    );
    const behind = await freshDatabase();
    await migrated(behind, POSTGRES_MIGRATIONS.slice(0, 2));
    const { code, lines } = await doctor(behind);
    expect(code).toBe(0);
    expect(postgresLine(lines)).toContain(
      `schema version 2 of ${POSTGRES_MIGRATIONS.length}: the pending migrations are applied at start`,
    );
  });

  it('fails when the schema is newer than the bot, with the fix', async () => {
    const url = await freshDatabase();
    await migrated(url, [...POSTGRES_MIGRATIONS, 'SELECT 1']);
    const { code, lines } = await doctor(url);
    expect(code).toBe(1);
    expect(postgresLine(lines)).toMatch(
      new RegExp(
        `^✗ .*schema version ${POSTGRES_MIGRATIONS.length + 1} is newer than this bot's ${POSTGRES_MIGRATIONS.length} → run the bot version that wrote this database`,
      ),
    );
  });

  it('tells to create the database when it does not exist', async () => {
    const { code, lines } = await doctor(withPath(server.url, '/no_such_database'));
    expect(code).toBe(1);
    expect(postgresLine(lines)).toMatch(
      /^✗ PostgreSQL at .*\/no_such_database: database no_such_database does not exist → create it for the bot's user: createdb -O <user> no_such_database/,
    );
  });

  it('tells to fix the credentials when the password is wrong, printing neither password', async () => {
    const wrong = new URL(server.url);
    wrong.password = 'not-the-password-42';
    const { code, lines, text } = await doctor(wrong.toString());
    expect(code).toBe(1);
    expect(postgresLine(lines)).toMatch(
      /^✗ PostgreSQL at .* refused the credentials \(password authentication failed\) → fix the user and password in DATABASE_URL/,
    );
    expect(text).not.toContain('not-the-password-42');
    expect(text).not.toContain(password());
  });

  it('reports an unreachable server with the fix', async () => {
    const port = await freePort();
    const url = `postgres://bot:s3cret-pw@127.0.0.1:${port}/sdbot`;
    const { code, lines, text } = await doctor(url);
    expect(code).toBe(1);
    expect(postgresLine(lines)).toBe(
      `✗ PostgreSQL at bot@127.0.0.1:${port}/sdbot is unreachable (ECONNREFUSED) → start PostgreSQL (systemctl start postgresql), or fix the host and port in DATABASE_URL; it must listen on that address (listen_addresses)`,
    );
    expect(text).not.toContain('s3cret-pw');
  });
});

describe('runDoctor on a shared queue', () => {
  const processLine = (lines: string[]) => lines.find((line) => line.includes('This process:'));

  it('tells the process’s role, shards and WORKER_ID, and whether a running bot holds that id', async () => {
    const url = await freshDatabase();
    await migrated(url);
    const allowed = (await query<{ max_connections: string }>(url, 'SHOW max_connections'))[0]
      ?.max_connections;
    expect(processLine((await doctor(url)).lines)).toBe(
      `· This process: BOT_ROLE=all, gateway shard 0 of 1, up to 13 connections (DATABASE_POOL_SIZE 10 and 3 listening; the server allows ${allowed} in all), WORKER_ID "${hostname()}" (the host name), free on this database`,
    );
    const running = await createPostgresJobQueue({
      connectionString: url,
      worker: { id: 'worker-7', waitMs: 0 },
    });
    try {
      const { code, lines } = await doctor(url, { BOT_ROLE: 'worker', WORKER_ID: 'worker-7' });
      expect(code).toBe(0);
      expect(processLine(lines)).toBe(
        `· This process: BOT_ROLE=worker, no gateway, up to 13 connections (DATABASE_POOL_SIZE 10 and 3 listening; the server allows ${allowed} in all), WORKER_ID "worker-7", held by a running bot process: that one's id; a second process on this queue needs a WORKER_ID of its own`,
      );
      const gateway = await doctor(url, {
        BOT_ROLE: 'gateway',
        SHARD_COUNT: '2',
        SHARD_IDS: '1',
        DATABASE_POOL_SIZE: '4',
      });
      expect(processLine(gateway.lines)).toBe(
        `· This process: BOT_ROLE=gateway, gateway shard 1 of 2, up to 7 connections (DATABASE_POOL_SIZE 4 and 3 listening; the server allows ${allowed} in all), WORKER_ID "${hostname()}" (the host name) (a gateway runs no job and holds no id)`,
      );
      // Looking took nothing: a free id is still free after the doctor, and a held one still held.
      expect(processLine((await doctor(url, { WORKER_ID: 'worker-8' })).lines)).toContain(
        'free on this database',
      );
      const second = await createPostgresJobQueue({
        connectionString: url,
        worker: { id: 'worker-8', waitMs: 0 },
      });
      await second.close();
      await expect(
        createPostgresJobQueue({ connectionString: url, worker: { id: 'worker-7', waitMs: 0 } }),
      ).rejects.toThrow(/in use by another process/);
    } finally {
      await running.close();
    }
  });
});
