import { type ChatInputCommandInteraction, MessageFlags, SlashCommandBuilder } from 'discord.js';
import type { BotDeps, Command } from '../src/discord/intake/command.js';
import { localized } from '../src/discord/intake/localized.js';
import { whenProbed } from '../src/discord/intake/probed.js';
import { backendName } from '../src/discord/views/models-view.js';
import { escapeMarkdown, truncate } from '../src/discord/views/view-text.js';
import { serverLimits } from '../src/engines/describe.js';
import { resolveLocale } from '../src/i18n/locales.js';
import { render, t } from '../src/i18n/translate.js';

const data = new SlashCommandBuilder()
  .setName('queue')
  .setDescription('Your images in line, the queue length and the image servers’ state')
  .setNameLocalizations(localized('commands.queue.commandName'))
  .setDescriptionLocalizations(localized('commands.queue.commandDescription'))
  .toJSON();

async function execute(interaction: ChatInputCommandInteraction, deps: BotDeps): Promise<void> {
  const locale = resolveLocale(interaction.locale);
  // Right after a start the servers may not be probed yet: wait a little (the reply is not deferred).
  await whenProbed(deps.backends, 1500);
  const line = deps.runner.queue();
  const waiting = line.filter((job) => job.state === 'queued');
  const mine = line.filter((job) => job.userId === interaction.user.id);
  const mineLines = mine.map((job) => {
    const where =
      job.state === 'running'
        ? t(locale, 'commands.queue.generatingNow')
        : t(locale, 'commands.queue.position', {
            position: deps.runner.position(job.id)?.position ?? '?',
            total: waiting.length,
          });
    return `• ${where} — ${escapeMarkdown(truncate(job.params.prompt, 80))}`;
  });
  const backends = deps.runner.backends();
  const backendLines = backends.map((backend, index) => {
    const capabilities = deps.backends.find((candidate) => candidate.id === backend.id)?.engine.capabilities;
    const model = backend.loadedModel === undefined ? '' : ` — \`${truncate(backend.loadedModel, 100)}\``;
    // Each server by its name, and what it cannot do, in words a member understands.
    const limits =
      capabilities === undefined
        ? []
        : serverLimits(capabilities).map((limit) => render(limit.brief, locale));
    const what = capabilities === undefined ? '' : ` · ${capabilities.name}`;
    const cannot =
      limits.length === 0
        ? ''
        : `\n  ${truncate(t(locale, 'commands.queue.limits', { limits: limits.slice(0, 4).join('; ') }), 300)}`;
    const state = t(locale, `commands.server.${backend.state}`);
    return `• ${backendName(index, backends.length, locale)}: ${state}${what}${model}${cannot}`;
  });
  await interaction.reply({
    flags: MessageFlags.Ephemeral,
    allowedMentions: { parse: [] },
    embeds: [
      {
        title: t(locale, 'commands.queue.title'),
        description: [
          t(locale, 'commands.queue.summary', {
            waiting: waiting.length,
            running: line.length - waiting.length,
          }),
          '',
          t(locale, 'commands.queue.yours'),
          mineLines.length > 0 ? mineLines.join('\n') : t(locale, 'commands.queue.nothing'),
          '',
          t(locale, 'commands.queue.servers'),
          backendLines.join('\n'),
        ].join('\n'),
      },
    ],
  });
}

export const queue: Command = { data, execute };
