import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, requestsTo, startHarness } from './harness.js';
import { hasImage, MANAGE_GUILD, runSettings } from './settings-driver.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function nsfwChannel(h: Harness): string {
  const id = h.discord.nsfwChannelId;
  if (id === null) throw new Error('the fake Discord has no age-restricted channel');
  return id;
}

const txt2imgBodies = (h: Harness) =>
  requestsTo(h.webui, '/sdapi/v1/txt2img').map((request) => request.body as { negative_prompt: string });

/** The refusal text of an /imagine answered at once (ephemeral), or undefined when it was accepted. */
async function refusalOf(h: Harness, params: Parameters<Harness['discord']['sendCommand']>[0]) {
  const handle = h.discord.sendCommand(params);
  const ack = await handle.ack();
  if (ack.type !== 4) return { refusal: undefined, handle };
  expect((ack.data as { flags?: number }).flags).toBe(64);
  return { refusal: String((ack.data as { content?: string }).content), handle };
}

describe('content policy end to end', () => {
  it('refuses a blocked word (or pattern) without any request to the WebUI, naming the word but not the pattern', async () => {
    harness = await startHarness();
    const h = harness;
    expect(
      (
        await runSettings(h, {
          subcommandGroup: 'blocked-words',
          subcommand: 'add',
          options: { term: 'Grumpy Cat' },
        })
      ).text,
    ).toMatch(/Blocked term added/);
    await runSettings(h, {
      subcommandGroup: 'blocked-words',
      subcommand: 'add',
      options: { term: '/secret\\d+/' },
    });
    // Start-up probes and list fetches run in the background (slowly on a loaded machine): count
    // from a moment when the WebUI has been quiet for a while.
    for (let seen = -1; seen !== h.webui.requests.length; ) {
      seen = h.webui.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const before = h.webui.requests.length;

    const word = await refusalOf(h, { name: 'imagine', options: { prompt: 'a GRUMPY   cat on a sofa' } });
    expect(word.refusal).toBe(
      'Your prompt contains a term this server blocks (“grumpy cat”), so nothing was generated. Rephrase it and try again.',
    );
    const pattern = await refusalOf(h, {
      name: 'imagine',
      options: { prompt: 'a dog', negative_prompt: 'SECRET42' },
    });
    expect(pattern.refusal).toMatch(/^Your negative prompt contains a term this server blocks, so nothing/);
    expect(pattern.refusal).not.toContain('secret');

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.webui.requests.length).toBe(before);
    // A word inside a longer one is not a match.
    const ok = h.discord.sendCommand({ name: 'imagine', options: { prompt: 'grumpy catalogue' } });
    await ok.waitForEdit(hasImage, 15_000);
  });

  it('accepts a catastrophic-backtracking pattern and matches it in linear time on the longest prompt allowed', async () => {
    harness = await startHarness();
    const h = harness;
    const added = await runSettings(h, {
      subcommandGroup: 'blocked-words',
      subcommand: 'add',
      options: { term: '/(a|a)*b/' },
    });
    expect(added.text).toBe('Blocked pattern added (1 in all).');

    // 999 a's and a c: a backtracking engine would try 2^999 ways before saying "no match".
    const startedAt = Date.now();
    const { refusal, handle } = await refusalOf(h, {
      name: 'imagine',
      options: { prompt: `${'a'.repeat(999)}c` },
    });
    expect(refusal).toBeUndefined();
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    await handle.waitForEdit(hasImage, 15_000);

    const blocked = await refusalOf(h, { name: 'imagine', options: { prompt: `${'a'.repeat(998)}b` } });
    expect(blocked.refusal).toMatch(/^Your prompt contains a term this server blocks, so nothing/);
  });

  it('adds the SFW negative prompt and posts spoilers in a normal channel, and changes nothing in an age-restricted one', async () => {
    harness = await startHarness({ webuis: [{ generationMs: 1200 }] });
    const h = harness;
    expect((await runSettings(h, { subcommand: 'policy', options: { nsfw_mode: 'both' } })).text).toMatch(
      /SFW negative prompt is added and images are posted as spoilers/,
    );
    const options = { prompt: 'a beach', negative_prompt: 'blurry', seed: 7 };

    const normalHandle = h.discord.sendCommand({ name: 'imagine', options });
    const normal = await normalHandle.waitForEdit(hasImage, 15_000);
    // The live preview while generating is a spoiler as well, and never an embed thumbnail.
    const uploaded = normalHandle.events.flatMap((event) =>
      'files' in event && event.files ? event.files : [],
    );
    expect(uploaded.map((file) => file.filename)).toContain('SPOILER_preview.png');
    expect(uploaded.every((file) => file.filename.startsWith('SPOILER_'))).toBe(true);
    expect(txt2imgBodies(h)[0]?.negative_prompt).toBe('blurry, nsfw, nude, naked, explicit');
    expect(normal.attachments.map((attachment) => attachment.filename)).toEqual(['SPOILER_7.png']);
    expect((normal.embeds[0] as { image?: unknown }).image).toBeUndefined();

    const restricted = await h.discord
      .sendCommand({ name: 'imagine', options, channelId: nsfwChannel(h) })
      .waitForEdit(hasImage, 15_000);
    expect(txt2imgBodies(h)[1]?.negative_prompt).toBe('blurry');
    expect(restricted.attachments.map((attachment) => attachment.filename)).toEqual(['7.png']);
    expect((restricted.embeds[0] as { image?: { url: string } }).image?.url).toBe('attachment://7.png');
  });

  it('records who asked for what in the audit channel, and a failing audit channel never blocks the job', async () => {
    harness = await startHarness();
    const h = harness;
    const auditId = h.discord.channelId;
    const set = await runSettings(h, {
      subcommand: 'policy',
      options: { audit_channel: { type: 7, value: auditId } },
      resolved: { channels: { [auditId]: { id: auditId, type: 0, name: 'general', permissions: '0' } } },
    });
    expect(set.text).toBe(`Audit channel: <#${auditId}>.`);

    const reply = h.discord.sendCommand({
      name: 'imagine',
      options: { prompt: 'a red fox <@123456789012345678>', count: 2 },
      channelId: nsfwChannel(h),
    });
    const audit = await h.discord.waitForChannelMessage(
      (message) => message.content.includes('asked for /imagine'),
      10_000,
    );
    expect(audit.channelId).toBe(auditId);
    expect(audit.content).toBe(
      `<@${h.discord.userId}> asked for /imagine in <#${nsfwChannel(h)}> · 512×512 ×2\nPrompt: \`a red fox <@123456789012345678>\``,
    );
    const posted = h.discord.requests.find(
      (request) => request.method === 'POST' && request.path.endsWith(`/channels/${auditId}/messages`),
    );
    expect(
      (posted?.json as { allowed_mentions?: { parse: string[] } } | undefined)?.allowed_mentions?.parse,
    ).toEqual([]);
    await reply.waitForEdit(hasImage, 15_000);

    h.discord.setChannelPostable(auditId, false);
    await h.discord
      .sendCommand({ name: 'imagine', options: { prompt: 'a blue fox' } })
      .waitForEdit(hasImage, 15_000);
    expect(h.logs.some((line) => line.includes('could not post to the audit channel'))).toBe(true);
  });
});

describe('quotas end to end', () => {
  it('refuses a second request within the cooldown with a relative timestamp, and lets Manage Server bypass when enabled', async () => {
    harness = await startHarness({ env: { USER_COOLDOWN_SECONDS: '60' } });
    const h = harness;
    const first = h.discord.sendCommand({ name: 'imagine', options: { prompt: 'one' } });
    await first.waitForEdit(hasImage, 15_000);
    const askedAt = Date.now();

    const { refusal } = await refusalOf(h, { name: 'imagine', options: { prompt: 'two' } });
    const match = /^You can make one request every 1 minute in this server\. Try again <t:(\d+):R>\.$/.exec(
      refusal ?? '',
    );
    expect(match, refusal).not.toBeNull();
    const retryAt = Number(match?.[1]) * 1000;
    expect(retryAt).toBeGreaterThan(askedAt + 55_000);
    expect(retryAt).toBeLessThanOrEqual(askedAt + 61_000);
    expect(requestsTo(h.webui, '/sdapi/v1/txt2img')).toHaveLength(1);

    // Another member is not held back by alice's cooldown.
    await h.discord
      .sendCommand({
        name: 'imagine',
        options: { prompt: 'three' },
        user: { id: '1300000000000000201', username: 'bob' },
      })
      .waitForEdit(hasImage, 15_000);

    // Manage Server alone does not bypass...
    expect(
      (await refusalOf(h, { name: 'imagine', options: { prompt: 'four' }, permissions: MANAGE_GUILD }))
        .refusal,
    ).toMatch(/Try again <t:/);
    // ...until the server says it does.
    await runSettings(h, { subcommand: 'policy', options: { bypass_manage_server: true } });
    await h.discord
      .sendCommand({ name: 'imagine', options: { prompt: 'five' }, permissions: MANAGE_GUILD })
      .waitForEdit(hasImage, 15_000);
  });

  it('lets exactly one of two requests sent in the same instant pass when the server allows one per hour', async () => {
    harness = await startHarness({ env: { SERVER_HOURLY_LIMIT: '1' } });
    const h = harness;
    // Two members, so neither the cooldown nor the per-member limit decides: only the server's hour.
    const handles = ['1300000000000000401', '1300000000000000402'].map((id) =>
      h.discord.sendCommand({ name: 'imagine', options: { prompt: `from ${id}` }, user: { id } }),
    );
    const acks = await Promise.all(handles.map((handle) => handle.ack()));
    const refused = acks.filter((ack) => ack.type === 4);
    const deferred = handles.filter((_handle, index) => acks[index]?.type === 5);
    expect(refused).toHaveLength(1);
    expect(deferred).toHaveLength(1);
    expect(String((refused[0]?.data as { content?: string } | undefined)?.content)).toMatch(
      /^This server has reached its limit of 1 request per hour\. Try again <t:\d+:R>\.$/,
    );
    await deferred[0]?.waitForEdit(hasImage, 15_000);
    expect(requestsTo(h.webui, '/sdapi/v1/txt2img')).toHaveLength(1);
  });

  it('gives the place back when a request that passed the quota is refused later, before any job', async () => {
    harness = await startHarness({ env: { SERVER_HOURLY_LIMIT: '1' } });
    const h = harness;
    // The sampler is only checked against the WebUI's list after the deferral, past the quota.
    const unknown = h.discord.sendCommand({
      name: 'imagine',
      options: { prompt: 'a cat', sampler: 'No Such Sampler' },
    });
    expect((await unknown.ack()).type).toBe(5);
    const refusal = await unknown.waitForEdit((message) => message.content !== '', 10_000);
    expect(refusal.content).toMatch(/sampler/i);
    await h.discord
      .sendCommand({ name: 'imagine', options: { prompt: 'a dog' } })
      .waitForEdit(hasImage, 15_000);
    expect(requestsTo(h.webui, '/sdapi/v1/txt2img')).toHaveLength(1);
  });

  it('refuses past the hourly limit of the server for everyone but the bypass role', async () => {
    harness = await startHarness();
    const h = harness;
    const roleId = '1300000000000000777';
    await runSettings(h, {
      subcommand: 'policy',
      options: { hourly_limit: 2, bypass_role: { type: 8, value: roleId } },
      resolved: {
        roles: {
          [roleId]: {
            id: roleId,
            name: 'artists',
            permissions: '0',
            position: 1,
            color: 0,
            hoist: false,
            managed: false,
            mentionable: false,
            flags: 0,
          },
        },
      },
    });
    const users = ['1300000000000000301', '1300000000000000302', '1300000000000000303'];
    const startedAt = Date.now();
    for (const id of users.slice(0, 2)) {
      await h.discord
        .sendCommand({ name: 'imagine', options: { prompt: id }, user: { id } })
        .waitForEdit(hasImage, 15_000);
    }
    const { refusal } = await refusalOf(h, {
      name: 'imagine',
      options: { prompt: 'third' },
      user: { id: users[2] as string },
    });
    const match = /^This server has reached its limit of 2 requests per hour\. Try again <t:(\d+):R>\.$/.exec(
      refusal ?? '',
    );
    expect(match, refusal).not.toBeNull();
    const retryAt = Number(match?.[1]) * 1000;
    expect(retryAt).toBeGreaterThanOrEqual(startedAt + 3_600_000);
    expect(retryAt).toBeLessThan(Date.now() + 3_601_000);

    await h.discord
      .sendCommand({
        name: 'imagine',
        options: { prompt: 'vip' },
        user: { id: users[2] as string },
        roles: [roleId],
      })
      .waitForEdit(hasImage, 15_000);
    expect(requestsTo(h.webui, '/sdapi/v1/txt2img')).toHaveLength(3);
    const view = await runSettings(h, { subcommand: 'view' });
    expect(view.text).toContain('Requests per hour (server): 2');
  });
});
