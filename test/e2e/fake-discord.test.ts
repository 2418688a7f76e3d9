import { once } from 'node:events';
import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  type Interaction,
  MessageFlags,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord/server.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

let fake: FakeDiscord;
let clients: Client[] = [];

function newClient(): Client {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
  clients.push(client);
  return client;
}

async function loggedInClient(): Promise<Client> {
  const client = newClient();
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
  return client;
}

/** Runs `handle` on the next interaction and settles with its result, so handler failures reach the test. */
function nextInteraction<T>(client: Client, handle: (interaction: Interaction) => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    client.once(Events.InteractionCreate, (interaction) => {
      handle(interaction).then(resolve, reject);
    });
  });
}

function apiErrorCode(error: unknown): number | string | undefined {
  return error instanceof DiscordAPIError ? error.code : undefined;
}

beforeEach(async () => {
  fake = await startFakeDiscord();
});

afterEach(async () => {
  for (const client of clients) await client.destroy();
  clients = [];
  await fake.close();
});

describe('fake discord', () => {
  it('delivers a slash command and keeps the edited reply with its file bytes and embed', async () => {
    const client = await loggedInClient();
    const seen = nextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');
      await interaction.deferReply();
      await interaction.editReply({
        content: 'done',
        embeds: [new EmbedBuilder().setTitle('apple').setDescription('20 steps')],
        files: [new AttachmentBuilder(PNG, { name: 'result.png' })],
      });
      return {
        prompt: interaction.options.getString('prompt'),
        steps: interaction.options.getInteger('steps'),
        nsfw: interaction.channel && 'nsfw' in interaction.channel ? interaction.channel.nsfw : null,
        permissions: interaction.memberPermissions?.bitfield,
      };
    });

    const handle = fake.sendCommand({ name: 'imagine', options: { prompt: 'apple', steps: 20 } });
    expect((await handle.ack()).type).toBe(5);
    const message = await handle.waitForEdit((candidate) => candidate.attachments.length === 1);

    expect(await seen).toEqual({ prompt: 'apple', steps: 20, nsfw: false, permissions: 0n });
    expect(message.content).toBe('done');
    expect(message.embeds[0]).toMatchObject({ title: 'apple', description: '20 steps' });
    expect(message.attachments[0]?.filename).toBe('result.png');
    expect(message.attachments[0]?.bytes.equals(PNG)).toBe(true);
    const served = await fetch(message.attachments[0]?.url ?? '');
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
    expect(handle.events.map((event) => event.kind)).toEqual(['callback', 'edit']);
  });

  it('returns the choices of an autocomplete answer', async () => {
    const client = await loggedInClient();
    const answered = nextInteraction(client, async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error('expected autocomplete');
      const focused = interaction.options.getFocused();
      await interaction.respond([{ name: `${focused}-model`, value: 'm1' }]);
    });

    const result = await fake.sendAutocomplete({
      name: 'setmodel',
      focused: 'model',
      options: { model: 'sd' },
    });
    await answered;

    expect(result.choices).toEqual([{ name: 'sd-model', value: 'm1' }]);
    expect(result.rejected).toBeNull();
  });

  it('refuses an autocomplete answer with more than 25 choices', async () => {
    const client = await loggedInClient();
    const answered = nextInteraction(client, async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error('expected autocomplete');
      const choices = Array.from({ length: 26 }, (_, index) => ({ name: `c${index}`, value: `${index}` }));
      await interaction.respond(choices).catch((error: unknown) => apiErrorCode(error));
    });

    const result = await fake.sendAutocomplete({ name: 'setmodel', focused: 'model' });
    await answered;

    expect(result.rejected?.code).toBe(50035);
  });

  it('updates the message a button was clicked on', async () => {
    const client = await loggedInClient();
    const replied = nextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId('regen:1').setLabel('Again').setStyle(ButtonStyle.Primary),
      );
      await interaction.reply({ content: 'image', components: [row] });
    });
    const command = fake.sendCommand({ name: 'imagine', options: { prompt: 'pear' } });
    await replied;
    const original = command.original();
    if (!original) throw new Error('no original message');

    const updated = nextInteraction(client, async (interaction) => {
      if (!interaction.isButton()) throw new Error('expected a button');
      await interaction.update({
        content: `clicked ${interaction.customId}`,
        components: [],
        files: [new AttachmentBuilder(PNG, { name: 'again.png' })],
      });
    });
    const click = fake.clickButton({ customId: 'regen:1', message: original });
    await updated;

    expect((await click.ack()).type).toBe(7);
    expect(fake.message(original.id)).toMatchObject({ content: 'clicked regen:1', components: [] });
    expect(fake.message(original.id)?.attachments.map((attachment) => attachment.filename)).toEqual([
      'again.png',
    ]);
    expect(() => fake.clickButton({ customId: 'missing', message: original })).toThrow(/no component/);
  });

  it('shows a modal and receives its submitted fields', async () => {
    const client = await loggedInClient();
    const shown = nextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      const input = new TextInputBuilder()
        .setCustomId('prompt')
        .setLabel('Prompt')
        .setStyle(TextInputStyle.Short);
      await interaction.showModal(
        new ModalBuilder()
          .setCustomId('edit-prompt')
          .setTitle('Edit')
          .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input)),
      );
    });
    const command = fake.sendCommand({ name: 'imagine', options: { prompt: 'x' } });
    await shown;
    expect((await command.ack()).type).toBe(9);

    const submitted = nextInteraction(client, async (interaction) => {
      if (!interaction.isModalSubmit()) throw new Error('expected a modal submit');
      await interaction.reply({ content: `new prompt: ${interaction.fields.getTextInputValue('prompt')}` });
    });
    const modal = fake.submitModal({ customId: 'edit-prompt', fields: { prompt: 'a red apple' } });
    await submitted;

    expect((await modal.waitForEdit()).content).toBe('new prompt: a red apple');
  });

  it('keeps only the attachments an edit lists, by id', async () => {
    const client = await loggedInClient();
    const done = nextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      await interaction.deferReply();
      const first = await interaction.editReply({ files: [new AttachmentBuilder(PNG, { name: 'a.png' })] });
      const textOnly = await interaction.editReply({ content: 'text only' });
      const kept = first.attachments.first();
      if (!kept) throw new Error('no attachment');
      const both = await interaction.editReply({
        files: [new AttachmentBuilder(PNG, { name: 'b.png' })],
        attachments: [kept],
      });
      const none = await interaction.editReply({ attachments: [] });
      return [first, textOnly, both, none].map((message) =>
        [...message.attachments.values()].map((a) => a.name),
      );
    });
    fake.sendCommand({ name: 'imagine' });

    expect(await done).toEqual([['a.png'], ['a.png'], ['a.png', 'b.png'], []]);
  });

  it('turns a follow-up after a defer into the original and later ones into follow-ups', async () => {
    const client = await loggedInClient();
    const done = nextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      const response = await interaction.deferReply({ withResponse: true });
      await interaction.followUp('first');
      await interaction.followUp({ content: 'second', flags: MessageFlags.Ephemeral });
      return response.resource?.message?.id;
    });
    const handle = fake.sendCommand({ name: 'imagine' });
    const loadingId = await done;

    expect(handle.original()).toMatchObject({ id: loadingId, content: 'first', flags: 0 });
    expect(handle.followUps.map((message) => [message.content, message.flags])).toEqual([['second', 64]]);
  });

  it('serves a file attached to a command option', async () => {
    const client = await loggedInClient();
    const downloaded = nextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      const attachment = interaction.options.getAttachment('image', true);
      await interaction.reply('got it');
      return Buffer.from(await (await fetch(attachment.url)).arrayBuffer());
    });
    fake.sendCommand({
      name: 'img2img',
      options: { prompt: 'a' },
      attachments: { image: { filename: 'in.png', bytes: PNG, contentType: 'image/png' } },
    });

    expect((await downloaded).equals(PNG)).toBe(true);
    const hosted = fake.hostFile('x.bin', Buffer.from('xyz'));
    expect(await (await fetch(hosted)).text()).toBe('xyz');
  });

  it('puts the timeline in the error when the bot never answers', async () => {
    await loggedInClient();
    const handle = fake.sendCommand({ name: 'imagine' });

    await expect(handle.ack(100)).rejects.toThrow(/Timeline of command interaction[\s\S]*never answered/);
  });

  it('answers a second initial response with 40060', async () => {
    const client = await loggedInClient();
    const outcome = nextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      return Promise.allSettled([interaction.reply('one'), interaction.reply('two')]);
    });
    const handle = fake.sendCommand({ name: 'imagine' });
    const results = await outcome;

    const rejected = results.filter((result) => result.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(apiErrorCode(rejected[0]?.status === 'rejected' ? rejected[0].reason : undefined)).toBe(40060);
    expect(handle.rejections.map((event) => event.code)).toEqual([40060]);
  });

  it('answers a defer after 3 seconds with 10062', async () => {
    const client = await loggedInClient();
    const outcome = nextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      fake.advanceClock(3_100);
      return interaction.deferReply().then(
        () => 'accepted',
        (error: unknown) => apiErrorCode(error),
      );
    });
    fake.sendCommand({ name: 'imagine' });

    expect(await outcome).toBe(10062);
  });

  it('rejects login with a wrong token', async () => {
    const client = newClient();
    await expect(client.login('not-the-token')).rejects.toThrow(/token/i);
    expect(fake.requests.at(-1)).toMatchObject({ path: '/api/v10/gateway/bot', status: 401 });
  });

  it('closes the gateway with 4004 on an IDENTIFY with a wrong token', async () => {
    const socket = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
    const [hello] = await once(socket, 'message');
    expect(JSON.parse(String(hello))).toMatchObject({ op: 10 });
    socket.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {} } }));
    const [code] = await once(socket, 'close');

    expect(code).toBe(4004);
  });

  it('makes discord.js wait out a 429 on the edit', async () => {
    const client = await loggedInClient();
    fake.injectRateLimit({ route: /^PATCH .*@original$/, times: 1, retryAfterSeconds: 0.2 });
    const done = nextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      await interaction.deferReply();
      await interaction.editReply('after the limit');
    });
    const handle = fake.sendCommand({ name: 'imagine' });
    await done;

    const edits = fake.requests.filter((request) => request.method === 'PATCH');
    expect(edits.map((request) => request.status)).toEqual([429, 200]);
    expect((edits[1]?.at ?? 0) - (edits[0]?.at ?? 0)).toBeGreaterThanOrEqual(190);
    expect(handle.original()?.content).toBe('after the limit');
  });

  it('lets discord.js retry a 500 on the edit', async () => {
    const client = await loggedInClient();
    fake.injectServerError({ route: /^PATCH /, times: 2, status: 502 });
    const done = nextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      await interaction.deferReply();
      await interaction.editReply('eventually');
    });
    const handle = fake.sendCommand({ name: 'imagine' });
    await done;

    expect(handle.original()?.content).toBe('eventually');
    expect(fake.requests.filter((request) => request.method === 'PATCH').map((r) => r.status)).toEqual([
      502, 502, 200,
    ]);
  });

  it('delivers a command after the gateway was dropped and resumed', async () => {
    const client = await loggedInClient();
    fake.dropGateway();
    await fake.waitForResume();
    const done = nextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      await interaction.reply('still here');
    });
    const handle = fake.sendCommand({ name: 'imagine' });
    await done;

    expect(handle.original()?.content).toBe('still here');
    expect(fake.gateway.identifies).toBe(1);
    expect(fake.gateway.resumes).toBe(1);
  });

  it.each([
    {
      what: 'a file over attachment_size_limit',
      code: 40005,
      edit: { files: [new AttachmentBuilder(Buffer.alloc(2048, 1), { name: 'big.png' })] },
    },
    {
      what: 'more than 10 files',
      code: 30015,
      edit: {
        files: Array.from({ length: 11 }, (_, index) => new AttachmentBuilder(PNG, { name: `${index}.png` })),
      },
    },
    { what: 'content over 2000 characters', code: 50035, edit: { content: 'x'.repeat(2001) } },
    {
      what: 'an embed description over 4096 characters',
      code: 50035,
      edit: { embeds: [{ description: 'd'.repeat(4097) }] },
    },
  ])('refuses an edit with $what ($code)', async ({ code, edit }) => {
    const client = await loggedInClient();
    const outcome = nextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      await interaction.deferReply();
      return interaction.editReply(edit).then(
        () => 'accepted',
        (error: unknown) => apiErrorCode(error),
      );
    });
    const handle = fake.sendCommand({ name: 'imagine', attachmentSizeLimit: 1024 });

    expect(await outcome).toBe(code);
    expect(handle.original()?.attachments).toEqual([]);
  });

  it('answers an edit after 15 minutes with 50027, while a DM still reaches the user', async () => {
    const client = await loggedInClient();
    const outcome = nextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      await interaction.deferReply();
      fake.advanceClock(16 * 60_000);
      const code = await interaction.editReply('too late').then(
        () => 'accepted',
        (error: unknown) => apiErrorCode(error),
      );
      await interaction.user.send({
        content: 'here is your image',
        files: [new AttachmentBuilder(PNG, { name: 'a.png' })],
      });
      return code;
    });
    fake.sendCommand({ name: 'imagine' });
    const dm = await fake.waitForChannelMessage();

    expect(await outcome).toBe(50027);
    expect(dm.channelId).toBe(fake.dmChannelOf(fake.userId));
    expect(dm.attachments[0]?.bytes.equals(PNG)).toBe(true);
  });

  it('stores registered commands and answers 50013 in a channel the bot may not post in', async () => {
    const client = await loggedInClient();
    await client.application?.commands.set([{ name: 'imagine', description: 'Make an image' }], fake.guildId);
    expect(fake.registrationCalls).toBe(1);
    expect(fake.commands.guild(fake.guildId)).toMatchObject([
      { name: 'imagine', application_id: fake.applicationId },
    ]);

    fake.setChannelPostable(fake.channelId, false);
    const channel = await client.channels.fetch(fake.channelId);
    if (!channel?.isSendable()) throw new Error('channel not sendable');
    const code = await channel.send('hello').then(
      () => 'accepted',
      (error: unknown) => apiErrorCode(error),
    );
    expect(code).toBe(50013);
  });
});
