import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from 'discord.js';
import type { BotDeps, ButtonHandler, Command } from '../src/discord/intake/command.js';
import { localized, localizeOption } from '../src/discord/intake/localized.js';
import { type BackendModelState, renderModelsPage } from '../src/discord/views/models-view.js';
import { toUserMessage } from '../src/discord/views/user-message.js';
import { SdUnsupportedError } from '../src/engines/errors.js';
import { familyOfModel } from '../src/generation/family-defaults.js';
import { type Locale, resolveLocale } from '../src/i18n/locales.js';
import { msg } from '../src/i18n/translate.js';
import { FAMILY_LABELS } from '../src/models/family.js';
import { sameModel } from '../src/models/match.js';
import { loadGuildPolicy } from '../src/policy/guild-policy.js';
import { UserError } from '../src/user-error.js';

const data = new SlashCommandBuilder()
  .setName('models')
  .setDescription('List the checkpoints on the image server')
  .setNameLocalizations(localized('commands.models.commandName'))
  .setDescriptionLocalizations(localized('commands.models.commandDescription'))
  .addBooleanOption((option) =>
    localizeOption(
      option.setName('rescan').setDescription('Rescan the model folder first (Manage Server)'),
      'commands.models.rescan',
    ),
  )
  .toJSON();

async function loadedModels(deps: BotDeps): Promise<BackendModelState[]> {
  return Promise.all(
    deps.backends.map(async (backend) => {
      try {
        const loaded = await backend.engine.loadedModel();
        deps.runner.setLoadedModel(backend.id, loaded ?? undefined);
        return { label: backend.id, loaded: loaded ?? '' };
      } catch {
        return { label: backend.id, loaded: null };
      }
    }),
  );
}

async function renderPage(
  deps: BotDeps,
  guildId: string | null,
  invokerId: string,
  page: number,
  locale: Locale,
) {
  const [models, backends] = await Promise.all([deps.catalog.get('models'), loadedModels(deps)]);
  const guildDefault = guildId === null ? undefined : deps.settings.get(guildId).defaultModel;
  const families = loadGuildPolicy(deps.settings, guildId).features?.families ?? {};
  return renderModelsPage(
    models,
    page,
    backends,
    guildDefault,
    invokerId,
    (model, loaded) => sameModel(model.title, loaded, models),
    (model) => {
      const family = familyOfModel(model, families);
      return family === 'other' ? undefined : FAMILY_LABELS[family];
    },
    locale,
  );
}

const toReply = (view: Awaited<ReturnType<typeof renderPage>>) => ({
  content: view.content,
  embeds: view.embeds,
  components: view.components,
  allowedMentions: { parse: [] },
});

/**
 * Rescans every server that can; a server without the route (stable-diffusion.cpp, KoboldCpp: an
 * empty 404) is skipped. Only when none can is the member told so.
 */
async function rescanAll(deps: BotDeps, locale: Locale): Promise<void> {
  const answers = await Promise.allSettled(
    deps.backends.map((backend) => backend.engine.refreshCheckpoints()),
  );
  const failures = answers.flatMap((answer) =>
    answer.status === 'rejected' ? [answer.reason as unknown] : [],
  );
  const broken = failures.find((reason) => !(reason instanceof SdUnsupportedError));
  if (broken !== undefined) throw broken;
  const [unsupported] = failures;
  if (unsupported !== undefined && failures.length === answers.length) {
    throw new UserError('cannot-rescan', toUserMessage(unsupported, locale));
  }
}

async function execute(interaction: ChatInputCommandInteraction, deps: BotDeps): Promise<void> {
  const rescan = interaction.options.getBoolean('rescan') ?? false;
  if (rescan && !(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false)) {
    throw new UserError('forbidden', msg('commands.models.rescanForbidden'));
  }
  await interaction.deferReply();
  if (rescan) {
    await rescanAll(deps, resolveLocale(interaction.locale));
    deps.catalog.invalidate('models');
  }
  await interaction.editReply(
    toReply(
      await renderPage(deps, interaction.guildId, interaction.user.id, 0, resolveLocale(interaction.locale)),
    ),
  );
}

/** Turning a /models page: only the member who asked may. */
export const handleModelsPage: ButtonHandler = async (
  interaction: ButtonInteraction,
  [ownerId, page],
  deps,
) => {
  if (ownerId !== interaction.user.id) {
    throw new UserError('not-yours', msg('commands.models.notYours'));
  }
  const number = Number(page);
  if (!Number.isInteger(number)) throw new UserError('bad-page', msg('commands.pages.missing'));
  await interaction.deferUpdate();
  await interaction.editReply(
    toReply(
      await renderPage(
        deps,
        interaction.guildId,
        interaction.user.id,
        number,
        resolveLocale(interaction.locale),
      ),
    ),
  );
};

export const models: Command = { data, execute };
