import type { SendCommandParams } from '../fakes/discord/driver.js';
import type { FakeMessage } from '../fakes/discord/types.js';
import type { Harness } from './harness.js';

export const MANAGE_GUILD = String(1n << 5n);

/** What the member sees in the (ephemeral) answer to a command: content plus embed text. */
export function visibleText(message: FakeMessage): string {
  const embeds = message.embeds as {
    title?: string;
    description?: string;
    fields?: { name: string; value: string }[];
  }[];
  return [
    message.content,
    ...embeds.flatMap((embed) => [
      embed.title ?? '',
      embed.description ?? '',
      ...(embed.fields ?? []).flatMap((field) => [field.name, field.value]),
    ]),
  ]
    .filter((part) => part !== '')
    .join('\n');
}

/** Sends `/settings …` as a member with Manage Server (unless `permissions` says otherwise) and returns the answer. */
export async function runSettings(
  harness: Harness,
  params: Omit<SendCommandParams, 'name'>,
): Promise<{ text: string; ephemeral: boolean }> {
  const handle = harness.discord.sendCommand({ name: 'settings', permissions: MANAGE_GUILD, ...params });
  const ack = await handle.ack();
  const message = ack.type === 5 ? await handle.waitForEdit(undefined, 10_000) : ack.message;
  if (message === null) throw new Error(`no message for /settings: ${handle.describe()}`);
  return { text: visibleText(message), ephemeral: (message.flags & 64) === 64 };
}

/** A finished /imagine reply (with at least one image attachment). */
export const hasImage = (message: FakeMessage) =>
  message.attachments.some(
    (attachment) =>
      /\.(png|webp|jpg)$/.test(attachment.filename) && !attachment.filename.endsWith('preview.png'),
  );
