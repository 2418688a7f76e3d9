import { afterEach, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../fakes/discord/types.js';
import { type Harness, requestsTo, startHarness } from './harness.js';

const MANAGE_GUILD = String(1n << 5n);
const CHILLOUT = 'chilloutmix-Ni.safetensors [7234b76e42]';
const V15 = 'v1-5-pruned-emaonly.safetensors [6ce0161689]';

const hasImage = (message: FakeMessage) =>
  message.attachments.some((attachment) => attachment.filename.endsWith('.png'));
const description = (message: FakeMessage) =>
  String((message.embeds[0] as { description?: string } | undefined)?.description ?? '');

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function manyModels(count: number) {
  return Array.from({ length: count }, (_, index) => {
    const hash = (0x1000000000 + index).toString(16).slice(0, 10);
    const name = `model-${String(index).padStart(2, '0')}`;
    return {
      title: `${name}.safetensors [${hash}]`,
      model_name: name,
      hash,
      sha256: `${hash}${'0'.repeat(54)}`,
      filename: `/models/${name}.safetensors`,
      config: null,
    };
  });
}

describe('/models', () => {
  it('lists every checkpoint with its hash and marks the loaded one', async () => {
    harness = await startHarness();
    const interaction = harness.discord.sendCommand({ name: 'models' });
    const reply = await interaction.waitForEdit((message) => message.embeds.length > 0, 10_000);
    const text = description(reply);
    expect(text).toContain('chilloutmix-Ni');
    expect(text).toContain('7234b76e42');
    expect(text).toContain('v1-5-pruned-emaonly');
    expect(text).toMatch(/chilloutmix-Ni\*\* `7234b76e42` — loaded on the server/);
    expect(reply.components).toEqual([]);
  });

  it('pages with buttons that only the invoker can turn', async () => {
    harness = await startHarness({ webuis: [{ models: manyModels(23) }] });
    const { discord } = harness;
    const interaction = discord.sendCommand({ name: 'models' });
    const first = await interaction.waitForEdit((message) => message.components.length > 0, 10_000);
    expect(description(first)).toContain('model-00');
    expect(description(first)).not.toContain('**model-10**');
    const row = first.components[0] as {
      components: { custom_id: string; label: string; disabled?: boolean }[];
    };
    const next = row.components.find((button) => button.label === 'Next');
    expect(next).toBeDefined();

    const stranger = discord.clickButton({
      customId: next?.custom_id ?? '',
      message: first,
      user: { id: '1300000000000000777', username: 'mallory' },
    });
    const refusal = await stranger.ack();
    expect(refusal.type).toBe(4);
    expect((refusal.data as { flags: number }).flags & 64).toBe(64);
    expect(String((refusal.data as { content: string }).content)).toContain(
      'Only the member who ran /models',
    );

    discord.clickButton({ customId: next?.custom_id ?? '', message: first });
    const second = await waitForMessage(harness, first.id, (message) =>
      description(message).includes('model-10'),
    );
    expect(description(second)).not.toContain('**model-00**');
    expect(String((second.embeds[0] as { footer: { text: string } }).footer.text)).toBe('Page 2 of 3');
  });

  it('refuses a rescan to members without Manage Server and rescans for those with it', async () => {
    harness = await startHarness();
    const { discord, webui } = harness;
    const refused = discord.sendCommand({ name: 'models', options: { rescan: true } });
    expect(String(((await refused.ack()).data as { content: string }).content)).toContain('Manage Server');
    expect(requestsTo(webui, '/sdapi/v1/refresh-checkpoints')).toHaveLength(0);

    webui.addModel({
      title: 'new-model.safetensors [abcdef0123]',
      model_name: 'new-model',
      hash: 'abcdef0123',
      sha256: `abcdef0123${'0'.repeat(54)}`,
      filename: '/models/new-model.safetensors',
      config: null,
    });
    const allowed = discord.sendCommand({
      name: 'models',
      options: { rescan: true },
      permissions: MANAGE_GUILD,
    });
    const reply = await allowed.waitForEdit((message) => message.embeds.length > 0, 10_000);
    expect(requestsTo(webui, '/sdapi/v1/refresh-checkpoints')).toHaveLength(1);
    expect(description(reply)).toContain('new-model');
  });

  it('shows which backend has which model loaded', async () => {
    harness = await startHarness({ webuis: [{}, {}] });
    const { discord } = harness;
    // Load the other model on the second backend behind the bot's back.
    await fetch(`${harness.webuis[1]?.url}/sdapi/v1/options`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('sd-operator:pa55-w0rd-for-tests').toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ sd_model_checkpoint: V15 }),
    });
    const reply = await discord
      .sendCommand({ name: 'models' })
      .waitForEdit((message) => message.embeds.length > 0, 10_000);
    const text = description(reply);
    expect(text).toMatch(/chilloutmix-Ni\*\* `7234b76e42` — loaded on server 1/);
    expect(text).toMatch(/v1-5-pruned-emaonly\*\* `6ce0161689` — loaded on server 2/);
  });
});

async function waitForMessage(
  h: Harness,
  id: string,
  predicate: (message: FakeMessage) => boolean,
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const message = h.discord.message(id);
    if (message !== undefined && predicate(message)) return message;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`message ${id} never matched`);
}

describe('/imagine model option', () => {
  it('sends the chosen model explicitly and shows the one the WebUI used', async () => {
    harness = await startHarness();
    const interaction = harness.discord.sendCommand({
      name: 'imagine',
      options: { prompt: 'x', model: '6ce0161689' },
    });
    const reply = await interaction.waitForEdit(hasImage, 15_000);
    const txt2img = requestsTo(harness.webui, '/sdapi/v1/txt2img').at(-1);
    expect((txt2img?.body as { override_settings?: unknown } | undefined)?.override_settings).toEqual({
      sd_model_checkpoint: V15,
    });
    expect(reply.content).toBe('');
    const model = (reply.embeds[0] as { fields: { name: string; value: string }[] }).fields.find(
      (f) => f.name === 'Model',
    );
    expect(model?.value).toBe('v1-5-pruned-emaonly [6ce0161689]');
  });
});

describe('/setmodel', () => {
  it('is registered for Manage Server only', async () => {
    harness = await startHarness();
    const setmodel = harness.discord.commands
      .guild(harness.discord.guildId)
      .find((command) => command.name === 'setmodel');
    expect(setmodel?.default_member_permissions).toBe(MANAGE_GUILD);
  });

  it('switches, confirms by reading the options back, survives a restart, and the next /imagine uses it', async () => {
    harness = await startHarness();
    const { discord, webui } = harness;
    const interaction = discord.sendCommand({
      name: 'setmodel',
      options: { model: 'v1-5-pruned-emaonly' },
      permissions: MANAGE_GUILD,
    });
    const loading = await interaction.waitForEdit((message) => message.content.includes('Loading'), 10_000);
    expect(loading.content).toContain(V15);
    const done = await interaction.waitForEdit((message) => message.content.startsWith('Switched'), 10_000);
    expect(done.content).toContain(V15);
    const switches = requestsTo(webui, '/sdapi/v1/options').filter((request) => request.method === 'POST');
    expect(switches.map((request) => request.body)).toEqual([{ sd_model_checkpoint: V15 }]);

    await harness.restart();
    // Someone switches the WebUI back behind the bot's back: the server default must still win.
    await fetch(`${webui.url}/sdapi/v1/options`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('sd-operator:pa55-w0rd-for-tests').toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ sd_model_checkpoint: CHILLOUT }),
    });
    const imagine = discord.sendCommand({ name: 'imagine', options: { prompt: 'a boat' } });
    const reply = await imagine.waitForEdit(hasImage, 15_000);
    const txt2img = requestsTo(webui, '/sdapi/v1/txt2img').at(-1);
    expect((txt2img?.body as { override_settings?: unknown } | undefined)?.override_settings).toEqual({
      sd_model_checkpoint: V15,
    });
    const model = (reply.embeds[0] as { fields: { name: string; value: string }[] }).fields.find(
      (f) => f.name === 'Model',
    );
    expect(model?.value).toContain('v1-5-pruned-emaonly');

    const models = await discord
      .sendCommand({ name: 'models' })
      .waitForEdit((message) => message.embeds.length > 0, 10_000);
    expect(description(models)).toMatch(/v1-5-pruned-emaonly\*\* `6ce0161689` — [^\n]*this server’s default/);
  });

  it('refuses an unknown model naming the closest ones, without any request', async () => {
    harness = await startHarness();
    const interaction = harness.discord.sendCommand({
      name: 'setmodel',
      options: { model: 'v1-5-pruned' },
      permissions: MANAGE_GUILD,
    });
    const ack = await interaction.ack();
    expect(ack.type).toBe(4);
    const content = String((ack.data as { content: string }).content);
    expect(content).toContain('Unknown model "v1-5-pruned"');
    expect(content).toContain(V15);
    expect(
      requestsTo(harness.webui, '/sdapi/v1/options').filter((request) => request.method === 'POST'),
    ).toHaveLength(0);
  });

  it('reports a load that silently failed as a failure and keeps the stored default', async () => {
    harness = await startHarness({ webuis: [{ silentLoadFailure: true }] });
    const { discord } = harness;
    const interaction = discord.sendCommand({
      name: 'setmodel',
      options: { model: V15 },
      permissions: MANAGE_GUILD,
    });
    const reply = await interaction.waitForEdit(
      (message) => message.content.startsWith('Could not switch'),
      10_000,
    );
    expect(reply.content).toContain('still has');
    expect(reply.content).toContain('default stays unset');
    const imagine = discord.sendCommand({ name: 'imagine', options: { prompt: 'x' } });
    await imagine.waitForEdit(hasImage, 15_000);
    const txt2img = requestsTo(harness.webui, '/sdapi/v1/txt2img').at(-1);
    expect((txt2img?.body as { override_settings?: unknown } | undefined)?.override_settings).toEqual({
      sd_model_checkpoint: CHILLOUT,
    });
  });

  it('reports a 500 on the switch and a backend that is down, keeping the default', async () => {
    harness = await startHarness();
    const { discord, webui } = harness;
    // Let the start-up read of /options pass first, so the fault hits the switch itself.
    while (requestsTo(webui, '/sdapi/v1/options').length === 0)
      await new Promise((resolve) => setTimeout(resolve, 10));
    webui.failNext('server-error', { path: '/sdapi/v1/options' });
    const failed = discord.sendCommand({
      name: 'setmodel',
      options: { model: V15 },
      permissions: MANAGE_GUILD,
    });
    const reply = await failed.waitForEdit(
      (message) => message.content.startsWith('Could not switch'),
      10_000,
    );
    expect(reply.content).toContain('image server failed');
    expect(reply.content).not.toContain('127.0.0.1');

    await webui.kill();
    const down = discord.sendCommand({
      name: 'setmodel',
      options: { model: V15 },
      permissions: MANAGE_GUILD,
    });
    const downReply = await down.waitForEdit(
      (message) => message.content.startsWith('Could not switch'),
      10_000,
    );
    expect(downReply.content).toContain('not reachable');
  });

  it('reports a switch that times out and keeps the default', async () => {
    harness = await startHarness({
      webuis: [{ modelLoadMs: 3000 }],
      env: { SD_REQUEST_TIMEOUT_SECONDS: '1' },
    });
    const interaction = harness.discord.sendCommand({
      name: 'setmodel',
      options: { model: V15 },
      permissions: MANAGE_GUILD,
    });
    const reply = await interaction.waitForEdit(
      (message) => message.content.startsWith('Could not switch'),
      10_000,
    );
    expect(reply.content).toContain('took too long');
    expect(reply.content).toContain('default stays unset');
  });

  it('refuses members without Manage Server even if the command is visible to them', async () => {
    harness = await startHarness();
    const interaction = harness.discord.sendCommand({ name: 'setmodel', options: { model: V15 } });
    expect(String(((await interaction.ack()).data as { content: string }).content)).toContain(
      'Manage Server',
    );
  });
});
