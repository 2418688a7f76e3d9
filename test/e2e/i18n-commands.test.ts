import { afterEach, describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/i18n/locales.js';
import { t } from '../../src/i18n/translate.js';
import type { FakeMessage } from '../fakes/discord/types.js';
import { type Harness, startHarness } from './harness.js';
import { ALICE, errorLines, inLine, logLines, until } from './job-helpers.js';

interface RegisteredOption {
  name: string;
  name_localizations?: Record<string, string> | null;
  description_localizations?: Record<string, string> | null;
  choices?: { name: string; name_localizations?: Record<string, string> | null }[];
  options?: RegisteredOption[];
}

/** Every shipped locale but the base one: what each localization map must hold. */
const OTHERS = LOCALES.filter((locale) => locale !== 'en-US');

let harness: Harness | undefined;
afterEach(async () => {
  const errors = errorLines(harness);
  await harness?.close();
  harness = undefined;
  expect(errors, 'error-level log lines').toEqual([]);
});

const embedDescription = (data: Record<string, unknown> | null | undefined) =>
  String((data?.embeds as { description?: string }[] | undefined)?.[0]?.description);
const embedTitle = (data: Record<string, unknown> | null | undefined) =>
  String((data?.embeds as { title?: string }[] | undefined)?.[0]?.title);

describe('the commands in the members’ languages end to end', () => {
  it('registers every command, and /imagine’s options and /loras’ choices, with a name and description in every shipped locale', async () => {
    harness = await startHarness();
    const registered = harness.discord.commands.guild(
      harness.discord.guildId,
    ) as unknown as RegisteredOption[];
    expect(registered.map((command) => command.name).sort()).toEqual([
      'imagine',
      'loras',
      'models',
      'queue',
      'setmodel',
      'settings',
    ]);
    for (const command of registered) {
      expect(Object.keys(command.name_localizations ?? {}).sort(), `/${command.name}`).toEqual(
        [...OTHERS].sort(),
      );
      expect(Object.keys(command.description_localizations ?? {}).sort(), `/${command.name}`).toEqual(
        [...OTHERS].sort(),
      );
    }
    const imagine = registered.find((command) => command.name === 'imagine');
    expect(imagine?.options).toHaveLength(18);
    for (const option of imagine?.options ?? []) {
      expect(Object.keys(option.name_localizations ?? {}).sort(), option.name).toEqual([...OTHERS].sort());
      expect(Object.keys(option.description_localizations ?? {}).sort(), option.name).toEqual(
        [...OTHERS].sort(),
      );
    }
    // What a Japanese or German member sees in the command picker.
    const prompt = imagine?.options?.find((option) => option.name === 'prompt');
    expect(prompt?.name_localizations?.ja).toBe('プロンプト');
    expect(prompt?.description_localizations?.de).toBe('Was gezeichnet werden soll');
    const show = registered.find((command) => command.name === 'loras')?.options?.[0];
    expect(show?.choices?.map((choice) => choice.name_localizations?.ja)).toEqual(['LoRA', 'エンベディング']);
    // /settings' subcommands (and their options) carry theirs too.
    const settings = registered.find((command) => command.name === 'settings');
    const view = settings?.options?.find((option) => option.name === 'view');
    expect(view?.name_localizations?.fr).toBe('voir');
    const words = settings?.options?.find((option) => option.name === 'blocked-words');
    const add = words?.options?.find((option) => option.name === 'add');
    expect(add?.options?.[0]?.name_localizations?.ru).toBe('термин');
    const policy = settings?.options?.find((option) => option.name === 'policy');
    const nsfw = policy?.options?.find((option) => option.name === 'nsfw_mode');
    expect(nsfw?.choices?.map((choice) => choice.name_localizations?.de)).toEqual([
      'aus',
      'negativer Prompt',
      'Spoiler',
      'beides',
    ]);
  });

  it('answers a Japanese member’s /queue and Cancel in Japanese, and an English one’s in English', async () => {
    harness = await startHarness({ webuis: [{ generationMs: 4000 }] });
    const h = harness;
    await until(() => logLines(h).some((line) => line.msg === 'image server probed'), 'the first probe');
    const japanese = { ...ALICE };
    const job = await inLine(
      h.discord.sendCommand({ name: 'imagine', options: { prompt: '富士山' }, user: japanese, locale: 'ja' }),
      japanese,
      '富士山',
    );
    await until(() => h.webui.generating, 'the generation to start');

    const queue = await h.discord.sendCommand({ name: 'queue', user: japanese, locale: 'ja' }).ack();
    expect(embedTitle(queue.data)).toBe('キュー');
    const description = embedDescription(queue.data);
    expect(description).toContain('待機中 **0** 件、生成中 **1** 件。');
    expect(description).toContain('**あなたのジョブ**');
    expect(description).toContain('• 生成中 — 富士山');
    expect(description).toContain('**画像サーバー**');
    expect(description).toMatch(/サーバー: (待機中|処理中)/);

    // The same queue, asked by an English member: the texts the other tests know.
    const english = await h.discord.sendCommand({ name: 'queue', user: japanese }).ack();
    expect(embedTitle(english.data)).toBe('Queue');
    expect(embedDescription(english.data)).toContain('**0** waiting, **1** generating.');

    const ack = await h.discord
      .clickButton({
        customId: `cancel:${job.jobId}`,
        message: job.handle.original() as FakeMessage,
        user: japanese,
        locale: 'ja',
      })
      .ack();
    const japaneseAcks = (['cancelled', 'interrupting', 'pending', 'discarding', 'finished'] as const).map(
      (result) => t('ja', `commands.cancel.${result}`),
    );
    expect(japaneseAcks).toContain(String(ack.data?.content));
    expect(String(ack.data?.content)).not.toMatch(/[A-Za-z]{3}/);
  });

  it('refuses another member’s Cancel in that member’s language', async () => {
    harness = await startHarness({ webuis: [{ generationMs: 3000 }] });
    const h = harness;
    const job = await inLine(
      h.discord.sendCommand({ name: 'imagine', options: { prompt: 'a lighthouse' }, user: ALICE }),
      ALICE,
      'a lighthouse',
    );
    const ack = await h.discord
      .clickButton({
        customId: `cancel:${job.jobId}`,
        message: job.handle.original() as FakeMessage,
        user: { id: '1300000000000000999', username: 'hans' },
        locale: 'de',
      })
      .ack();
    expect(String(ack.data?.content)).toBe(
      'Nur das Mitglied, das dieses Bild angefordert hat (oder ein Moderator), kann es abbrechen.',
    );
  });
});
