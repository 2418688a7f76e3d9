import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, type Interaction } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord/server.js';
import { guildsOnTwoShards } from '../fakes/discord/shard-guilds.js';

let fake: FakeDiscord | undefined;
const clients: Client[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.destroy()));
  await fake?.close();
  fake = undefined;
});

async function shardClient(discord: FakeDiscord, shard: number): Promise<Client> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: discord.apiUrl },
    shards: [shard],
    shardCount: 2,
  });
  clients.push(client);
  const ready = once(client, Events.ClientReady);
  await client.login(discord.token);
  await ready;
  return client;
}

describe('fake Discord gateway sharding', () => {
  it('routes each guild to shard (guild_id >> 22) % count, READY and interactions alike', async () => {
    const { guilds, onShard } = guildsOnTwoShards();
    const discord = await startFakeDiscord({ guilds });
    fake = discord;
    const [zero, one] = [await shardClient(discord, 0), await shardClient(discord, 1)];
    expect(discord.gateway.shards).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect([...zero.guilds.cache.keys()]).toEqual([onShard[0].id]);
    expect([...one.guilds.cache.keys()]).toEqual([onShard[1].id]);
    const seen: string[] = [];
    const listen = (name: string) => (interaction: Interaction) => {
      seen.push(`${name}:${interaction.guildId}`);
      if (interaction.isChatInputCommand()) void interaction.reply('hi');
    };
    zero.on(Events.InteractionCreate, listen('zero'));
    one.on(Events.InteractionCreate, listen('one'));
    const handles = [
      discord.sendCommand({ name: 'imagine', channelId: onShard[1].channels[0]?.id ?? '' }),
      discord.sendCommand({ name: 'imagine', channelId: onShard[0].channels[0]?.id ?? '' }),
    ];
    await Promise.all(handles.map((handle) => handle.ack()));
    expect(seen.sort()).toEqual([`one:${onShard[1].id}`, `zero:${onShard[0].id}`]);
  });

  it('closes an IDENTIFY whose shard id is not below its count with 4010', async () => {
    const discord = await startFakeDiscord();
    fake = discord;
    const socket = new WebSocket(`${discord.gatewayUrl}?v=10&encoding=json`);
    await once(socket, 'message');
    socket.send(
      JSON.stringify({ op: 2, d: { token: discord.token, intents: 1, properties: {}, shard: [2, 2] } }),
    );
    const [code] = await once(socket, 'close');
    expect(code).toBe(4010);
    expect(discord.gateway.identifies).toBe(0);
  });
});
