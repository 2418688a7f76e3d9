import { en as settingsEn } from './settings/en.js';
/** The refusals texts, in English (the source every locale translates). */
export const en = {
  // /imagine options (validateImagineInput); derived jobs reuse the prompt ones.
  'refusals.imagine.promptEmpty': 'The prompt is empty.',
  'refusals.imagine.promptTooLong': 'The prompt is {length} characters; the limit is {limit}.',
  'refusals.imagine.negativeTooLong': 'The negative prompt is {length} characters; the limit is {limit}.',
  'refusals.imagine.seedRange': 'Seed must be a whole number from {min} to {max}.',
  'refusals.imagine.stepsRange': 'Steps must be a whole number from {min} to {max}.',
  'refusals.imagine.countRange': 'Count must be a whole number from {min} to {max}.',
  'refusals.imagine.widthRange': 'Width must be a whole number from {min} to {max}.',
  'refusals.imagine.heightRange': 'Height must be a whole number from {min} to {max}.',
  'refusals.imagine.cfgRange': 'CFG scale must be a number from {min} to {max}.',
  'refusals.imagine.samplerNameTooLong': 'The sampler name is {length} characters; the limit is {limit}.',
  'refusals.imagine.schedulerNameTooLong': 'The scheduler name is {length} characters; the limit is {limit}.',
  'refusals.imagine.modelNameTooLong': 'The model name is {length} characters; the limit is {limit}.',
  'refusals.imagine.widthMultiple': 'Width must be a multiple of {multiple} (got {value}).',
  'refusals.imagine.heightMultiple': 'Height must be a multiple of {multiple} (got {value}).',
  'refusals.imagine.aspectUnknown': 'Unknown aspect ratio "{aspect}". Choose one of {choices}.',
  'refusals.imagine.aspectAndSize': 'Choose either an aspect ratio or a width and height, not both.',
  'refusals.imagine.tooManyPixels':
    '{width}×{height} is {pixels} pixels; the limit is {limit} pixels per image (for example {side}×{side}).',
  'refusals.imagine.totalPixels':
    '{count} images of {width}×{height} is {total} pixels in all; the limit (MAX_TOTAL_PIXELS) is {limit} pixels per request. Ask for fewer or smaller images.',
  'refusals.imagine.totalPixelsOne':
    '1 image of {width}×{height} is {total} pixels in all; the limit (MAX_TOTAL_PIXELS) is {limit} pixels per request. Ask for fewer or smaller images.',

  // img2img (the image and strength options).
  'refusals.img2img.strengthRange': 'Strength must be a number from {min} to {max}.',
  'refusals.img2img.strengthWithoutImage':
    'Strength only applies to an image: attach one with the image option.',
  'refusals.img2img.tooManyPixels': '{width}×{height} is over the limit of {limit} pixels per image.',
  'refusals.img2img.totalPixels':
    '{count} images of {width}×{height} is {total} pixels in all; the limit (MAX_TOTAL_PIXELS) is {limit} pixels per request. Ask for fewer images.',

  // The input image (download and checks).
  'refusals.input.tooLarge':
    'The image is {size}; the limit is {limit}. Send a smaller image (or a JPEG or WebP).',
  'refusals.input.tooLargeStreamed':
    'The image is over {limit}; the limit is {limit}. Send a smaller image (or a JPEG or WebP).',
  'refusals.input.downloadFailed': 'Could not download the image from Discord. Try again in a moment.',
  'refusals.input.notAnImage':
    'The attachment is not a PNG, JPEG or WebP image (whatever its name says). Attach one of those.',
  'refusals.input.tooManyPixels':
    'The image is {width}×{height} ({pixels} pixels); the limit is {limit} pixels. Send a smaller image.',
  'refusals.input.tooSmall': 'The image is {width}×{height}; it must be at least {min}×{min}.',

  // Jobs made by result buttons, checked again against today's limits.
  'refusals.derived.upscaleTooLarge':
    'Upscaling by {factor} gives {width}×{height} ({pixels} pixels); the limit (MAX_TOTAL_PIXELS) is {limit} pixels.',
  'refusals.derived.steps': 'Steps must be at most {max} now.',
  'refusals.derived.count': 'At most {max} images per request now.',
  'refusals.derived.tooManyPixels': '{width}×{height} is over the limit of {limit} pixels per image now.',
  'refusals.derived.totalPixels':
    '{count} images of {width}×{height} is {total} pixels in all; the limit (MAX_TOTAL_PIXELS) is {limit}.',

  // Names checked against the servers' lists.
  'refusals.model.unknown': 'Unknown model "{model}".',
  'refusals.model.unknownClosest': 'Unknown model "{model}". Closest: {closest}.',
  'refusals.model.unknownHint': 'Unknown model "{model}". Use /models to see them all.',
  'refusals.model.unknownClosestHint':
    'Unknown model "{model}". Closest: {closest}. Use /models to see them all.',
  'refusals.sampler.unknown': 'Unknown sampler "{name}". This server has: {names}.',
  'refusals.sampler.unknownMore': 'Unknown sampler "{name}". This server has: {names} and {more} more.',
  'refusals.scheduler.unknown': 'Unknown scheduler "{name}". This server has: {names}.',
  'refusals.scheduler.unknownMore': 'Unknown scheduler "{name}". This server has: {names} and {more} more.',
  'refusals.upscaler.unknown': 'Unknown upscaler "{name}".',
  'refusals.upscaler.unknownClosest': 'Unknown upscaler "{name}". Closest: {closest}.',

  // The features of /imagine.
  'refusals.features.lorasOff': 'LoRAs are turned off on this Discord server.',
  'refusals.features.stylesOff': 'Styles are turned off on this Discord server.',
  'refusals.features.hiresOff': 'Hires fix is turned off on this Discord server.',
  'refusals.features.adetailerOff': 'ADetailer is turned off on this Discord server.',
  'refusals.features.variantsOff': 'Prompt variants ({syntax}) are turned off on this Discord server.',
  'refusals.features.noLoraServer': 'No image server here takes LoRAs.',
  'refusals.features.noHiresServer': 'No image server here does hires fix.',
  'refusals.features.noAdetailerServer': 'No image server here has ADetailer (or a face detailer).',
  'refusals.loras.noName': '"{entry}" names no LoRA; write name or name:0.8.',
  'refusals.loras.badName': '"{name}" is not a LoRA name; write name or name:0.8.',
  'refusals.loras.badWeight': '"{weight}" is not a weight for {name}; write {name}:0.8.',
  'refusals.loras.weightRange': 'The weight of {name} is {weight}; use a number from {min} to {max}.',
  'refusals.loras.twice': '{name} is named twice; name each LoRA once.',
  'refusals.loras.tooManyPerImage': 'That is {count} LoRAs; at most {max} are allowed per image.',
  'refusals.loras.tooManyPerRequest': 'That is {count} LoRAs; at most {max} are allowed per request.',
  'refusals.loras.unknown': 'Unknown LoRA "{name}". Use /loras to see them all.',
  'refusals.loras.unknownClosest': 'Unknown LoRA "{name}". Closest: {closest}. Use /loras to see them all.',
  'refusals.styles.unknownClosest': 'Unknown style "{name}". Closest: {closest}.',
  'refusals.styles.unknownNone': 'Unknown style "{name}". This server has none.',
  'refusals.hires.empty':
    'The hires option is empty. Write a scale first, such as 2 or 1.5x, then optionally a denoise such as 0.4 and an upscaler.',
  'refusals.hires.notScaleOrSize':
    '"{text}" is not a scale or a size. Write a scale first, such as 2 or 1.5x, then optionally a denoise such as 0.4 and an upscaler.',
  'refusals.hires.tooSmall': '{width}×{height} is too small for hires fix; each side needs {min} pixels.',
  'refusals.hires.scaleRange': 'A hires scale of {value} is out of range; use more than 1 and at most {max}.',
  'refusals.hires.stepsTwice': 'The hires option gives steps twice.',
  'refusals.hires.stepsRange': 'Hires steps must be from 1 to {max}; {value} is out of range.',
  'refusals.hires.denoiseTwice': 'The hires option gives a denoise twice.',
  'refusals.hires.denoiseZero': 'A hires denoise of 0 changes nothing; use more than 0, up to 1.',
  'refusals.hires.img2img': 'Hires fix is for text-to-image; leave out the image.',
  'refusals.hires.mustEnlarge':
    'Hires fix must enlarge: {finalWidth}×{finalHeight} is not larger than {width}×{height}.',
  'refusals.hires.scaleTooHigh': 'That is a hires scale of {scale}; the most allowed is {max}.',
  'refusals.hires.perImageScaleFits':
    'Hires fix enlarges {width}×{height} to {finalWidth}×{finalHeight}, {pixels} pixels per image; the limit (MAX_PIXELS) is {limit}. A scale of at most {fits} fits.',
  'refusals.hires.perImageSmaller':
    'Hires fix enlarges {width}×{height} to {finalWidth}×{finalHeight}, {pixels} pixels per image; the limit (MAX_PIXELS) is {limit}. Choose a smaller first size or fewer images.',
  'refusals.hires.totalScaleFits':
    '{count} images of {finalWidth}×{finalHeight} after hires fix is {total} pixels in all; the limit (MAX_TOTAL_PIXELS) is {limit} pixels per request. A scale of at most {fits} fits.',
  'refusals.hires.totalSmaller':
    '{count} images of {finalWidth}×{finalHeight} after hires fix is {total} pixels in all; the limit (MAX_TOTAL_PIXELS) is {limit} pixels per request. Choose a smaller first size or fewer images.',
  'refusals.hires.totalOneScaleFits':
    '1 image of {finalWidth}×{finalHeight} after hires fix is {total} pixels in all; the limit (MAX_TOTAL_PIXELS) is {limit} pixels per request. A scale of at most {fits} fits.',
  'refusals.hires.totalOneSmaller':
    '1 image of {finalWidth}×{finalHeight} after hires fix is {total} pixels in all; the limit (MAX_TOTAL_PIXELS) is {limit} pixels per request. Choose a smaller first size or fewer images.',
  'refusals.variants.unclosed':
    'The "{open}" at character {position} has no matching "{close}". Close the group, or write {escapedOpen} for a literal brace.',
  'refusals.variants.strayClose':
    'The "{close}" at character {position} closes no "{open}". Write {escapedClose} for a literal brace.',
  'refusals.variants.tooMany':
    'The prompt makes {count} variants with its {syntax} choices; the limit is {limit}. Use fewer choices.',
  'refusals.variants.tooManyImages':
    'The prompt makes {variants} variants with its {syntax} choices; with {count} images each that is {images} images, and the limit is {limit} per request. Use fewer choices or a lower count.',
  'refusals.variants.tooManyImagesOne':
    'The prompt makes {variants} variants with its {syntax} choices; with 1 image each that is {images} images, and the limit is {limit} per request. Use fewer choices or a lower count.',

  // Blocked terms and quotas.
  'refusals.blocked.prompt':
    'Your prompt contains a term this server blocks, so nothing was generated. Rephrase it and try again.',
  'refusals.blocked.promptWord':
    'Your prompt contains a term this server blocks (“{word}”), so nothing was generated. Rephrase it and try again.',
  'refusals.blocked.negativePrompt':
    'Your negative prompt contains a term this server blocks, so nothing was generated. Rephrase it and try again.',
  'refusals.blocked.negativePromptWord':
    'Your negative prompt contains a term this server blocks (“{word}”), so nothing was generated. Rephrase it and try again.',
  'refusals.blocked.termEmpty': 'The term is empty.',
  'refusals.blocked.termTooLong': 'A blocked term may be at most {max} characters.',
  'refusals.blocked.patternUnsupported':
    'That pattern uses something the linear-time matcher does not support: backreferences (like `\\1`), lookarounds (like `(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`) or a repeat count above 1000. Rewrite it without them.',
  'refusals.blocked.patternInvalid': 'That is not a valid regular expression.',
  'refusals.blocked.already': 'That term is already blocked.',
  'refusals.blocked.full': 'This server already blocks {max} terms, the most it can. Remove one first.',
  'refusals.blocked.termAdded': 'Blocked term added ({count} in all).',
  'refusals.blocked.patternAdded': 'Blocked pattern added ({count} in all).',
  'refusals.blocked.notListed':
    'That term is not on this server’s blocked list. See /settings blocked-words list.',
  'refusals.blocked.removed': 'Blocked term removed ({count} left).',
  'refusals.quota.cooldownSecond':
    'You can make one request every 1 second in this server. Try again <t:{at}:R>.',
  'refusals.quota.cooldownSeconds':
    'You can make one request every {count} seconds in this server. Try again <t:{at}:R>.',
  'refusals.quota.cooldownMinute':
    'You can make one request every 1 minute in this server. Try again <t:{at}:R>.',
  'refusals.quota.cooldownMinutes':
    'You can make one request every {count} minutes in this server. Try again <t:{at}:R>.',
  'refusals.quota.cooldownHour':
    'You can make one request every 1 hour in this server. Try again <t:{at}:R>.',
  'refusals.quota.cooldownHours':
    'You can make one request every {count} hours in this server. Try again <t:{at}:R>.',
  'refusals.quota.hourlyLimit':
    'This server has reached its limit of {limit} requests per hour. Try again <t:{at}:R>.',
  'refusals.quota.hourlyLimitOne':
    'This server has reached its limit of 1 request per hour. Try again <t:{at}:R>.',

  // The audit channel (in the server's default locale).
  'refusals.audit.queued': '<@{userId}> asked for /{command} in <#{channelId}>',
  'refusals.audit.blocked': '<@{userId}> was refused (blocked term) for /{command} in <#{channelId}>',
  'refusals.audit.overQuota': '<@{userId}> was refused (quota) for /{command} in <#{channelId}>',
  'refusals.audit.buttonCommand': 'imagine (result button)',
  'refusals.audit.prompt': 'Prompt: {prompt}',
  'refusals.audit.negative': 'Negative: {prompt}',
  'refusals.nsfwMode.off': 'nothing is added',
  'refusals.nsfwMode.negativePrompt': 'the SFW negative prompt is added',
  'refusals.nsfwMode.spoiler': 'images are posted as spoilers',
  'refusals.nsfwMode.both': 'the SFW negative prompt is added and images are posted as spoilers',

  // /settings features and style.
  'refusals.features.resetAll': 'Every feature setting is back to the bot’s default (styles are kept).',
  'refusals.features.lorasAllowed': 'LoRAs: allowed.',
  'refusals.features.lorasTurnedOff': 'LoRAs: turned off.',
  'refusals.features.stylesAllowed': 'Styles: allowed.',
  'refusals.features.stylesTurnedOff': 'Styles: turned off.',
  'refusals.features.hiresAllowed': 'Hires fix: allowed.',
  'refusals.features.hiresTurnedOff': 'Hires fix: turned off.',
  'refusals.features.adetailerAllowed': 'ADetailer: allowed.',
  'refusals.features.adetailerTurnedOff': 'ADetailer: turned off.',
  'refusals.features.variantsAllowed': 'Prompt variants: allowed.',
  'refusals.features.variantsTurnedOff': 'Prompt variants: turned off.',
  'refusals.features.maxLorasRange': 'Most LoRAs must be a whole number from {min} to {max} (MAX_LORAS).',
  'refusals.features.maxLoras': 'Most LoRAs per request: {count}.',
  'refusals.features.maxHiresScaleRange':
    'The highest hires scale must be from {min} to {max} (MAX_HIRES_SCALE).',
  'refusals.features.maxHiresScale': 'Highest hires scale: {scale}.',
  'refusals.features.hiresUpscaler': 'Hires upscaler: {name}.',
  'refusals.features.hiresDenoiseRange': 'The hires denoise must be more than 0, up to 1.',
  'refusals.features.hiresDenoise': 'Hires denoise: {denoise}.',
  'refusals.features.hiresStepsRange': 'Hires steps must be a whole number from {min} to {max}.',
  'refusals.features.hiresSteps': 'Hires steps: {steps}.',
  'refusals.features.modelAndFamily': 'Give both a model and its family.',
  'refusals.features.familyAuto': '{model}: family detected again.',
  'refusals.features.family': '{model}: {family}.',
  'refusals.styles.needsName': 'The style needs a name.',
  'refusals.styles.notFound': 'There is no style "{name}" to remove.',
  'refusals.styles.removed': 'Style {name} removed.',
  'refusals.styles.needsPrompt': 'A style needs a prompt or a negative prompt addition.',
  'refusals.styles.promptTooLong': 'The style’s prompt is {length} characters; the limit is {limit}.',
  'refusals.styles.negativeTooLong':
    'The style’s negative prompt is {length} characters; the limit is {limit}.',
  'refusals.styles.full': 'This server already has {max} styles, the most it can. Remove one first.',
  'refusals.styles.added': 'Style {name} added: use it with /imagine style:{name}.',
  'refusals.styles.replaced': 'Style {name} replaced: use it with /imagine style:{name}.',
  'refusals.blockedList.empty': 'This server blocks no terms. Add one with /settings blocked-words add.',
  'refusals.blockedList.header': 'This server blocks {count} terms:',
  'refusals.blockedList.headerOne': 'This server blocks 1 term:',
  'refusals.blockedList.more': '…and {count} more.',
  ...settingsEn,
} as const satisfies Record<string, string>;
