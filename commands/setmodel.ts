import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from 'discord.js';
import { autocompleteModel } from '../src/discord/intake/autocomplete.js';
import type { BotDeps, Command } from '../src/discord/intake/command.js';
import { localized, localizeOption } from '../src/discord/intake/localized.js';
import { whenProbed } from '../src/discord/intake/probed.js';
import { backendName } from '../src/discord/views/models-view.js';
import { toUserMessage } from '../src/discord/views/user-message.js';
import { escapeMarkdown } from '../src/discord/views/view-text.js';
import { resolveLocale } from '../src/i18n/locales.js';
import { msg, t } from '../src/i18n/translate.js';
import { closestModels, findModel, sameModel } from '../src/models/match.js';
import { UserError } from '../src/user-error.js';

const data = new SlashCommandBuilder()
  .setName('setmodel')
  .setDescription('Switch the checkpoint and make it this server’s default')
  .setNameLocalizations(localized('commands.setmodel.commandName'))
  .setDescriptionLocalizations(localized('commands.setmodel.commandDescription'))
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(0)
  .addStringOption((option) =>
    localizeOption(
      option.setName('model').setDescription('Checkpoint').setRequired(true).setAutocomplete(true),
      'commands.setmodel.model',
    ),
  )
  .toJSON();

type SwitchOutcome = { ok: true } | { ok: false; reason: string } | { ok: 'fixed'; reason: string };

// Long on purpose: the switch on every server, its read-back and the one reply that sums them up.
async function execute(interaction: ChatInputCommandInteraction, deps: BotDeps): Promise<void> {
  if (interaction.guildId === null) throw new UserError('guild-only', msg('commands.setmodel.guildOnly'));
  if (!(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false)) {
    throw new UserError('forbidden', msg('commands.setmodel.forbidden'));
  }
  const locale = resolveLocale(interaction.locale);
  const input = interaction.options.getString('model', true);
  const models = await deps.catalog.get('models');
  const model = findModel(input, models);
  if (model === undefined) {
    const closest = closestModels(input, models).map((candidate) => `\`${candidate.title}\``);
    throw new UserError(
      'unknown-model',
      closest.length > 0
        ? msg('commands.setmodel.unknownClosest', { input, closest: closest.join(', ') })
        : msg('commands.setmodel.unknown', { input }),
    );
  }
  await interaction.deferReply();
  await interaction.editReply({
    content: t(locale, 'commands.setmodel.loading', { model: escapeMarkdown(model.title) }),
    allowedMentions: { parse: [] },
  });

  await whenProbed(deps.backends);
  const outcomes = await Promise.all(
    deps.backends.map(async (backend): Promise<SwitchOutcome> => {
      try {
        if (backend.engine.capabilities.models === 'fixed') {
          // The model is set when this server starts: it either holds this one, or jobs for it go elsewhere.
          const loaded = (await backend.engine.loadedModel()) ?? undefined;
          deps.runner.setLoadedModel(backend.id, loaded);
          return sameModel(loaded, model.title, models)
            ? { ok: true }
            : {
                ok: 'fixed',
                reason: t(locale, 'commands.setmodel.keepsFixed', {
                  model: loaded ?? t(locale, 'commands.setmodel.itsModel'),
                  engine: backend.engine.capabilities.name,
                }),
              };
        }
        await backend.engine.switchModel(model.title);
        const loaded = (await backend.engine.loadedModel()) ?? undefined;
        deps.runner.setLoadedModel(backend.id, loaded);
        if (!sameModel(loaded, model.title, models)) {
          return {
            ok: false,
            reason: t(locale, 'commands.setmodel.stillLoaded', {
              model: loaded ?? t(locale, 'commands.setmodel.noModel'),
            }),
          };
        }
        return { ok: true };
      } catch (error: unknown) {
        deps.log.warn({ err: error, backend: backend.id }, 'model switch failed');
        return { ok: false, reason: toUserMessage(error, locale) };
      }
    }),
  );
  const name = (index: number) => backendName(index, outcomes.length, locale);
  const failures = outcomes.flatMap((outcome, index) =>
    outcome.ok === false ? [`${name(index)}: ${outcome.reason}`] : [],
  );
  const fixed = outcomes.flatMap((outcome, index) =>
    outcome.ok === 'fixed' ? [`${name(index)} ${outcome.reason}`] : [],
  );
  const holding = outcomes.filter((outcome) => outcome.ok === true).length;
  if (failures.length > 0 || holding === 0) {
    const previous = deps.settings.get(interaction.guildId).defaultModel;
    await interaction.editReply({
      content: [
        t(locale, 'commands.setmodel.failed', { model: escapeMarkdown(model.title) }),
        ...[...failures, ...fixed].map((line) => `• ${line}`),
        previous === undefined
          ? t(locale, 'commands.setmodel.defaultStaysUnset')
          : t(locale, 'commands.setmodel.defaultStays', { model: escapeMarkdown(previous) }),
      ].join('\n'),
      allowedMentions: { parse: [] },
    });
    return;
  }
  deps.settings.setDefaultModel(interaction.guildId, model.title);
  deps.log.info({ guildId: interaction.guildId, model: model.title }, 'server default model changed');
  await interaction.editReply({
    content: [
      t(locale, 'commands.setmodel.switched', { model: escapeMarkdown(model.title) }),
      ...fixed.map((line) => `• ${t(locale, 'commands.setmodel.fixedElsewhere', { line })}`),
    ].join('\n'),
    allowedMentions: { parse: [] },
  });
}

async function autocomplete(interaction: AutocompleteInteraction, deps: BotDeps): Promise<void> {
  await autocompleteModel(interaction, deps, interaction.options.getFocused());
}

export const setmodel: Command = { data, execute, autocomplete };
