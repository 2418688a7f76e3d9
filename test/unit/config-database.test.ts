import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { secretsOf, secretsOfEnv } from '../../src/secrets.js';

const base = { DISCORD_TOKEN: 'MTIz.secret-token-value', SD_API_URL: 'http://127.0.0.1:7860' };

function problemsOf(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig (DATABASE_URL, BOT_ROLE, WORKER_ID)', () => {
  it('keeps the queue in SQLite when DATABASE_URL is unset or empty', () => {
    expect(parseConfig(base).databaseUrl).toBeUndefined();
    expect(parseConfig({ ...base, DATABASE_URL: ' ' }).databaseUrl).toBeUndefined();
    expect(parseConfig(base).jobs.workerId).toBeUndefined();
  });

  it('leases running jobs for JOB_LEASE_SECONDS, 60 s unless set, and refuses a lease under 3 s', () => {
    expect(parseConfig(base).jobs.leaseMs).toBe(60_000);
    expect(parseConfig({ ...base, JOB_LEASE_SECONDS: '5' }).jobs.leaseMs).toBe(5_000);
    expect(problemsOf({ ...base, JOB_LEASE_SECONDS: '1' }).issues.map((issue) => issue.key)).toEqual([
      'JOB_LEASE_SECONDS',
    ]);
  });

  it('sizes the PostgreSQL pool by DATABASE_POOL_SIZE, 10 unless set, from 2 to 100', () => {
    expect(parseConfig(base).databasePoolSize).toBe(10);
    expect(parseConfig({ ...base, DATABASE_POOL_SIZE: '4' }).databasePoolSize).toBe(4);
    for (const bad of ['1', '101', 'many']) {
      expect(problemsOf({ ...base, DATABASE_POOL_SIZE: bad }).issues.map((issue) => issue.key)).toEqual([
        'DATABASE_POOL_SIZE',
      ]);
    }
  });

  it.each(['postgres://bot:pw@db.example:5432/sdbot', 'postgresql://bot@127.0.0.1/sdbot'])(
    'takes %s as the queue’s database',
    (url) => {
      expect(parseConfig({ ...base, DATABASE_URL: url }).databaseUrl).toBe(url);
    },
  );

  it.each([
    'mysql://bot:hunter2-db@db.example/sdbot',
    'postgres//bot:hunter2-db@db.example/sdbot',
    'postgres://',
  ])('refuses %s without repeating it', (url) => {
    const error = problemsOf({ ...base, DATABASE_URL: url });
    expect(error.issues).toEqual([
      {
        key: 'DATABASE_URL',
        problem: 'must be a PostgreSQL URL: postgres://user:password@host:5432/database (never logged)',
      },
    ]);
    expect(error.message).not.toContain('hunter2-db');
  });

  it('runs as front and worker by default, and as a worker only with a shared queue', () => {
    expect(parseConfig(base).role).toBe('all');
    const url = 'postgres://bot:pw@db.example/sdbot';
    expect(parseConfig({ ...base, BOT_ROLE: 'Worker', DATABASE_URL: url }).role).toBe('worker');
    expect(problemsOf({ ...base, BOT_ROLE: 'worker' }).issues.map((issue) => issue.key)).toEqual([
      'BOT_ROLE',
    ]);
    expect(problemsOf({ ...base, BOT_ROLE: 'front' }).issues).toEqual([
      { key: 'BOT_ROLE', problem: 'must be all, gateway or worker' },
    ]);
  });

  it('takes a worker id and refuses one with spaces', () => {
    expect(parseConfig({ ...base, WORKER_ID: 'gpu-box-1' }).jobs.workerId).toBe('gpu-box-1');
    expect(problemsOf({ ...base, WORKER_ID: 'two words' }).issues.map((issue) => issue.key)).toEqual([
      'WORKER_ID',
    ]);
  });
});

describe('secretsOf (DATABASE_URL)', () => {
  it('masks the database password as typed and decoded', () => {
    const config = parseConfig({ ...base, DATABASE_URL: 'postgres://bot:p%40ss-db@db.example/sdbot' });
    expect(secretsOf(config)).toEqual(['MTIz.secret-token-value', 'p%40ss-db', 'p@ss-db']);
  });

  it('masks it from the raw environment when the configuration does not parse', () => {
    const secrets = secretsOfEnv({
      DISCORD_TOKEN: 'tok',
      DATABASE_URL: 'postgres://bot:raw-db-secret@db.example/sdbot',
      LOG_LEVEL: 'chatty',
    });
    expect(secrets).toContain('raw-db-secret');
  });
});
