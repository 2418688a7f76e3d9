import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { holdsGuild, parseShardIds, shardOfGuild } from '../../src/config-shards.js';

const base = { DISCORD_TOKEN: 'MTIz.secret-token-value', SD_API_URL: 'http://127.0.0.1:7860' };
const url = 'postgres://bot:pw@127.0.0.1:5432/sdbot';

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.key}: ${issue.problem}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseShardIds', () => {
  it.each([
    ['0', [0]],
    ['0,1', [0, 1]],
    ['0-3', [0, 1, 2, 3]],
    [' 4, 0-1 ,1', [0, 1, 4]],
  ])('reads %s as %j', (raw, ids) => {
    expect(parseShardIds(raw)).toEqual(ids);
  });

  it.each(['a', '1-', '-1', '0,,1', '3-1'])('refuses %s', (raw) => {
    expect(typeof parseShardIds(raw)).toBe('string');
  });
});

describe('parseConfig (BOT_ROLE=gateway, SHARD_COUNT, SHARD_IDS)', () => {
  it('connects one shard of one when neither key is set, as before sharding', () => {
    expect(parseConfig(base).shards).toEqual({ count: 1, ids: [0] });
  });

  it('holds every shard when SHARD_COUNT is set without SHARD_IDS, with or without DATABASE_URL', () => {
    expect(parseConfig({ ...base, SHARD_COUNT: '3' }).shards).toEqual({ count: 3, ids: [0, 1, 2] });
    expect(parseConfig({ ...base, SHARD_COUNT: '2', SHARD_IDS: '0-1' }).shards).toEqual({
      count: 2,
      ids: [0, 1],
    });
  });

  it('takes a range of the shards when the queue is shared', () => {
    const config = parseConfig({ ...base, DATABASE_URL: url, SHARD_COUNT: '4', SHARD_IDS: '2-3' });
    expect(config.shards).toEqual({ count: 4, ids: [2, 3] });
  });

  it('refuses a part of the shards without DATABASE_URL', () => {
    expect(problemsOf({ ...base, SHARD_COUNT: '2', SHARD_IDS: '1' })).toEqual([
      expect.stringMatching(/^SHARD_IDS: .*DATABASE_URL/),
    ]);
  });

  it('refuses ids at or past SHARD_COUNT and a bad list, never with the value', () => {
    expect(problemsOf({ ...base, DATABASE_URL: url, SHARD_COUNT: '2', SHARD_IDS: '1,2' })).toEqual([
      'SHARD_IDS: every id must be below SHARD_COUNT (2): 0 to 1',
    ]);
    expect(problemsOf({ ...base, SHARD_IDS: 'zero' })).toEqual([
      'SHARD_IDS: must be shard ids such as 0,1 or a range such as 0-3',
    ]);
    expect(problemsOf({ ...base, SHARD_COUNT: '0' }).map((line) => line.split(':')[0])).toEqual([
      'SHARD_COUNT',
    ]);
  });

  it('refuses SHARD_IDS on a worker, which connects to no shard', () => {
    expect(problemsOf({ ...base, DATABASE_URL: url, BOT_ROLE: 'worker', SHARD_IDS: '0' })).toEqual([
      expect.stringMatching(/^SHARD_IDS: a worker connects to no shard/),
    ]);
  });

  it('takes BOT_ROLE=gateway with DATABASE_URL and refuses it without', () => {
    expect(parseConfig({ ...base, DATABASE_URL: url, BOT_ROLE: 'Gateway' }).role).toBe('gateway');
    expect(problemsOf({ ...base, BOT_ROLE: 'gateway' })).toEqual([
      expect.stringMatching(/^BOT_ROLE: gateway needs DATABASE_URL/),
    ]);
    expect(problemsOf({ ...base, BOT_ROLE: 'front' })).toEqual(['BOT_ROLE: must be all, gateway or worker']);
  });
});

describe('shardOfGuild', () => {
  it('puts a guild on shard (id >> 22) % count and a DM on shard 0', () => {
    const guild = String((5n << 22n) | 77n);
    expect(shardOfGuild(guild, 2)).toBe(1);
    expect(shardOfGuild(guild, 4)).toBe(1);
    expect(shardOfGuild(guild, 5)).toBe(0);
    expect(shardOfGuild(guild, 1)).toBe(0);
    expect(shardOfGuild(null, 4)).toBe(0);
    expect(holdsGuild({ count: 4, ids: [1, 2] }, guild)).toBe(true);
    expect(holdsGuild({ count: 4, ids: [1, 2] }, null)).toBe(false);
    expect(holdsGuild({ count: 4, ids: [0] }, null)).toBe(true);
  });
});
