/**
 * The floor the bench compares against: a defer-only minimal bot. A discord.js `Client`, `/imagine`
 * deferred at once, then one direct txt2img to a WebUI (round robin) and its images sent as they
 * came; no queue, no database, no image library, no logger. Started by the bench as plain JavaScript
 * (`bench/bot-process.ts` transpiles it), with the same environment keys as the real bot:
 * DISCORD_TOKEN, DISCORD_API_URL, DISCORD_GUILD_ID, SD_API_URL (comma-separated), METRICS_PORT
 * (`/healthz` only, 200 once logged in).
 */
import { createServer } from 'node:http';
import {
  ApplicationCommandOptionType,
  type ChatInputCommandInteraction,
  Client,
  Events,
  GatewayIntentBits,
  Routes,
} from 'discord.js';

const env = (key: string): string => {
  const value = process.env[key];
  if (value === undefined || value === '') throw new Error(`minimal bot: ${key} is not set`);
  return value;
};

const token = env('DISCORD_TOKEN');
const backends = env('SD_API_URL')
  .split(',')
  .map((url) => url.trim().replace(/\/+$/, ''));
const client = new Client({
  intents: [GatewayIntentBits.Guilds],
  rest: { api: process.env.DISCORD_API_URL ?? 'https://discord.com/api' },
  allowedMentions: { parse: [] },
});

const IMAGINE = {
  name: 'imagine',
  description: 'Generate an image',
  options: [
    { type: ApplicationCommandOptionType.String, name: 'prompt', description: 'Prompt', required: true },
    { type: ApplicationCommandOptionType.Integer, name: 'width', description: 'Width' },
    { type: ApplicationCommandOptionType.Integer, name: 'height', description: 'Height' },
    { type: ApplicationCommandOptionType.Integer, name: 'count', description: 'Images' },
  ],
};

let next = 0;

async function imagine(interaction: ChatInputCommandInteraction): Promise<void> {
  await interaction.deferReply();
  const backend = backends[next++ % backends.length] ?? '';
  const response = await fetch(`${backend}/sdapi/v1/txt2img`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      prompt: interaction.options.getString('prompt', true),
      width: interaction.options.getInteger('width') ?? 512,
      height: interaction.options.getInteger('height') ?? 512,
      batch_size: interaction.options.getInteger('count') ?? 1,
      steps: 20,
    }),
  });
  if (!response.ok) throw new Error(`txt2img answered ${response.status}`);
  const { images } = (await response.json()) as { images: string[] };
  await interaction.editReply({
    files: images.map((image, index) => ({ attachment: Buffer.from(image, 'base64'), name: `${index}.png` })),
  });
}

client.on(Events.InteractionCreate, (interaction) => {
  if (!interaction.isChatInputCommand() || interaction.commandName !== 'imagine') return;
  imagine(interaction).catch(() => interaction.editReply('The image could not be made.').catch(() => {}));
});

let ready = false;
const health = createServer((request, response) => {
  response.writeHead(request.url === '/healthz' && ready ? 200 : 503).end();
});

client.once(Events.ClientReady, async (ready_) => {
  await client.rest.put(Routes.applicationGuildCommands(ready_.application.id, env('DISCORD_GUILD_ID')), {
    body: [IMAGINE],
  });
  // The bench waits for each backend's first /options, as the real bot sends it at start.
  await Promise.all(backends.map((backend) => fetch(`${backend}/sdapi/v1/options`).then((r) => r.text())));
  ready = true;
});

health.listen(Number(process.env.METRICS_PORT ?? 0), '127.0.0.1');
await client.login(token);

process.once('SIGTERM', () => {
  health.close();
  void client.destroy().then(() => process.exit(0));
});
