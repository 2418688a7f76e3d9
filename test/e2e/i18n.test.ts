import { afterEach, describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../fakes/discord/interaction-handle.js';
import type { FakeMessage } from '../fakes/discord/types.js';
import { type Harness, startHarness } from './harness.js';
import { describedAs, errorLines, hasImage, jobIdOf, WAIT_MS } from './job-helpers.js';

/** A German-speaking member and a Japanese-speaking one (Discord sends each their `locale`). */
const GERDA = { id: '1300000000000000401', username: 'gerda' };
const HARUKI = { id: '1300000000000000402', username: 'haruki' };

let harness: Harness | undefined;
afterEach(async () => {
  const errors = errorLines(harness);
  await harness?.close();
  harness = undefined;
  expect(errors, 'error-level log lines').toEqual([]);
});

const labelsOf = (message: FakeMessage) =>
  (message.components as { components?: { label?: string }[] }[]).flatMap((row) =>
    (row.components ?? []).map((button) => button.label ?? ''),
  );

const fieldNamesOf = (message: FakeMessage) =>
  message.embeds.flatMap((embed) =>
    ((embed as { fields?: { name: string }[] }).fields ?? []).map((f) => f.name),
  );

const footerOf = (message: FakeMessage) =>
  String((message.embeds[0] as { footer?: { text?: string } } | undefined)?.footer?.text ?? '');

function imagine(h: Harness, user: typeof GERDA, locale: string, prompt: string): InteractionHandle {
  return h.discord.sendCommand({ name: 'imagine', options: { prompt }, user, locale });
}

const inLine = (handle: InteractionHandle) =>
  handle.waitForEdit((message) => jobIdOf(message) !== undefined, WAIT_MS);

describe('i18n of job delivery', () => {
  it('gives a German and a Japanese member their place in line, progress, result and buttons in their language', async () => {
    harness = await startHarness({ webuis: [{ generationMs: 1500 }] });
    const h = harness;
    const german = imagine(h, GERDA, 'de', 'ein roter Fuchs');
    await inLine(german);
    await h.webui.whenGenerating();
    const japanese = imagine(h, HARUKI, 'ja', '赤い狐');

    // The Japanese job waits behind the German one: its place in line, in Japanese, with its numbers.
    const waiting = await japanese.waitForEdit(
      (message) => describedAs(message).includes('**順番待ち**'),
      WAIT_MS,
    );
    expect(describedAs(waiting)).toMatch(/件中\d+番目/);
    expect(labelsOf(waiting)).toEqual(['キャンセル']);
    // The German job is being made: progress in German, with its Cancel button in German.
    const working = await german.waitForEdit(
      (message) => describedAs(message).includes('**Wird erstellt**'),
      WAIT_MS,
    );
    expect(labelsOf(working)).toEqual(['Abbrechen']);
    expect(describedAs(working)).not.toContain('Generating');

    const germanResult = await german.waitForEdit(hasImage, WAIT_MS);
    expect(labelsOf(germanResult)).toEqual(
      expect.arrayContaining(['Neu würfeln', 'Variieren', 'Hochskalieren', 'Info', 'Löschen']),
    );
    expect(fieldNamesOf(germanResult)).toEqual(expect.arrayContaining(['Modell', 'Schritte', 'Größe']));
    expect(footerOf(germanResult)).toMatch(/^Erstellt in \d+,\d s · Auftrag /);

    await japanese.waitForEdit(
      (message) => describedAs(message).includes('画像サーバーで**生成中**'),
      WAIT_MS,
    );
    const japaneseResult = await japanese.waitForEdit(hasImage, WAIT_MS);
    expect(labelsOf(japaneseResult)).toEqual(
      expect.arrayContaining(['再生成', 'バリエーション', 'アップスケール', 'リミックス', '情報', '削除']),
    );
    expect(fieldNamesOf(japaneseResult)).toEqual(expect.arrayContaining(['シード', 'モデル', 'サイズ']));
    expect(footerOf(japaneseResult)).toMatch(/^生成時間 /);
  });

  it('keeps an English member in English beside them', async () => {
    harness = await startHarness();
    const english = harness.discord.sendCommand({ name: 'imagine', options: { prompt: 'a fox' } });
    const result = await english.waitForEdit(hasImage, WAIT_MS);
    expect(labelsOf(result)).toEqual(expect.arrayContaining(['Reroll', 'Vary', 'Info', 'Delete']));
    expect(footerOf(result)).toMatch(/^Generated in \d+\.\ds · job /);
  });

  it('keeps each requester’s language for jobs delivered after a restart', async () => {
    harness = await startHarness({
      webuis: [{ generationMs: 3000 }],
      env: { SHUTDOWN_GRACE_SECONDS: '1' },
    });
    const h = harness;
    const german = imagine(h, GERDA, 'de', 'Neustart Fuchs');
    await inLine(german);
    await h.webui.whenGenerating();
    const japanese = imagine(h, HARUKI, 'ja', '再起動 狐');
    await inLine(japanese);
    h.webui.configure({ generationMs: 300 });

    // The running job is cut off by the grace period; both come back from the database.
    await h.restart();
    await german.waitForEdit(
      (message) => describedAs(message).includes('Der Bot wurde neu gestartet'),
      WAIT_MS,
    );
    await japanese.waitForEdit((message) => describedAs(message).includes('ボットが再起動しました'), WAIT_MS);
    const germanResult = await german.waitForEdit(hasImage, WAIT_MS);
    const japaneseResult = await japanese.waitForEdit(hasImage, WAIT_MS);
    expect(labelsOf(germanResult)).toEqual(expect.arrayContaining(['Neu würfeln', 'Löschen']));
    expect(labelsOf(japaneseResult)).toEqual(expect.arrayContaining(['再生成', '削除']));
    expect(footerOf(germanResult)).toMatch(/^Erstellt in /);
    expect(footerOf(japaneseResult)).toMatch(/^生成時間 /);
  });

  it('posts the result in the requester’s language once the reply moved to a channel message', async () => {
    harness = await startHarness({ webuis: [{ generationMs: 1500 }] });
    const h = harness;
    const japanese = imagine(h, HARUKI, 'ja', '期限切れ 狐');
    await inLine(japanese);
    await h.webui.whenGenerating();
    h.discord.advanceClock(16 * 60_000);
    const posted = await h.discord.waitForChannelMessage(
      (message) => hasImage(message) && message.content.includes(`<@${HARUKI.id}>`),
      WAIT_MS,
    );
    expect(labelsOf(posted)).toEqual(expect.arrayContaining(['再生成', '削除']));
    expect(footerOf(posted)).toMatch(/^生成時間 /);
  });
});
