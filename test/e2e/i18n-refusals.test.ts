import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, requestsTo, startHarness } from './harness.js';
import { hasImage, runSettings } from './settings-driver.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const GERMAN = { id: '310000000000000001', username: 'greta' };
const JAPANESE = { id: '310000000000000002', username: 'haruto' };

/** The ephemeral refusal of an /imagine answered at once. */
async function refusalOf(
  h: Harness,
  params: Parameters<Harness['discord']['sendCommand']>[0],
): Promise<string> {
  const ack = await h.discord.sendCommand(params).ack();
  expect(ack.type).toBe(4);
  expect((ack.data as { flags?: number }).flags).toBe(64);
  return String((ack.data as { content?: string }).content);
}

describe('refusals in the member’s language', () => {
  it('refuses out-of-range options in German and in Japanese, keeping the numbers, without calling the WebUI', async () => {
    harness = await startHarness({ env: { MAX_STEPS: '50' } });
    const h = harness;
    const options = { prompt: 'a lighthouse', width: 500, steps: 120 };

    const german = await refusalOf(h, { name: 'imagine', options, user: GERMAN, locale: 'de' });
    expect(german).toBe(
      'Die Schritte müssen eine ganze Zahl von 1 bis 50 sein.\nDie Breite muss ein Vielfaches von 8 sein (500 angegeben).',
    );
    const japanese = await refusalOf(h, { name: 'imagine', options, user: JAPANESE, locale: 'ja' });
    expect(japanese).toBe(
      'ステップ数は1～50の整数にしてください。\n幅は8の倍数にしてください（指定値: 500）。',
    );
    // The default member still reads English.
    expect(await refusalOf(h, { name: 'imagine', options })).toMatch(
      /^Steps must be a whole number from 1 to 50\.\nWidth must be a multiple of 8 \(got 500\)\.$/,
    );

    // A refusal after deferring (the live sampler list) is rendered in the member's language too.
    const sampler = h.discord.sendCommand({
      name: 'imagine',
      options: { prompt: 'x', sampler: 'Eulerish' },
      user: JAPANESE,
      locale: 'ja',
    });
    const reply = await sampler.waitForEdit((message) => message.content.includes('Eulerish'), 10_000);
    expect(reply.content).toMatch(/^不明なサンプラー「Eulerish」です。このサーバーにあるもの: /);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(requestsTo(h.webui, '/sdapi/v1/txt2img')).toHaveLength(0);
  });

  it('refuses a blocked word in German and in Japanese, naming the word', async () => {
    harness = await startHarness();
    const h = harness;
    await runSettings(h, {
      subcommandGroup: 'blocked-words',
      subcommand: 'add',
      options: { term: 'kraken' },
    });

    const german = await refusalOf(h, {
      name: 'imagine',
      options: { prompt: 'a Kraken at sea' },
      user: GERMAN,
      locale: 'de',
    });
    expect(german).toBe(
      'Dein Prompt enthält einen Begriff, den dieser Server sperrt („kraken“), deshalb wurde nichts erzeugt. Formuliere ihn um und versuch es noch einmal.',
    );
    const japanese = await refusalOf(h, {
      name: 'imagine',
      options: { prompt: 'a cat', negative_prompt: 'kraken' },
      user: JAPANESE,
      locale: 'ja',
    });
    expect(japanese).toBe(
      'ネガティブプロンプトにこのサーバーで禁止されている語句（「kraken」）が含まれているため、生成しませんでした。言い換えてもう一度お試しください。',
    );

    // A refused settings change lists its problems in the moderator's language.
    const refused = await runSettings(h, {
      subcommandGroup: 'blocked-words',
      subcommand: 'remove',
      options: { term: 'dragon' },
      locale: 'de',
    });
    expect(refused.text).toBe(
      'Es wurde nichts geändert:\n• Dieser Begriff steht nicht auf der Sperrliste dieses Servers. Siehe /settings blocked-words list.',
    );
  });

  it('sets the server’s language with /settings policy locale, shows it, and writes the audit line in it', async () => {
    harness = await startHarness();
    const h = harness;
    const auditId = h.discord.channelId;
    const set = await runSettings(h, {
      subcommand: 'policy',
      options: { locale: 'ja', audit_channel: { type: 7, value: auditId } },
      resolved: { channels: { [auditId]: { id: auditId, type: 0, name: 'general', permissions: '0' } } },
    });
    expect(set.text).toBe(
      `Audit channel: <#${auditId}>.\nServer language (audit channel, posts to no one member): 日本語.`,
    );
    const view = await runSettings(h, { subcommand: 'view' });
    expect(view.text).toContain('Server language: 日本語');
    const germanView = await runSettings(h, { subcommand: 'view', locale: 'de' });
    expect(germanView.text).toContain('Serversprache: 日本語');

    // A German member asks; the audit channel, tied to no one member, speaks the server's Japanese.
    const reply = h.discord.sendCommand({
      name: 'imagine',
      options: { prompt: 'a paper crane' },
      user: GERMAN,
      locale: 'de',
    });
    const audit = await h.discord.waitForChannelMessage(
      (message) => message.content.includes('/imagine'),
      10_000,
    );
    expect(audit.content).toBe(
      `<@${GERMAN.id}> が <#${auditId}> で /imagine をリクエストしました · 512×512\nプロンプト: \`a paper crane\``,
    );
    await reply.waitForEdit(hasImage, 15_000);

    // Cleared, the server speaks English again.
    const cleared = await runSettings(h, { subcommand: 'policy', options: { clear: 'locale' } });
    expect(cleared.text).toBe('locale: back to the bot’s default.');
    expect((await runSettings(h, { subcommand: 'view' })).text).toContain(
      'Server language: English *(bot default)*',
    );
  });
});
