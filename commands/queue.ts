import { type ChatInputCommandInteraction, MessageFlags, SlashCommandBuilder } from 'discord.js';
import type { BotDeps, Command } from '../src/discord/intake/command.js';
import { localized } from '../src/discord/intake/localized.js';
import { whenProbed } from '../src/discord/intake/probed.js';
import { backendName } from '../src/discord/views/models-view.js';
import { escapeMarkdown, truncate } from '../src/discord/views/render.js';
import { describeLimits } from '../src/engines/describe.js';

const data = new SlashCommandBuilder()
  .setName('queue')
  .setDescription('Your images in line, the queue length and the image servers’ state')
  .setNameLocalizations(localized('commands.queue.commandName'))
  .setDescriptionLocalizations(localized('commands.queue.commandDescription'))
  .toJSON();

async function execute(interaction: ChatInputCommandInteraction, deps: BotDeps): Promise<void> {
  // Right after a start the servers may not be probed yet: wait a little (the reply is not deferred).
  await whenProbed(deps.backends, 1500);
  const line = deps.runner.queue();
  const waiting = line.filter((job) => job.state === 'queued');
  const mine = line.filter((job) => job.userId === interaction.user.id);
  const mineLines = mine.map((job) => {
    const where =
      job.state === 'running'
        ? 'generating now'
        : `position ${deps.runner.position(job.id)?.position ?? '?'} of ${waiting.length}`;
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
        : describeLimits(capabilities).map((line) => line.split(':')[0] ?? line);
    const what = capabilities === undefined ? '' : ` · ${capabilities.name}`;
    const cannot = limits.length === 0 ? '' : `\n  ${truncate(`It ${limits.slice(0, 4).join('; ')}.`, 300)}`;
    return `• ${backendName(index, backends.length)}: ${backend.state}${what}${model}${cannot}`;
  });
  await interaction.reply({
    flags: MessageFlags.Ephemeral,
    allowedMentions: { parse: [] },
    embeds: [
      {
        title: 'Queue',
        description: [
          `**${waiting.length}** waiting, **${line.length - waiting.length}** generating.`,
          '',
          '**Yours**',
          mineLines.length > 0 ? mineLines.join('\n') : 'Nothing in line.',
          '',
          '**Image servers**',
          backendLines.join('\n'),
        ].join('\n'),
      },
    ],
  });
}

export const queue: Command = { data, execute };
