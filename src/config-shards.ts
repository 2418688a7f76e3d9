/** The gateway shards a process connects (SHARD_COUNT, SHARD_IDS) and the checks between them and BOT_ROLE. */
import type { ConfigIssue, Env } from './config-errors.js';

export type BotRole = 'all' | 'gateway' | 'worker';

export interface ShardConfig {
  /** Shards of the whole bot (Discord's `shard: [id, count]`); 1: no sharding. */
  count: number;
  /** The shards this process connects, ascending; every one when SHARD_IDS is unset. */
  ids: number[];
}

/** Parses `0,1` or `0-3` or `0-1,4`; a message when the list is not such a list. */
export function parseShardIds(raw: string): number[] | string {
  const ids = new Set<number>();
  for (const part of raw.split(',').map((piece) => piece.trim())) {
    const range = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    if (range === null) return 'must be shard ids such as 0,1 or a range such as 0-3';
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (to < from) return `the range ${part} runs backwards: write the lower id first`;
    for (let id = from; id <= to; id += 1) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

const allShards = (count: number) => Array.from({ length: count }, (_, id) => id);

/**
 * The shards of this process, or the problems: ids within SHARD_COUNT, a shared queue (DATABASE_URL)
 * when other processes hold the other shards, and a gateway role for SHARD_IDS. `count` is
 * undefined when SHARD_COUNT itself is invalid (its own problem is reported by the schema).
 */
export function toShardConfig(
  env: Env,
  count: number | undefined,
  role: BotRole | undefined,
): { shards: ShardConfig; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const total = count ?? 1;
  const raw = (env.SHARD_IDS ?? '').trim();
  let ids = allShards(total);
  if (raw !== '') {
    const parsed = parseShardIds(raw);
    if (typeof parsed === 'string') issues.push({ key: 'SHARD_IDS', problem: parsed });
    else if (count !== undefined && parsed.some((id) => id >= count)) {
      issues.push({
        key: 'SHARD_IDS',
        problem: `every id must be below SHARD_COUNT (${count}): 0 to ${count - 1}`,
      });
    } else ids = parsed;
    if (role === 'worker') {
      issues.push({
        key: 'SHARD_IDS',
        problem: 'a worker connects to no shard: unset it, or use BOT_ROLE=gateway',
      });
    }
  }
  const shared = (env.DATABASE_URL ?? '').trim() !== '';
  if (issues.length === 0 && ids.length < total && !shared) {
    issues.push({
      key: 'SHARD_IDS',
      problem:
        'this process holds only some of the shards: the other shards run in other processes, which share the queue through DATABASE_URL',
    });
  }
  if (role === 'gateway' && !shared) {
    issues.push({
      key: 'BOT_ROLE',
      problem:
        'gateway needs DATABASE_URL: a gateway only takes commands, its jobs run on workers sharing that queue',
    });
  }
  return { shards: { count: total, ids }, issues };
}

/** Discord's rule: a guild's events reach shard `(guild_id >> 22) % count`; DMs (no guild) shard 0. */
export function shardOfGuild(guildId: string | null, count: number): number {
  if (guildId === null || count <= 1 || !/^\d{1,20}$/.test(guildId)) return 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** Whether this process's shards carry the guild (or, for a DM, whether it holds shard 0). */
export function holdsGuild(shards: ShardConfig, guildId: string | null): boolean {
  return shards.ids.includes(shardOfGuild(guildId, shards.count));
}
