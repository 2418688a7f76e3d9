import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { POSTGRES_MIGRATIONS } from '../queue/postgres-migrations.js';
import { isWorkerIdHeld } from '../queue/postgres-worker-id.js';
import { type CheckLine, fail, info, pass } from './report.js';

/** `user@host:port/database`, never the password. */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username === '' ? '' : `${decodeURIComponent(parsed.username)}@`;
    return `${user}${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
]);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code: unknown = Reflect.get(error, 'code');
  if (typeof code === 'string') return code;
  // Node tries every address of a name (IPv6, IPv4) and reports them together.
  const inner: unknown = Reflect.get(error, 'errors');
  return Array.isArray(inner) ? inner.map(codeOf).find((found) => found !== undefined) : undefined;
}

/** The failed connection, in words, with what to do about it. */
export function toConnectFailure(where: string, error: unknown): CheckLine {
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if ((code !== undefined && UNREACHABLE.has(code)) || /timeout/i.test(message)) {
    return fail(
      `PostgreSQL at ${where} is unreachable (${code ?? 'timed out'})`,
      'start PostgreSQL (systemctl start postgresql), or fix the host and port in DATABASE_URL; it must listen on that address (listen_addresses)',
    );
  }
  if (code === '28P01') {
    return fail(
      `PostgreSQL at ${where} refused the credentials (password authentication failed)`,
      'fix the user and password in DATABASE_URL (percent-encode special characters), or set them with ALTER ROLE … PASSWORD',
    );
  }
  if (code === '28000') {
    return fail(
      `PostgreSQL at ${where} does not let this user in from here (${message})`,
      'add a pg_hba.conf line for this host, user and database (or append ?sslmode=require if it asks for SSL), then reload PostgreSQL',
    );
  }
  if (code === '3D000') {
    const database = where.split('/').slice(1).join('/') || 'the database';
    return fail(
      `PostgreSQL at ${where}: database ${database} does not exist`,
      `create it for the bot's user: createdb -O <user> ${database} (the bot creates its tables itself)`,
    );
  }
  return fail(
    `PostgreSQL at ${where} could not be used: ${message}`,
    'check DATABASE_URL and the server log',
  );
}

/** The schema's migration version against the bot's, in words; a failure when the database is newer. */
async function schemaLine(client: pg.Client): Promise<{ ok: boolean; text: string; fix?: string }> {
  const bot = POSTGRES_MIGRATIONS.length;
  const present = await client.query<{ present: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
  );
  const version = present.rows[0]?.present
    ? Number(
        (
          await client.query<{ v: number }>(
            'SELECT COALESCE(MAX(version), 0)::int AS v FROM schema_migrations',
          )
        ).rows[0]?.v ?? 0,
      )
    : 0;
  if (version > bot) {
    return {
      ok: false,
      text: `schema version ${version} is newer than this bot's ${bot}`,
      fix: 'run the bot version that wrote this database, or a newer one (migrations only move forward)',
    };
  }
  if (version === bot) return { ok: true, text: `schema version ${version} (current)` };
  const rights = await client.query<{ create: boolean }>(
    "SELECT has_schema_privilege(current_user, current_schema(), 'CREATE') AS create",
  );
  const pending =
    version === 0
      ? `empty schema: its ${bot} migrations`
      : `schema version ${version} of ${bot}: the pending migrations`;
  if (rights.rows[0]?.create !== true) {
    return {
      ok: false,
      text: `${pending} cannot be applied (this user may not create tables)`,
      fix: 'GRANT CREATE ON SCHEMA public TO <user>; or make the user the database owner',
    };
  }
  return { ok: true, text: `${pending} are applied at start` };
}

/** What this process would be on the shared queue (BOT_ROLE, shards, WORKER_ID). */
export interface ProcessFacts {
  role: 'all' | 'gateway' | 'worker';
  shards: { count: number; ids: readonly number[] };
  workerId: string;
  /** WORKER_ID was left unset: the host name stands in. */
  defaultId: boolean;
  /** DATABASE_POOL_SIZE: the pool's connections; three more listen. */
  poolSize: number;
}

/** Three listening connections per process: the queue's, the settings', the kept-image index's. */
const LISTENING = 3;

/**
 * The process line: its role and shards, and whether its WORKER_ID is free on this database or held
 * by a running bot process (which a second process under that id would wait for, then stop).
 */
async function processLine(client: pg.Client, facts: ProcessFacts): Promise<CheckLine> {
  const shards =
    facts.role === 'worker'
      ? 'no gateway'
      : `gateway shard${facts.shards.ids.length === 1 ? '' : 's'} ${facts.shards.ids.join(', ')} of ${facts.shards.count}`;
  const id = `WORKER_ID "${facts.workerId}"${facts.defaultId ? ' (the host name)' : ''}`;
  const allowed = (await client.query<{ max_connections: string }>('SHOW max_connections')).rows[0]
    ?.max_connections;
  const connections = `up to ${facts.poolSize + LISTENING} connections (DATABASE_POOL_SIZE ${facts.poolSize} and ${LISTENING} listening; the server allows ${allowed ?? '?'} in all)`;
  const head = `This process: BOT_ROLE=${facts.role}, ${shards}, ${connections}, ${id}`;
  if (facts.role === 'gateway') return info(`${head} (a gateway runs no job and holds no id)`);
  if (!(await isWorkerIdHeld(client, facts.workerId))) return info(`${head}, free on this database`);
  return info(
    `${head}, held by a running bot process: that one's id; a second process on this queue needs a WORKER_ID of its own`,
  );
}

/** LISTEN on a channel of its own, NOTIFY it, and wait for the notification. */
async function listenWorks(client: pg.Client, timeoutMs: number): Promise<boolean> {
  const channel = `doctor_${randomBytes(6).toString('hex')}`;
  const heard = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    client.on('notification', (message) => {
      if (message.channel !== channel) return;
      clearTimeout(timer);
      resolve(true);
    });
  });
  await client.query(`LISTEN ${channel}`);
  await client.query('SELECT pg_notify($1, $2)', [channel, 'doctor']);
  const ok = await heard;
  await client.query(`UNLISTEN ${channel}`);
  return ok;
}

/**
 * Whether the bot can use DATABASE_URL: reachable and the credentials accepted, the server's version,
 * the schema's migration version against the bot's, and LISTEN/NOTIFY (every process listens). Reads
 * only: it never creates a table (the bot migrates at start). One line; the password is never in it.
 */
export async function checkPostgres(
  url: string,
  deps: { timeoutMs: number; process?: ProcessFacts },
): Promise<CheckLine[]> {
  const where = describePostgresUrl(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: deps.timeoutMs });
  // A connection lost after the check began must not crash the doctor; the query then fails.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error: unknown) {
    await client.end().catch(() => undefined);
    return [toConnectFailure(where, error)];
  }
  try {
    const version = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]
      ?.server_version;
    const head = `PostgreSQL ${version ?? '?'} at ${where}: credentials accepted`;
    const schema = await schemaLine(client);
    if (!schema.ok) return [fail(`${head}, but its ${schema.text}`, schema.fix ?? '')];
    if (!(await listenWorks(client, deps.timeoutMs))) {
      return [
        fail(
          `${head}, ${schema.text}, but LISTEN/NOTIFY does not come through`,
          'connect DATABASE_URL to PostgreSQL itself or to a pooler in session mode (not transaction mode): each bot process keeps listening connections',
        ),
      ];
    }
    const checked = pass(`${head}, ${schema.text}, LISTEN/NOTIFY works`);
    return deps.process === undefined ? [checked] : [checked, await processLine(client, deps.process)];
  } catch (error: unknown) {
    return [toConnectFailure(where, error)];
  } finally {
    await client.end().catch(() => undefined);
  }
}
