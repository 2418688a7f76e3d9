import { SlashCommandBuilder } from 'discord.js';
import { localized, localizeOption } from '../../src/discord/intake/localized.js';
import { ASPECT_RATIOS } from '../../src/generation/aspect.js';

/** `/imagine`'s registration: every option, localized (read back in `commands/imagine.ts`). */
export const imagineData = new SlashCommandBuilder()
  .setName('imagine')
  .setDescription('Generate an image from a prompt')
  .setNameLocalizations(localized('commands.imagine.commandName'))
  .setDescriptionLocalizations(localized('commands.imagine.commandDescription'))
  .addStringOption((option) =>
    localizeOption(
      option.setName('prompt').setDescription('What to draw').setRequired(true).setMaxLength(1000),
      'commands.imagine.prompt',
    ),
  )
  .addStringOption((option) =>
    localizeOption(
      option
        .setName('negative_prompt')
        .setDescription('What to avoid (embeddings are autocompleted)')
        .setMaxLength(1000)
        .setAutocomplete(true),
      'commands.imagine.negativePrompt',
    ),
  )
  .addStringOption((option) =>
    localizeOption(
      option
        .setName('aspect')
        .setDescription('Aspect ratio (instead of width and height)')
        .addChoices(...ASPECT_RATIOS.map((ratio) => ({ name: ratio, value: ratio }))),
      'commands.imagine.aspect',
    ),
  )
  .addIntegerOption((option) =>
    localizeOption(
      option
        .setName('width')
        .setDescription('Width in pixels, a multiple of 8')
        .setMinValue(64)
        .setMaxValue(2048),
      'commands.imagine.width',
    ),
  )
  .addIntegerOption((option) =>
    localizeOption(
      option
        .setName('height')
        .setDescription('Height in pixels, a multiple of 8')
        .setMinValue(64)
        .setMaxValue(2048),
      'commands.imagine.height',
    ),
  )
  .addIntegerOption((option) =>
    localizeOption(
      option.setName('steps').setDescription('Sampling steps').setMinValue(1).setMaxValue(150),
      'commands.imagine.steps',
    ),
  )
  .addNumberOption((option) =>
    localizeOption(
      option
        .setName('cfg_scale')
        .setDescription('How strictly to follow the prompt (1-30)')
        .setMinValue(1)
        .setMaxValue(30),
      'commands.imagine.cfgScale',
    ),
  )
  .addIntegerOption((option) =>
    localizeOption(
      option
        .setName('seed')
        .setDescription('Seed (-1 or empty for random)')
        .setMinValue(-1)
        .setMaxValue(4_294_967_294),
      'commands.imagine.seed',
    ),
  )
  .addStringOption((option) =>
    localizeOption(
      option.setName('sampler').setDescription('Sampler').setAutocomplete(true),
      'commands.imagine.sampler',
    ),
  )
  .addStringOption((option) =>
    localizeOption(
      option.setName('scheduler').setDescription('Scheduler').setAutocomplete(true),
      'commands.imagine.scheduler',
    ),
  )
  .addIntegerOption((option) =>
    localizeOption(
      option.setName('count').setDescription('How many images (1-4)').setMinValue(1).setMaxValue(4),
      'commands.imagine.count',
    ),
  )
  .addStringOption((option) =>
    localizeOption(
      option.setName('model').setDescription('Checkpoint').setAutocomplete(true),
      'commands.imagine.model',
    ),
  )
  .addAttachmentOption((option) =>
    localizeOption(
      option.setName('image').setDescription('Start from this image (PNG, JPEG or WebP): img2img'),
      'commands.imagine.image',
    ),
  )
  .addNumberOption((option) =>
    localizeOption(
      option
        .setName('strength')
        .setDescription('How much of the image to change with an image (0-1, default 0.75)')
        .setMinValue(0)
        .setMaxValue(1),
      'commands.imagine.strength',
    ),
  )
  .addStringOption((option) =>
    localizeOption(
      option
        .setName('lora')
        .setDescription('LoRAs: name or name:0.8, several separated by commas (see /loras)')
        .setMaxLength(300)
        .setAutocomplete(true),
      'commands.imagine.lora',
    ),
  )
  .addStringOption((option) =>
    localizeOption(
      option.setName('style').setDescription('A style to apply').setMaxLength(100).setAutocomplete(true),
      'commands.imagine.style',
    ),
  )
  .addStringOption((option) =>
    localizeOption(
      option
        .setName('hires')
        .setDescription('Hires fix: scale, then denoise and upscaler, e.g. "2 R-ESRGAN 4x+ 0.4"')
        .setMaxLength(100)
        .setAutocomplete(true),
      'commands.imagine.hires',
    ),
  )
  .addBooleanOption((option) =>
    localizeOption(
      option.setName('adetailer').setDescription('Fix faces with ADetailer (where the server has it)'),
      'commands.imagine.adetailer',
    ),
  )
  .toJSON();
