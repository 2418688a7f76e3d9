import { type ButtonInteraction, type ChatInputCommandInteraction, SlashCommandBuilder } from 'discord.js';
import type { BotDeps, ButtonHandler, Command } from '../src/discord/intake/command.js';
import { mergeByServer, renderLorasPage } from '../src/discord/views/loras-view.js';
import { type Locale, resolveLocale } from '../src/i18n/locales.js';
import { UserError } from '../src/user-error.js';

const KINDS = ['loras', 'embeddings'] as const;
type Kind = (typeof KINDS)[number];

const data = new SlashCommandBuilder()
  .setName('loras')
  .setDescription('List the LoRAs (or embeddings) on the image servers')
  .addStringOption((option) =>
    option
      .setName('show')
      .setDescription('LoRAs (default) or embeddings')
      .addChoices(...KINDS.map((kind) => ({ name: kind, value: kind }))),
  )
  .toJSON();

async function renderPage(deps: BotDeps, kind: Kind, invokerId: string, page: number, locale: Locale) {
  const byBackend = await deps.catalog.byBackend(kind);
  const lists = deps.backends.map((backend) => byBackend.get(backend.id));
  return renderLorasPage(kind, mergeByServer(lists), page, deps.backends.length, invokerId, locale);
}

const toReply = (view: Awaited<ReturnType<typeof renderPage>>) => ({
  content: view.content,
  embeds: view.embeds,
  components: view.components,
  allowedMentions: { parse: [] },
});

async function execute(interaction: ChatInputCommandInteraction, deps: BotDeps): Promise<void> {
  const kind = (interaction.options.getString('show') ?? 'loras') as Kind;
  await interaction.deferReply();
  await interaction.editReply(
    toReply(await renderPage(deps, kind, interaction.user.id, 0, resolveLocale(interaction.locale))),
  );
}

/** Turning a /loras page: only the member who asked may. */
export const handleLorasPage: ButtonHandler = async (
  interaction: ButtonInteraction,
  [ownerId, kind, page],
  deps,
) => {
  if (ownerId !== interaction.user.id) {
    throw new UserError(
      'not-yours',
      'Only the member who ran /loras can turn its pages. Run /loras yourself.',
    );
  }
  const number = Number(page);
  if (!Number.isInteger(number) || !(KINDS as readonly string[]).includes(kind ?? '')) {
    throw new UserError('bad-page', 'That page does not exist.');
  }
  await interaction.deferUpdate();
  await interaction.editReply(
    toReply(
      await renderPage(deps, kind as Kind, interaction.user.id, number, resolveLocale(interaction.locale)),
    ),
  );
};

export const loras: Command = { data, execute };
