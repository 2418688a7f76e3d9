const DISCORD_EPOCH = 1_420_070_400_000n;
/** Keeps ids at 18+ digits even when a test clock starts near zero. */
const MIN_TIMESTAMP = 1_700_000_000_000;

/** Makes increasing Discord snowflakes (18-19 digits) from the given clock. */
export function createSnowflakes(now: () => number): () => string {
  let increment = 0n;
  let last = 0n;
  return () => {
    const ms = BigInt(Math.max(Math.floor(now()), MIN_TIMESTAMP));
    let id = ((ms - DISCORD_EPOCH) << 22n) | (increment++ & 0xfffn);
    if (id <= last) id = last + 1n;
    last = id;
    return id.toString();
  };
}

/** Discord's sharding rule: a guild's events go to shard `(guild_id >> 22) % num_shards`; DMs to shard 0. */
export function shardOf(guildId: string | undefined, count: number): number {
  if (guildId === undefined || count <= 1) return 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}
