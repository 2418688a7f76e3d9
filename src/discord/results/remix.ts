/** Remix: a form with the parent's prompts, prefilled; its submit starts a child job. */
import {
  LabelBuilder,
  ModalBuilder,
  type ModalSubmitInteraction,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { toRemixParams } from '../../generation/derive.js';
import type { JobOrigin } from '../../generation/request.js';
import { resolveLocale } from '../../i18n/locales.js';
import { msg, t } from '../../i18n/translate.js';
import { effectivePolicy } from '../../policy/guild-policy.js';
import { UserError } from '../../user-error.js';
import type { ButtonHandler, ModalHandler } from '../intake/command.js';
import { encodeCustomId } from '../intake/custom-id.js';
import { startChild } from './child-jobs.js';
import { generationKind, loadFinished, messageUrlOf } from './finished-job.js';

const REMIX_PROMPT = 'prompt';
const REMIX_NEGATIVE = 'negative_prompt';
/** Discord's longest text input value. */
const MAX_TEXT_INPUT = 4000;

/** Remix: a form with the prompts, prefilled; its submit starts the job. */
export const handleRemix: ButtonHandler = async (interaction, [jobId], deps) => {
  const parent = await loadFinished(deps, jobId);
  generationKind(parent);
  const locale = resolveLocale(interaction.locale);
  const limit = deps.config.limits.maxPromptLength;
  const prompt = new TextInputBuilder()
    .setCustomId(REMIX_PROMPT)
    .setStyle(TextInputStyle.Paragraph)
    .setRequired(true)
    .setMaxLength(Math.min(MAX_TEXT_INPUT, limit))
    .setValue(parent.params.prompt.slice(0, limit));
  const negative = new TextInputBuilder()
    .setCustomId(REMIX_NEGATIVE)
    .setStyle(TextInputStyle.Paragraph)
    .setRequired(false)
    .setMaxLength(MAX_TEXT_INPUT);
  if (parent.params.negativePrompt !== '')
    negative.setValue(parent.params.negativePrompt.slice(0, MAX_TEXT_INPUT));
  const modal = new ModalBuilder()
    .setCustomId(encodeCustomId('remixed', parent.id))
    .setTitle(t(locale, 'commands.result.remixModalTitle'))
    .addLabelComponents(
      new LabelBuilder().setLabel(t(locale, 'commands.result.promptLabel')).setTextInputComponent(prompt),
      new LabelBuilder()
        .setLabel(t(locale, 'commands.result.negativePromptLabel'))
        .setTextInputComponent(negative),
    );
  await interaction.showModal(modal);
};

/** `text` without `terms` (case-insensitive), where the policy appended them. */
function withoutTerms(text: string, terms: string): string {
  const trimmed = terms.trim();
  if (trimmed === '') return text;
  const at = text.toLowerCase().indexOf(trimmed.toLowerCase());
  return at < 0 ? text : `${text.slice(0, at)}${text.slice(at + trimmed.length)}`;
}

function textField(interaction: ModalSubmitInteraction, id: string): string {
  try {
    return interaction.fields.getTextInputValue(id);
  } catch {
    return '';
  }
}

export const handleRemixSubmit: ModalHandler = async (interaction, [jobId], deps) => {
  const parent = await loadFinished(deps, jobId);
  const kind = generationKind(parent);
  const typed = {
    prompt: textField(interaction, REMIX_PROMPT),
    negativePrompt: textField(interaction, REMIX_NEGATIVE),
  };
  const limit = Math.max(deps.config.limits.maxPromptLength, parent.params.negativePrompt.length);
  if (typed.negativePrompt.length > limit) {
    throw new UserError(
      'invalid-options',
      msg('commands.result.negativeTooLong', { length: typed.negativePrompt.length, limit }),
    );
  }
  const origin: JobOrigin = { action: 'remix', messageUrl: messageUrlOf(interaction) };
  const params = toRemixParams(parent.params, typed, parent.result.seeds[0], origin);
  // Blocked terms are checked in what the member typed, less the SFW terms the form was prefilled
  // with; the content policy is applied on top again.
  const { sfwNegativePrompt } = effectivePolicy(deps.config, deps.settings, interaction.guildId);
  const texts = {
    prompt: typed.prompt,
    negativePrompt: withoutTerms(typed.negativePrompt, sfwNegativePrompt),
  };
  await startChild(interaction, deps, parent, kind, params, { texts });
};
