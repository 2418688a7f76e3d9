import { shardOf } from './snowflake.js';
import type { FakeGuildConfig } from './types.js';

/**
 * Two guilds, one on each shard of two (their ids differ in bit 22), each with a `general` text
 * channel; `onShard[n]` is the guild whose events go to shard n.
 */
export function guildsOnTwoShards(): {
  guilds: FakeGuildConfig[];
  onShard: [FakeGuildConfig, FakeGuildConfig];
} {
  const base = 1_300_000_000_000_000_000n;
  const guilds: FakeGuildConfig[] = [base, base + (1n << 22n)].map((id, index) => ({
    id: String(id + 100n),
    name: `Guild ${index}`,
    channels: [{ id: String(id + 101n), type: 0, name: 'general', nsfw: false }],
  }));
  const [first, second] = guilds as [FakeGuildConfig, FakeGuildConfig];
  return { guilds, onShard: shardOf(first.id, 2) === 0 ? [first, second] : [second, first] };
}
