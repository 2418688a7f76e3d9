import type { AreaCatalog } from '../area.js';
import type { en } from './en.js';
import { zhcn as settingsZhcn } from './settings/zh-CN.js';

export const zhcn: AreaCatalog<typeof en> = {
  'refusals.imagine.promptEmpty': '提示词为空。',
  'refusals.imagine.promptTooLong': '提示词有 {length} 个字符，上限为 {limit}。',
  'refusals.imagine.negativeTooLong': '反向提示词有 {length} 个字符，上限为 {limit}。',
  'refusals.imagine.seedRange': '种子必须是 {min} 到 {max} 之间的整数。',
  'refusals.imagine.stepsRange': '步数必须是 {min} 到 {max} 之间的整数。',
  'refusals.imagine.countRange': '数量必须是 {min} 到 {max} 之间的整数。',
  'refusals.imagine.widthRange': '宽度必须是 {min} 到 {max} 之间的整数。',
  'refusals.imagine.heightRange': '高度必须是 {min} 到 {max} 之间的整数。',
  'refusals.imagine.cfgRange': 'CFG 比例必须是 {min} 到 {max} 之间的数字。',
  'refusals.imagine.samplerNameTooLong': '采样器名称有 {length} 个字符，上限为 {limit}。',
  'refusals.imagine.schedulerNameTooLong': '调度器名称有 {length} 个字符，上限为 {limit}。',
  'refusals.imagine.modelNameTooLong': '模型名称有 {length} 个字符，上限为 {limit}。',
  'refusals.imagine.widthMultiple': '宽度必须是 {multiple} 的倍数（收到 {value}）。',
  'refusals.imagine.heightMultiple': '高度必须是 {multiple} 的倍数（收到 {value}）。',
  'refusals.imagine.aspectUnknown': '未知的宽高比“{aspect}”。请从 {choices} 中选择。',
  'refusals.imagine.aspectAndSize': '请只指定宽高比，或只指定宽度和高度，不能同时指定。',
  'refusals.imagine.tooManyPixels':
    '{width}×{height} 为 {pixels} 像素；每张图片的上限为 {limit} 像素（例如 {side}×{side}）。',
  'refusals.imagine.totalPixels':
    '{count} 张 {width}×{height} 的图片共 {total} 像素；每次请求的上限（MAX_TOTAL_PIXELS）为 {limit} 像素。请减少图片数量或缩小尺寸。',
  'refusals.imagine.totalPixelsOne':
    '1 张 {width}×{height} 的图片共 {total} 像素；每次请求的上限（MAX_TOTAL_PIXELS）为 {limit} 像素。请减少图片数量或缩小尺寸。',

  'refusals.img2img.strengthRange': '强度必须是 {min} 到 {max} 之间的数字。',
  'refusals.img2img.strengthWithoutImage': '强度只对图片有效：请用 image 选项附上一张图片。',
  'refusals.img2img.tooManyPixels': '{width}×{height} 超过了每张图片 {limit} 像素的上限。',
  'refusals.img2img.totalPixels':
    '{count} 张 {width}×{height} 的图片共 {total} 像素；每次请求的上限（MAX_TOTAL_PIXELS）为 {limit} 像素。请减少图片数量。',

  'refusals.input.tooLarge': '图片大小为 {size}，上限为 {limit}。请发送更小的图片（或 JPEG、WebP 格式）。',
  'refusals.input.tooLargeStreamed':
    '图片超过 {limit}，上限为 {limit}。请发送更小的图片（或 JPEG、WebP 格式）。',
  'refusals.input.downloadFailed': '无法从 Discord 下载图片。请稍后再试。',
  'refusals.input.notAnImage':
    '附件不是 PNG、JPEG 或 WebP 图片（无论文件名如何）。请附上其中一种格式的图片。',
  'refusals.input.tooManyPixels':
    '图片为 {width}×{height}（{pixels} 像素），上限为 {limit} 像素。请发送更小的图片。',
  'refusals.input.tooSmall': '图片为 {width}×{height}，至少需要 {min}×{min}。',

  'refusals.derived.upscaleTooLarge':
    '放大 {factor} 倍后为 {width}×{height}（{pixels} 像素）；上限（MAX_TOTAL_PIXELS）为 {limit} 像素。',
  'refusals.derived.steps': '现在步数最多为 {max}。',
  'refusals.derived.count': '现在每次请求最多 {max} 张图片。',
  'refusals.derived.tooManyPixels': '{width}×{height} 现在超过了每张图片 {limit} 像素的上限。',
  'refusals.derived.totalPixels':
    '{count} 张 {width}×{height} 的图片共 {total} 像素；上限（MAX_TOTAL_PIXELS）为 {limit}。',

  'refusals.model.unknown': '未知的模型“{model}”。',
  'refusals.model.unknownClosest': '未知的模型“{model}”。最接近的：{closest}。',
  'refusals.model.unknownHint': '未知的模型“{model}”。使用 /models 查看全部。',
  'refusals.model.unknownClosestHint': '未知的模型“{model}”。最接近的：{closest}。使用 /models 查看全部。',
  'refusals.sampler.unknown': '未知的采样器“{name}”。此服务器提供：{names}。',
  'refusals.sampler.unknownMore': '未知的采样器“{name}”。此服务器提供：{names}，以及另外 {more} 个。',
  'refusals.scheduler.unknown': '未知的调度器“{name}”。此服务器提供：{names}。',
  'refusals.scheduler.unknownMore': '未知的调度器“{name}”。此服务器提供：{names}，以及另外 {more} 个。',
  'refusals.upscaler.unknown': '未知的放大器“{name}”。',
  'refusals.upscaler.unknownClosest': '未知的放大器“{name}”。最接近的：{closest}。',

  'refusals.features.lorasOff': '此 Discord 服务器已关闭 LoRA。',
  'refusals.features.stylesOff': '此 Discord 服务器已关闭风格。',
  'refusals.features.hiresOff': '此 Discord 服务器已关闭高清修复（Hires fix）。',
  'refusals.features.adetailerOff': '此 Discord 服务器已关闭 ADetailer。',
  'refusals.features.variantsOff': '此 Discord 服务器已关闭提示词变体（{syntax}）。',
  'refusals.features.noLoraServer': '这里没有支持 LoRA 的图像服务器。',
  'refusals.features.noHiresServer': '这里没有支持高清修复的图像服务器。',
  'refusals.features.noAdetailerServer': '这里没有带 ADetailer（或面部修复）的图像服务器。',
  'refusals.loras.noName': '“{entry}”没有指明 LoRA；请写成 name 或 name:0.8。',
  'refusals.loras.badName': '“{name}”不是 LoRA 名称；请写成 name 或 name:0.8。',
  'refusals.loras.badWeight': '“{weight}”不是 {name} 的权重；请写成 {name}:0.8。',
  'refusals.loras.weightRange': '{name} 的权重为 {weight}；请使用 {min} 到 {max} 之间的数字。',
  'refusals.loras.twice': '{name} 出现了两次；每个 LoRA 只需写一次。',
  'refusals.loras.tooManyPerImage': '共 {count} 个 LoRA；每张图片最多 {max} 个。',
  'refusals.loras.tooManyPerRequest': '共 {count} 个 LoRA；每次请求最多 {max} 个。',
  'refusals.loras.unknown': '未知的 LoRA“{name}”。使用 /loras 查看全部。',
  'refusals.loras.unknownClosest': '未知的 LoRA“{name}”。最接近的：{closest}。使用 /loras 查看全部。',
  'refusals.styles.unknownClosest': '未知的风格“{name}”。最接近的：{closest}。',
  'refusals.styles.unknownNone': '未知的风格“{name}”。此服务器没有任何风格。',
  'refusals.hires.empty':
    'hires 选项为空。请先写放大倍数，例如 2 或 1.5x，然后可选地写去噪强度（例如 0.4）和放大器。',
  'refusals.hires.notScaleOrSize':
    '“{text}”既不是倍数也不是尺寸。请先写放大倍数，例如 2 或 1.5x，然后可选地写去噪强度（例如 0.4）和放大器。',
  'refusals.hires.tooSmall': '{width}×{height} 对高清修复来说太小；每边至少需要 {min} 像素。',
  'refusals.hires.scaleRange': '高清修复倍数 {value} 超出范围；请使用大于 1 且不超过 {max} 的值。',
  'refusals.hires.stepsTwice': 'hires 选项中步数出现了两次。',
  'refusals.hires.stepsRange': '高清修复步数必须在 1 到 {max} 之间；{value} 超出范围。',
  'refusals.hires.denoiseTwice': 'hires 选项中去噪强度出现了两次。',
  'refusals.hires.denoiseZero': '高清修复去噪强度为 0 不会有任何变化；请使用大于 0、不超过 1 的值。',
  'refusals.hires.img2img': '高清修复仅用于文生图；请去掉图片。',
  'refusals.hires.mustEnlarge': '高清修复必须放大：{finalWidth}×{finalHeight} 并不比 {width}×{height} 大。',
  'refusals.hires.scaleTooHigh': '高清修复倍数为 {scale}；最大允许 {max}。',
  'refusals.hires.perImageScaleFits':
    '高清修复把 {width}×{height} 放大到 {finalWidth}×{finalHeight}，每张 {pixels} 像素；上限（MAX_PIXELS）为 {limit}。倍数不超过 {fits} 即可。',
  'refusals.hires.perImageSmaller':
    '高清修复把 {width}×{height} 放大到 {finalWidth}×{finalHeight}，每张 {pixels} 像素；上限（MAX_PIXELS）为 {limit}。请选择更小的初始尺寸或减少图片数量。',
  'refusals.hires.totalScaleFits':
    '高清修复后 {count} 张 {finalWidth}×{finalHeight} 的图片共 {total} 像素；每次请求的上限（MAX_TOTAL_PIXELS）为 {limit} 像素。倍数不超过 {fits} 即可。',
  'refusals.hires.totalSmaller':
    '高清修复后 {count} 张 {finalWidth}×{finalHeight} 的图片共 {total} 像素；每次请求的上限（MAX_TOTAL_PIXELS）为 {limit} 像素。请选择更小的初始尺寸或减少图片数量。',
  'refusals.hires.totalOneScaleFits':
    '高清修复后 1 张 {finalWidth}×{finalHeight} 的图片共 {total} 像素；每次请求的上限（MAX_TOTAL_PIXELS）为 {limit} 像素。倍数不超过 {fits} 即可。',
  'refusals.hires.totalOneSmaller':
    '高清修复后 1 张 {finalWidth}×{finalHeight} 的图片共 {total} 像素；每次请求的上限（MAX_TOTAL_PIXELS）为 {limit} 像素。请选择更小的初始尺寸或减少图片数量。',
  'refusals.variants.unclosed':
    '第 {position} 个字符处的“{open}”没有对应的“{close}”。请闭合该组，或写 {escapedOpen} 表示字面的花括号。',
  'refusals.variants.strayClose':
    '第 {position} 个字符处的“{close}”没有对应的“{open}”。请写 {escapedClose} 表示字面的花括号。',
  'refusals.variants.tooMany': '提示词中的 {syntax} 选项会产生 {count} 个变体；上限为 {limit}。请减少选项。',
  'refusals.variants.tooManyImages':
    '提示词中的 {syntax} 选项会产生 {variants} 个变体；每个 {count} 张就是 {images} 张图片，而每次请求的上限为 {limit}。请减少选项或降低数量。',
  'refusals.variants.tooManyImagesOne':
    '提示词中的 {syntax} 选项会产生 {variants} 个变体；每个 1 张就是 {images} 张图片，而每次请求的上限为 {limit}。请减少选项或降低数量。',

  'refusals.blocked.prompt': '你的提示词包含此服务器屏蔽的词语，因此没有生成任何内容。请换个说法再试。',
  'refusals.blocked.promptWord':
    '你的提示词包含此服务器屏蔽的词语（“{word}”），因此没有生成任何内容。请换个说法再试。',
  'refusals.blocked.negativePrompt':
    '你的反向提示词包含此服务器屏蔽的词语，因此没有生成任何内容。请换个说法再试。',
  'refusals.blocked.negativePromptWord':
    '你的反向提示词包含此服务器屏蔽的词语（“{word}”），因此没有生成任何内容。请换个说法再试。',
  'refusals.blocked.termEmpty': '词语为空。',
  'refusals.blocked.termTooLong': '屏蔽词最多 {max} 个字符。',
  'refusals.blocked.patternUnsupported':
    '该模式使用了线性时间匹配器不支持的功能：反向引用（如 `\\1`）、环视（如 `(?=…)`、`(?!…)`、`(?<=…)`、`(?<!…)`）或超过 1000 的重复次数。请不用这些功能重写。',
  'refusals.blocked.patternInvalid': '这不是有效的正则表达式。',
  'refusals.blocked.already': '该词语已被屏蔽。',
  'refusals.blocked.full': '此服务器已屏蔽 {max} 个词语，已达上限。请先移除一个。',
  'refusals.blocked.termAdded': '已添加屏蔽词（共 {count} 个）。',
  'refusals.blocked.patternAdded': '已添加屏蔽模式（共 {count} 个）。',
  'refusals.blocked.notListed': '该词语不在此服务器的屏蔽列表中。请查看 /settings blocked-words list。',
  'refusals.blocked.removed': '已移除屏蔽词（剩余 {count} 个）。',
  'refusals.quota.cooldownSecond': '在此服务器中，你每 1 秒可以发起一次请求。请在 <t:{at}:R>再试。',
  'refusals.quota.cooldownSeconds': '在此服务器中，你每 {count} 秒可以发起一次请求。请在 <t:{at}:R>再试。',
  'refusals.quota.cooldownMinute': '在此服务器中，你每 1 分钟可以发起一次请求。请在 <t:{at}:R>再试。',
  'refusals.quota.cooldownMinutes': '在此服务器中，你每 {count} 分钟可以发起一次请求。请在 <t:{at}:R>再试。',
  'refusals.quota.cooldownHour': '在此服务器中，你每 1 小时可以发起一次请求。请在 <t:{at}:R>再试。',
  'refusals.quota.cooldownHours': '在此服务器中，你每 {count} 小时可以发起一次请求。请在 <t:{at}:R>再试。',
  'refusals.quota.hourlyLimit': '此服务器已达到每小时 {limit} 次请求的上限。请在 <t:{at}:R>再试。',
  'refusals.quota.hourlyLimitOne': '此服务器已达到每小时 1 次请求的上限。请在 <t:{at}:R>再试。',

  'refusals.audit.queued': '<@{userId}> 在 <#{channelId}> 请求了 /{command}',
  'refusals.audit.blocked': '<@{userId}> 在 <#{channelId}> 的 /{command} 被拒绝（屏蔽词）',
  'refusals.audit.overQuota': '<@{userId}> 在 <#{channelId}> 的 /{command} 被拒绝（配额）',
  'refusals.audit.buttonCommand': 'imagine（结果按钮）',
  'refusals.audit.prompt': '提示词：{prompt}',
  'refusals.audit.negative': '反向：{prompt}',
  'refusals.nsfwMode.off': '不添加任何内容',
  'refusals.nsfwMode.negativePrompt': '添加 SFW 反向提示词',
  'refusals.nsfwMode.spoiler': '图片以剧透形式发布',
  'refusals.nsfwMode.both': '添加 SFW 反向提示词，并以剧透形式发布图片',

  'refusals.features.resetAll': '所有功能设置已恢复为机器人的默认值（风格保留）。',
  'refusals.features.lorasAllowed': 'LoRA：允许。',
  'refusals.features.lorasTurnedOff': 'LoRA：已关闭。',
  'refusals.features.stylesAllowed': '风格：允许。',
  'refusals.features.stylesTurnedOff': '风格：已关闭。',
  'refusals.features.hiresAllowed': '高清修复：允许。',
  'refusals.features.hiresTurnedOff': '高清修复：已关闭。',
  'refusals.features.adetailerAllowed': 'ADetailer：允许。',
  'refusals.features.adetailerTurnedOff': 'ADetailer：已关闭。',
  'refusals.features.variantsAllowed': '提示词变体：允许。',
  'refusals.features.variantsTurnedOff': '提示词变体：已关闭。',
  'refusals.features.maxLorasRange': 'LoRA 最大数量必须是 {min} 到 {max} 之间的整数（MAX_LORAS）。',
  'refusals.features.maxLoras': '每次请求最多 LoRA 数：{count}。',
  'refusals.features.maxHiresScaleRange': '高清修复最大倍数必须在 {min} 到 {max} 之间（MAX_HIRES_SCALE）。',
  'refusals.features.maxHiresScale': '高清修复最大倍数：{scale}。',
  'refusals.features.hiresUpscaler': '高清修复放大器：{name}。',
  'refusals.features.hiresDenoiseRange': '高清修复去噪强度必须大于 0，且不超过 1。',
  'refusals.features.hiresDenoise': '高清修复去噪强度：{denoise}。',
  'refusals.features.hiresStepsRange': '高清修复步数必须是 {min} 到 {max} 之间的整数。',
  'refusals.features.hiresSteps': '高清修复步数：{steps}。',
  'refusals.features.modelAndFamily': '请同时指定模型及其系列。',
  'refusals.features.familyAuto': '{model}：重新自动识别系列。',
  'refusals.features.family': '{model}：{family}。',
  'refusals.styles.needsName': '风格需要一个名称。',
  'refusals.styles.notFound': '没有名为“{name}”的风格可移除。',
  'refusals.styles.removed': '已移除风格 {name}。',
  'refusals.styles.needsPrompt': '风格需要提供提示词或反向提示词的附加内容。',
  'refusals.styles.promptTooLong': '风格的提示词有 {length} 个字符，上限为 {limit}。',
  'refusals.styles.negativeTooLong': '风格的反向提示词有 {length} 个字符，上限为 {limit}。',
  'refusals.styles.full': '此服务器已有 {max} 个风格，已达上限。请先移除一个。',
  'refusals.styles.added': '已添加风格 {name}：使用 /imagine style:{name} 即可。',
  'refusals.styles.replaced': '已替换风格 {name}：使用 /imagine style:{name} 即可。',
  'refusals.blockedList.empty': '此服务器没有屏蔽任何词语。使用 /settings blocked-words add 添加。',
  'refusals.blockedList.header': '此服务器屏蔽了 {count} 个词语：',
  'refusals.blockedList.headerOne': '此服务器屏蔽了 1 个词语：',
  'refusals.blockedList.more': '……另有 {count} 个。',
  ...settingsZhcn,
};
