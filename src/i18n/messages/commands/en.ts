import { en as settingsEn } from './settings/en.js';
/** The commands texts, in English (the source every locale translates). */
export const en = {
  // Cancel button
  'commands.cancel.cancelled': 'Cancelled.',
  'commands.cancel.interrupting': 'Stopping the generation…',
  'commands.cancel.pending':
    'Cancelled. The image server had not started it yet (it is finishing other work first); it is stopped the moment it starts, and nothing is delivered.',
  'commands.cancel.discarding':
    'Cancelled. This image server cannot stop a generation once it has started, so it will finish and the image will be thrown away.',
  'commands.cancel.finished': 'This job has already finished.',
  'commands.cancel.alreadyCancelled': 'This job was already cancelled.',
  'commands.cancel.jobGone': 'That job no longer exists.',
  'commands.cancel.notYours': 'Only the member who asked for this image (or a moderator) can cancel it.',

  // Submitting a job
  'commands.submit.shuttingDown':
    'The bot is restarting and not taking new images right now. Try again in a minute.',
  'commands.submit.userLimit':
    'You already have {limit} images waiting or in progress (the limit per member). Wait for one to finish or cancel one.',
  'commands.submit.queueFull': 'The queue is full ({limit} images). Try again in a few minutes.',

  // A job no server can run
  'commands.unroutable.anyModel': 'No image server here can run this job. {holds}.',
  'commands.unroutable.model':
    'No image server here can use **{model}**: {holds}. Pick one of those models, or see /models.',
  'commands.unroutable.holds': '{server} has `{model}`',
  'commands.unroutable.holdsEngine': '{server} ({engine}) has `{model}`',
  'commands.unroutable.holdsFixed': '{server} ({engine}) has `{model}` (fixed: it cannot switch)',
  'commands.unroutable.noModelLoaded': 'no model loaded',

  // Servers by name
  'commands.server.idle': 'idle',
  'commands.server.busy': 'busy',
  'commands.server.down': 'down',

  // The router
  'commands.router.unknownCommand': 'This command is not available any more.',
  'commands.router.unknownButton': 'This button is no longer available.',
  'commands.router.unknownForm': 'This form is no longer available.',
  'commands.router.withReference': '{text} (reference {reference})',

  // Result buttons
  'commands.result.jobGone':
    'This result is no longer stored, so its buttons cannot work any more. Use /imagine to start again.',
  'commands.result.jobUnfinished': 'That job did not finish with an image, so there is nothing to work from.',
  'commands.result.noChannel': 'This button only works in a channel.',
  'commands.result.notAGeneration':
    'An upscaled image cannot be generated again. Use the buttons of its original.',
  'commands.result.cannotUpscale':
    'The image server cannot upscale images (it has no upscaler route), so nothing was upscaled.',
  'commands.result.serverUnreachable': 'The image server is not reachable right now. Try again in a minute.',
  'commands.result.unknownUpscaler':
    'The upscaler "{name}" (UPSCALER) is not installed on the image server, so nothing was upscaled. Ask the bot’s operator to set UPSCALER to one of: {available}.',
  'commands.result.unknownUpscalerNoneListed':
    'The upscaler "{name}" (UPSCALER) is not installed on the image server, so nothing was upscaled, and the server lists no other upscaler. Ask the bot’s operator to install one.',
  'commands.result.originalGoneUpscale':
    'The original of this image is no longer kept, so it cannot be upscaled.',
  'commands.result.originalGone': 'The original of this image is no longer kept.',
  'commands.result.remixModalTitle': 'Remix',
  'commands.result.promptLabel': 'Prompt',
  'commands.result.negativePromptLabel': 'Negative prompt',
  'commands.result.negativeTooLong': 'The negative prompt is {length} characters; the limit is {limit}.',
  'commands.result.infoGone': 'This result is no longer stored, so there is nothing to show.',
  'commands.result.deleteNotYours':
    'Only the member who asked for this image (or a moderator) can delete it.',
  'commands.result.deleteGone': 'This result is no longer stored; only a moderator can delete it now.',
  'commands.result.deleted': 'Deleted.',

  // Paged lists
  'commands.pages.missing': 'That page does not exist.',
  'commands.loras.notYours': 'Only the member who ran /loras can turn its pages. Run /loras yourself.',
  'commands.models.notYours': 'Only the member who ran /models can turn its pages. Run /models yourself.',
  'commands.models.rescanForbidden': 'Rescanning the model folder needs the Manage Server permission.',

  // /setmodel
  'commands.setmodel.guildOnly': 'Use /setmodel in a server.',
  'commands.setmodel.forbidden': 'Changing the server’s model needs the Manage Server permission.',
  'commands.setmodel.unknown': 'Unknown model "{input}". Use /models to see them all.',
  'commands.setmodel.unknownClosest':
    'Unknown model "{input}". Closest: {closest}. Use /models to see them all.',
  'commands.setmodel.loading': 'Loading **{model}** … this can take a minute or two.',
  'commands.setmodel.keepsFixed': 'keeps `{model}` ({engine} cannot switch models)',
  'commands.setmodel.itsModel': 'its model',
  'commands.setmodel.stillLoaded': 'it still has `{model}` loaded (the load failed; the WebUI log says why)',
  'commands.setmodel.noModel': 'no model',
  'commands.setmodel.failed': 'Could not switch to **{model}**.',
  'commands.setmodel.defaultStays': 'This server’s default stays **{model}**.',
  'commands.setmodel.defaultStaysUnset': 'This server’s default stays unset.',
  'commands.setmodel.switched': 'Switched to **{model}**. It is now this server’s default for /imagine.',
  'commands.setmodel.fixedElsewhere': '{line}: jobs for this model go to the servers that have it.',

  // /queue
  'commands.queue.title': 'Queue',
  'commands.queue.summary': '**{waiting}** waiting, **{running}** generating.',
  'commands.queue.yours': '**Yours**',
  'commands.queue.nothing': 'Nothing in line.',
  'commands.queue.servers': '**Image servers**',
  'commands.queue.generatingNow': 'generating now',
  'commands.queue.position': 'position {position} of {total}',
  'commands.queue.limits': 'It {limits}.',

  // What a server cannot do (the short form for /queue, the long one for doctor and the logs)
  'commands.limit.noProgress': 'shows no progress while it works',
  'commands.limit.noProgressDetail': 'shows no progress while it works: the reply says how long it has been',
  'commands.limit.globalProgress': 'reports progress for the whole server only',
  'commands.limit.globalProgressDetail':
    'reports progress for the whole server only: the bot shows it while its job is the only one there',
  'commands.limit.noPreview': 'sends no live preview',
  'commands.limit.noPreviewDetail': 'sends no live preview',
  'commands.limit.noInterrupt': 'cannot stop one generation without stopping others',
  'commands.limit.noInterruptDetail':
    'cannot stop one generation without stopping others: a cancelled image is finished and thrown away',
  'commands.limit.noUpscale': 'cannot upscale images',
  'commands.limit.noUpscaleDetail':
    'cannot upscale images: the Upscale button goes to a server that can, or is not offered',
  'commands.limit.fixedModel': 'has one model, chosen when it was started',
  'commands.limit.fixedModelDetail': 'has one model, chosen when it was started: it cannot switch models',
  'commands.limit.noImg2img': 'cannot start from an image (img2img)',
  'commands.limit.noImg2imgDetail': 'cannot start from an image (img2img)',
  'commands.limit.noSchedulers': 'has no scheduler choice of its own',
  'commands.limit.noSchedulersDetail': 'has no scheduler choice of its own',
  'commands.limit.combinedSchedulers': 'names samplers with their schedule ("DPM++ 2M Karras")',
  'commands.limit.combinedSchedulersDetail':
    'names samplers with their schedule ("DPM++ 2M Karras"): the bot combines them',
  'commands.limit.sizeMultiple': 'needs sizes in multiples of {multiple}',
  'commands.limit.sizeMultipleDetail': 'needs sizes in multiples of {multiple}: the bot rounds them',
  'commands.limit.ownSeeds': 'seeds a random image from the clock',
  'commands.limit.ownSeedsDetail': 'seeds a random image from the clock: the bot picks every seed itself',
  'commands.limit.noLoras': 'lists no LoRAs',
  'commands.limit.noLorasDetail': 'lists no LoRAs',
  'commands.limit.noStyles': 'has no saved styles',
  'commands.limit.noStylesDetail': 'has no saved styles',

  // Registration: command, subcommand, option and choice names and descriptions (Discord's localizations)
  'commands.imagine.commandName': 'imagine',
  'commands.imagine.commandDescription': 'Generate an image from a prompt',
  'commands.imagine.promptOptionName': 'prompt',
  'commands.imagine.promptOptionDescription': 'What to draw',
  'commands.imagine.negativePromptOptionName': 'negative_prompt',
  'commands.imagine.negativePromptOptionDescription': 'What to avoid (embeddings are autocompleted)',
  'commands.imagine.aspectOptionName': 'aspect',
  'commands.imagine.aspectOptionDescription': 'Aspect ratio (instead of width and height)',
  'commands.imagine.widthOptionName': 'width',
  'commands.imagine.widthOptionDescription': 'Width in pixels, a multiple of 8',
  'commands.imagine.heightOptionName': 'height',
  'commands.imagine.heightOptionDescription': 'Height in pixels, a multiple of 8',
  'commands.imagine.stepsOptionName': 'steps',
  'commands.imagine.stepsOptionDescription': 'Sampling steps',
  'commands.imagine.cfgScaleOptionName': 'cfg_scale',
  'commands.imagine.cfgScaleOptionDescription': 'How strictly to follow the prompt (1-30)',
  'commands.imagine.seedOptionName': 'seed',
  'commands.imagine.seedOptionDescription': 'Seed (-1 or empty for random)',
  'commands.imagine.samplerOptionName': 'sampler',
  'commands.imagine.samplerOptionDescription': 'Sampler',
  'commands.imagine.schedulerOptionName': 'scheduler',
  'commands.imagine.schedulerOptionDescription': 'Scheduler',
  'commands.imagine.countOptionName': 'count',
  'commands.imagine.countOptionDescription': 'How many images (1-4)',
  'commands.imagine.modelOptionName': 'model',
  'commands.imagine.modelOptionDescription': 'Checkpoint',
  'commands.imagine.imageOptionName': 'image',
  'commands.imagine.imageOptionDescription': 'Start from this image (PNG, JPEG or WebP): img2img',
  'commands.imagine.strengthOptionName': 'strength',
  'commands.imagine.strengthOptionDescription':
    'How much of the image to change with an image (0-1, default 0.75)',
  'commands.imagine.loraOptionName': 'lora',
  'commands.imagine.loraOptionDescription':
    'LoRAs: name or name:0.8, several separated by commas (see /loras)',
  'commands.imagine.styleOptionName': 'style',
  'commands.imagine.styleOptionDescription': 'A style to apply',
  'commands.imagine.hiresOptionName': 'hires',
  'commands.imagine.hiresOptionDescription':
    'Hires fix: scale, then denoise and upscaler, e.g. "2 R-ESRGAN 4x+ 0.4"',
  'commands.imagine.adetailerOptionName': 'adetailer',
  'commands.imagine.adetailerOptionDescription': 'Fix faces with ADetailer (where the server has it)',

  'commands.models.commandName': 'models',
  'commands.models.commandDescription': 'List the checkpoints on the image server',
  'commands.models.rescanOptionName': 'rescan',
  'commands.models.rescanOptionDescription': 'Rescan the model folder first (Manage Server)',

  'commands.setmodel.commandName': 'setmodel',
  'commands.setmodel.commandDescription': 'Switch the checkpoint and make it this server’s default',
  'commands.setmodel.modelOptionName': 'model',
  'commands.setmodel.modelOptionDescription': 'Checkpoint',

  'commands.queue.commandName': 'queue',
  'commands.queue.commandDescription': 'Your images in line, the queue length and the image servers’ state',

  'commands.loras.commandName': 'loras',
  'commands.loras.commandDescription': 'List the LoRAs (or embeddings) on the image servers',
  'commands.loras.showOptionName': 'show',
  'commands.loras.showOptionDescription': 'LoRAs (default) or embeddings',
  'commands.loras.lorasChoice': 'loras',
  'commands.loras.embeddingsChoice': 'embeddings',
  ...settingsEn,
} as const satisfies Record<string, string>;
