import type { AreaCatalog } from '../area.js';
import type { en } from './en.js';
import { ru as settingsRu } from './settings/ru.js';

export const ru: AreaCatalog<typeof en> = {
  'refusals.imagine.promptEmpty': 'Промпт пустой.',
  'refusals.imagine.promptTooLong': 'Длина промпта — {length} симв.; максимум — {limit}.',
  'refusals.imagine.negativeTooLong': 'Длина негативного промпта — {length} симв.; максимум — {limit}.',
  'refusals.imagine.seedRange': 'Сид должен быть целым числом от {min} до {max}.',
  'refusals.imagine.stepsRange': 'Число шагов должно быть целым числом от {min} до {max}.',
  'refusals.imagine.countRange': 'Количество должно быть целым числом от {min} до {max}.',
  'refusals.imagine.widthRange': 'Ширина должна быть целым числом от {min} до {max}.',
  'refusals.imagine.heightRange': 'Высота должна быть целым числом от {min} до {max}.',
  'refusals.imagine.cfgRange': 'Шкала CFG должна быть числом от {min} до {max}.',
  'refusals.imagine.samplerNameTooLong': 'Длина имени сэмплера — {length} симв.; максимум — {limit}.',
  'refusals.imagine.schedulerNameTooLong': 'Длина имени планировщика — {length} симв.; максимум — {limit}.',
  'refusals.imagine.modelNameTooLong': 'Длина имени модели — {length} симв.; максимум — {limit}.',
  'refusals.imagine.widthMultiple': 'Ширина должна быть кратна {multiple} (указано: {value}).',
  'refusals.imagine.heightMultiple': 'Высота должна быть кратна {multiple} (указано: {value}).',
  'refusals.imagine.aspectUnknown': 'Неизвестное соотношение сторон «{aspect}». Выберите одно из: {choices}.',
  'refusals.imagine.aspectAndSize':
    'Укажите либо соотношение сторон, либо ширину и высоту, но не то и другое сразу.',
  'refusals.imagine.tooManyPixels':
    '{width}×{height} — это {pixels} пикс.; на одно изображение допускается не больше {limit} пикс. (например, {side}×{side}).',
  'refusals.imagine.totalPixels':
    'Изображений {width}×{height}: {count}, всего {total} пикс.; лимит на запрос (MAX_TOTAL_PIXELS) — {limit} пикс. Попросите меньше изображений или поменьше размером.',
  'refusals.imagine.totalPixelsOne':
    'Одно изображение {width}×{height} — это {total} пикс.; лимит на запрос (MAX_TOTAL_PIXELS) — {limit} пикс. Попросите меньше изображений или поменьше размером.',

  'refusals.img2img.strengthRange': 'Сила должна быть числом от {min} до {max}.',
  'refusals.img2img.strengthWithoutImage':
    'Сила применяется только к изображению: прикрепите его через параметр image.',
  'refusals.img2img.tooManyPixels': '{width}×{height} превышает лимит в {limit} пикс. на изображение.',
  'refusals.img2img.totalPixels':
    'Изображений {width}×{height}: {count}, всего {total} пикс.; лимит на запрос (MAX_TOTAL_PIXELS) — {limit} пикс. Попросите меньше изображений.',

  'refusals.input.tooLarge':
    'Размер изображения — {size}; максимум — {limit}. Отправьте изображение поменьше (или JPEG либо WebP).',
  'refusals.input.tooLargeStreamed':
    'Изображение больше {limit}; максимум — {limit}. Отправьте изображение поменьше (или JPEG либо WebP).',
  'refusals.input.downloadFailed':
    'Не удалось скачать изображение из Discord. Попробуйте ещё раз чуть позже.',
  'refusals.input.notAnImage':
    'Вложение — не изображение PNG, JPEG или WebP (как бы ни назывался файл). Прикрепите файл в одном из этих форматов.',
  'refusals.input.tooManyPixels':
    'Изображение {width}×{height} ({pixels} пикс.); максимум — {limit} пикс. Отправьте изображение поменьше.',
  'refusals.input.tooSmall': 'Изображение {width}×{height}; нужно не меньше {min}×{min}.',

  'refusals.derived.upscaleTooLarge':
    'Увеличение в {factor} раза даёт {width}×{height} ({pixels} пикс.); лимит (MAX_TOTAL_PIXELS) — {limit} пикс.',
  'refusals.derived.steps': 'Теперь шагов может быть не больше {max}.',
  'refusals.derived.count': 'Теперь на запрос — не больше {max} изобр.',
  'refusals.derived.tooManyPixels': '{width}×{height} теперь превышает лимит в {limit} пикс. на изображение.',
  'refusals.derived.totalPixels':
    'Изображений {width}×{height}: {count}, всего {total} пикс.; лимит (MAX_TOTAL_PIXELS) — {limit}.',

  'refusals.model.unknown': 'Неизвестная модель «{model}».',
  'refusals.model.unknownClosest': 'Неизвестная модель «{model}». Ближайшие: {closest}.',
  'refusals.model.unknownHint': 'Неизвестная модель «{model}». Все модели — в /models.',
  'refusals.model.unknownClosestHint':
    'Неизвестная модель «{model}». Ближайшие: {closest}. Все модели — в /models.',
  'refusals.sampler.unknown': 'Неизвестный сэмплер «{name}». На этом сервере есть: {names}.',
  'refusals.sampler.unknownMore': 'Неизвестный сэмплер «{name}». На этом сервере есть: {names} и ещё {more}.',
  'refusals.scheduler.unknown': 'Неизвестный планировщик «{name}». На этом сервере есть: {names}.',
  'refusals.scheduler.unknownMore':
    'Неизвестный планировщик «{name}». На этом сервере есть: {names} и ещё {more}.',
  'refusals.upscaler.unknown': 'Неизвестный апскейлер «{name}».',
  'refusals.upscaler.unknownClosest': 'Неизвестный апскейлер «{name}». Ближайшие: {closest}.',

  'refusals.features.lorasOff': 'LoRA отключены на этом сервере Discord.',
  'refusals.features.stylesOff': 'Стили отключены на этом сервере Discord.',
  'refusals.features.hiresOff': 'Hires fix отключён на этом сервере Discord.',
  'refusals.features.adetailerOff': 'ADetailer отключён на этом сервере Discord.',
  'refusals.features.variantsOff': 'Варианты промпта ({syntax}) отключены на этом сервере Discord.',
  'refusals.features.noLoraServer': 'Здесь нет сервера изображений, который принимает LoRA.',
  'refusals.features.noHiresServer': 'Здесь нет сервера изображений, который умеет hires fix.',
  'refusals.features.noAdetailerServer': 'Здесь нет сервера изображений с ADetailer (или детализацией лиц).',
  'refusals.loras.noName': '«{entry}» не называет LoRA; напишите name или name:0.8.',
  'refusals.loras.badName': '«{name}» — не имя LoRA; напишите name или name:0.8.',
  'refusals.loras.badWeight': '«{weight}» — не вес для {name}; напишите {name}:0.8.',
  'refusals.loras.weightRange': 'Вес {name} равен {weight}; укажите число от {min} до {max}.',
  'refusals.loras.twice': '{name} указана дважды; указывайте каждую LoRA один раз.',
  'refusals.loras.tooManyPerImage': 'Указано LoRA: {count}; на изображение допускается не больше {max}.',
  'refusals.loras.tooManyPerRequest': 'Указано LoRA: {count}; на запрос допускается не больше {max}.',
  'refusals.loras.unknown': 'Неизвестная LoRA «{name}». Все LoRA — в /loras.',
  'refusals.loras.unknownClosest': 'Неизвестная LoRA «{name}». Ближайшие: {closest}. Все LoRA — в /loras.',
  'refusals.styles.unknownClosest': 'Неизвестный стиль «{name}». Ближайшие: {closest}.',
  'refusals.styles.unknownNone': 'Неизвестный стиль «{name}». На этом сервере стилей нет.',
  'refusals.hires.empty':
    'Параметр hires пуст. Сначала укажите масштаб, например 2 или 1.5x, затем при желании силу шумоподавления, например 0.4, и апскейлер.',
  'refusals.hires.notScaleOrSize':
    '«{text}» — не масштаб и не размер. Сначала укажите масштаб, например 2 или 1.5x, затем при желании силу шумоподавления, например 0.4, и апскейлер.',
  'refusals.hires.tooSmall':
    '{width}×{height} слишком мало для hires fix; каждая сторона — не меньше {min} пикс.',
  'refusals.hires.scaleRange':
    'Масштаб hires {value} вне допустимого диапазона; укажите больше 1 и не больше {max}.',
  'refusals.hires.stepsTwice': 'В параметре hires шаги указаны дважды.',
  'refusals.hires.stepsRange': 'Шагов hires должно быть от 1 до {max}; {value} — вне диапазона.',
  'refusals.hires.denoiseTwice': 'В параметре hires сила шумоподавления указана дважды.',
  'refusals.hires.denoiseZero':
    'Сила шумоподавления hires 0 ничего не меняет; укажите больше 0, но не больше 1.',
  'refusals.hires.img2img': 'Hires fix работает только при генерации из текста; уберите изображение.',
  'refusals.hires.mustEnlarge':
    'Hires fix должен увеличивать: {finalWidth}×{finalHeight} не больше, чем {width}×{height}.',
  'refusals.hires.scaleTooHigh': 'Это масштаб hires {scale}; максимум — {max}.',
  'refusals.hires.perImageScaleFits':
    'Hires fix увеличивает {width}×{height} до {finalWidth}×{finalHeight}, это {pixels} пикс. на изображение; лимит (MAX_PIXELS) — {limit}. Подойдёт масштаб не больше {fits}.',
  'refusals.hires.perImageSmaller':
    'Hires fix увеличивает {width}×{height} до {finalWidth}×{finalHeight}, это {pixels} пикс. на изображение; лимит (MAX_PIXELS) — {limit}. Выберите меньший исходный размер или меньше изображений.',
  'refusals.hires.totalScaleFits':
    'Изображений {finalWidth}×{finalHeight} после hires fix: {count}, всего {total} пикс.; лимит на запрос (MAX_TOTAL_PIXELS) — {limit} пикс. Подойдёт масштаб не больше {fits}.',
  'refusals.hires.totalSmaller':
    'Изображений {finalWidth}×{finalHeight} после hires fix: {count}, всего {total} пикс.; лимит на запрос (MAX_TOTAL_PIXELS) — {limit} пикс. Выберите меньший исходный размер или меньше изображений.',
  'refusals.hires.totalOneScaleFits':
    'Одно изображение {finalWidth}×{finalHeight} после hires fix — это {total} пикс.; лимит на запрос (MAX_TOTAL_PIXELS) — {limit} пикс. Подойдёт масштаб не больше {fits}.',
  'refusals.hires.totalOneSmaller':
    'Одно изображение {finalWidth}×{finalHeight} после hires fix — это {total} пикс.; лимит на запрос (MAX_TOTAL_PIXELS) — {limit} пикс. Выберите меньший исходный размер или меньше изображений.',
  'refusals.variants.unclosed':
    'У «{open}» на позиции {position} нет парной «{close}». Закройте группу или напишите {escapedOpen}, чтобы получить саму скобку.',
  'refusals.variants.strayClose':
    '«{close}» на позиции {position} не закрывает ни одну «{open}». Напишите {escapedClose}, чтобы получить саму скобку.',
  'refusals.variants.tooMany':
    'Выбор {syntax} в промпте даёт вариантов: {count}; максимум — {limit}. Сократите число вариантов выбора.',
  'refusals.variants.tooManyImages':
    'Выбор {syntax} в промпте даёт вариантов: {variants}; по {count} изобр. на каждый это {images} изобр., а лимит — {limit} на запрос. Сократите варианты выбора или количество.',
  'refusals.variants.tooManyImagesOne':
    'Выбор {syntax} в промпте даёт вариантов: {variants}; по одному изображению на каждый это {images} изобр., а лимит — {limit} на запрос. Сократите варианты выбора или количество.',

  'refusals.blocked.prompt':
    'В промпте есть слово, запрещённое на этом сервере, поэтому ничего не создано. Переформулируйте и попробуйте снова.',
  'refusals.blocked.promptWord':
    'В промпте есть слово, запрещённое на этом сервере («{word}»), поэтому ничего не создано. Переформулируйте и попробуйте снова.',
  'refusals.blocked.negativePrompt':
    'В негативном промпте есть слово, запрещённое на этом сервере, поэтому ничего не создано. Переформулируйте и попробуйте снова.',
  'refusals.blocked.negativePromptWord':
    'В негативном промпте есть слово, запрещённое на этом сервере («{word}»), поэтому ничего не создано. Переформулируйте и попробуйте снова.',
  'refusals.blocked.termEmpty': 'Слово пустое.',
  'refusals.blocked.termTooLong': 'Запрещённое слово может быть не длиннее {max} симв.',
  'refusals.blocked.patternUnsupported':
    'В этом шаблоне есть то, чего не поддерживает сопоставление за линейное время: обратные ссылки (например, `\\1`), просмотр вперёд или назад (например, `(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`) или число повторов больше 1000. Перепишите его без них.',
  'refusals.blocked.patternInvalid': 'Это не корректное регулярное выражение.',
  'refusals.blocked.already': 'Это слово уже запрещено.',
  'refusals.blocked.full': 'Запрещённых слов на этом сервере уже {max} — это максимум. Сначала удалите одно.',
  'refusals.blocked.termAdded': 'Запрещённое слово добавлено (всего: {count}).',
  'refusals.blocked.patternAdded': 'Запрещённый шаблон добавлен (всего: {count}).',
  'refusals.blocked.notListed':
    'Этого слова нет в списке запрещённых на этом сервере. Смотрите /settings blocked-words list.',
  'refusals.blocked.removed': 'Запрещённое слово удалено (осталось: {count}).',
  'refusals.quota.cooldownSecond':
    'На этом сервере можно отправлять один запрос в секунду. Попробуйте снова <t:{at}:R>.',
  'refusals.quota.cooldownSeconds':
    'На этом сервере можно отправлять один запрос раз в {count} с. Попробуйте снова <t:{at}:R>.',
  'refusals.quota.cooldownMinute':
    'На этом сервере можно отправлять один запрос в минуту. Попробуйте снова <t:{at}:R>.',
  'refusals.quota.cooldownMinutes':
    'На этом сервере можно отправлять один запрос раз в {count} мин. Попробуйте снова <t:{at}:R>.',
  'refusals.quota.cooldownHour':
    'На этом сервере можно отправлять один запрос в час. Попробуйте снова <t:{at}:R>.',
  'refusals.quota.cooldownHours':
    'На этом сервере можно отправлять один запрос раз в {count} ч. Попробуйте снова <t:{at}:R>.',
  'refusals.quota.hourlyLimit':
    'Сервер исчерпал лимит запросов в час ({limit}). Попробуйте снова <t:{at}:R>.',
  'refusals.quota.hourlyLimitOne': 'Сервер исчерпал лимит: один запрос в час. Попробуйте снова <t:{at}:R>.',

  'refusals.audit.queued': '<@{userId}> запросил(а) /{command} в <#{channelId}>',
  'refusals.audit.blocked': '<@{userId}>: отказ (запрещённое слово) для /{command} в <#{channelId}>',
  'refusals.audit.overQuota': '<@{userId}>: отказ (лимит) для /{command} в <#{channelId}>',
  'refusals.audit.buttonCommand': 'imagine (кнопка под результатом)',
  'refusals.audit.prompt': 'Промпт: {prompt}',
  'refusals.audit.negative': 'Негативный: {prompt}',
  'refusals.nsfwMode.off': 'ничего не добавляется',
  'refusals.nsfwMode.negativePrompt': 'добавляется негативный SFW-промпт',
  'refusals.nsfwMode.spoiler': 'изображения публикуются как спойлеры',
  'refusals.nsfwMode.both': 'добавляется негативный SFW-промпт, а изображения публикуются как спойлеры',

  'refusals.features.resetAll': 'Все настройки функций сброшены к значениям бота (стили сохранены).',
  'refusals.features.lorasAllowed': 'LoRA: разрешены.',
  'refusals.features.lorasTurnedOff': 'LoRA: отключены.',
  'refusals.features.stylesAllowed': 'Стили: разрешены.',
  'refusals.features.stylesTurnedOff': 'Стили: отключены.',
  'refusals.features.hiresAllowed': 'Hires fix: разрешён.',
  'refusals.features.hiresTurnedOff': 'Hires fix: отключён.',
  'refusals.features.adetailerAllowed': 'ADetailer: разрешён.',
  'refusals.features.adetailerTurnedOff': 'ADetailer: отключён.',
  'refusals.features.variantsAllowed': 'Варианты промпта: разрешены.',
  'refusals.features.variantsTurnedOff': 'Варианты промпта: отключены.',
  'refusals.features.maxLorasRange': 'Максимум LoRA должен быть целым числом от {min} до {max} (MAX_LORAS).',
  'refusals.features.maxLoras': 'Максимум LoRA на запрос: {count}.',
  'refusals.features.maxHiresScaleRange':
    'Максимальный масштаб hires должен быть от {min} до {max} (MAX_HIRES_SCALE).',
  'refusals.features.maxHiresScale': 'Максимальный масштаб hires: {scale}.',
  'refusals.features.hiresUpscaler': 'Апскейлер hires: {name}.',
  'refusals.features.hiresDenoiseRange': 'Сила шумоподавления hires должна быть больше 0 и не больше 1.',
  'refusals.features.hiresDenoise': 'Сила шумоподавления hires: {denoise}.',
  'refusals.features.hiresStepsRange': 'Шагов hires должно быть целое число от {min} до {max}.',
  'refusals.features.hiresSteps': 'Шагов hires: {steps}.',
  'refusals.features.modelAndFamily': 'Укажите и модель, и её семейство.',
  'refusals.features.familyAuto': '{model}: семейство снова определяется автоматически.',
  'refusals.features.family': '{model}: {family}.',
  'refusals.styles.needsName': 'Стилю нужно имя.',
  'refusals.styles.notFound': 'Стиля «{name}» для удаления нет.',
  'refusals.styles.removed': 'Стиль {name} удалён.',
  'refusals.styles.needsPrompt': 'Стилю нужно дополнение к промпту или к негативному промпту.',
  'refusals.styles.promptTooLong': 'Длина промпта стиля — {length} симв.; максимум — {limit}.',
  'refusals.styles.negativeTooLong': 'Длина негативного промпта стиля — {length} симв.; максимум — {limit}.',
  'refusals.styles.full': 'Стилей на этом сервере уже {max} — это максимум. Сначала удалите один.',
  'refusals.styles.added': 'Стиль {name} добавлен: используйте его через /imagine style:{name}.',
  'refusals.styles.replaced': 'Стиль {name} заменён: используйте его через /imagine style:{name}.',
  'refusals.blockedList.empty':
    'На этом сервере нет запрещённых слов. Добавьте через /settings blocked-words add.',
  'refusals.blockedList.header': 'Запрещённые слова на этом сервере ({count}):',
  'refusals.blockedList.headerOne': 'Запрещённое слово на этом сервере (1):',
  'refusals.blockedList.more': '…и ещё {count}.',
  ...settingsRu,
};
