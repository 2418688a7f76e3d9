import type { AreaCatalog } from '../area.js';
import type { en } from './en.js';
import { eses as settingsEses } from './settings/es-ES.js';

export const eses: AreaCatalog<typeof en> = {
  'refusals.imagine.promptEmpty': 'El prompt está vacío.',
  'refusals.imagine.promptTooLong': 'El prompt tiene {length} caracteres; el límite es {limit}.',
  'refusals.imagine.negativeTooLong': 'El prompt negativo tiene {length} caracteres; el límite es {limit}.',
  'refusals.imagine.seedRange': 'La semilla debe ser un número entero de {min} a {max}.',
  'refusals.imagine.stepsRange': 'Los pasos deben ser un número entero de {min} a {max}.',
  'refusals.imagine.countRange': 'La cantidad debe ser un número entero de {min} a {max}.',
  'refusals.imagine.widthRange': 'El ancho debe ser un número entero de {min} a {max}.',
  'refusals.imagine.heightRange': 'El alto debe ser un número entero de {min} a {max}.',
  'refusals.imagine.cfgRange': 'La escala CFG debe ser un número de {min} a {max}.',
  'refusals.imagine.samplerNameTooLong':
    'El nombre del sampler tiene {length} caracteres; el límite es {limit}.',
  'refusals.imagine.schedulerNameTooLong':
    'El nombre del scheduler tiene {length} caracteres; el límite es {limit}.',
  'refusals.imagine.modelNameTooLong':
    'El nombre del modelo tiene {length} caracteres; el límite es {limit}.',
  'refusals.imagine.widthMultiple': 'El ancho debe ser múltiplo de {multiple} (se indicó {value}).',
  'refusals.imagine.heightMultiple': 'El alto debe ser múltiplo de {multiple} (se indicó {value}).',
  'refusals.imagine.aspectUnknown': 'Relación de aspecto «{aspect}» desconocida. Elige una de {choices}.',
  'refusals.imagine.aspectAndSize':
    'Indica una relación de aspecto o un ancho y un alto, pero no ambas cosas.',
  'refusals.imagine.tooManyPixels':
    '{width}×{height} son {pixels} píxeles; el límite es {limit} píxeles por imagen (por ejemplo, {side}×{side}).',
  'refusals.imagine.totalPixels':
    '{count} imágenes de {width}×{height} suman {total} píxeles; el límite (MAX_TOTAL_PIXELS) es {limit} píxeles por solicitud. Pide menos imágenes o más pequeñas.',
  'refusals.imagine.totalPixelsOne':
    'Una imagen de {width}×{height} suma {total} píxeles; el límite (MAX_TOTAL_PIXELS) es {limit} píxeles por solicitud. Pide menos imágenes o más pequeñas.',

  'refusals.img2img.strengthRange': 'La intensidad debe ser un número de {min} a {max}.',
  'refusals.img2img.strengthWithoutImage':
    'La intensidad solo se aplica a una imagen: adjunta una con la opción image.',
  'refusals.img2img.tooManyPixels': '{width}×{height} supera el límite de {limit} píxeles por imagen.',
  'refusals.img2img.totalPixels':
    '{count} imágenes de {width}×{height} suman {total} píxeles; el límite (MAX_TOTAL_PIXELS) es {limit} píxeles por solicitud. Pide menos imágenes.',

  'refusals.input.tooLarge':
    'La imagen ocupa {size}; el límite es {limit}. Envía una imagen más pequeña (o un JPEG o WebP).',
  'refusals.input.tooLargeStreamed':
    'La imagen ocupa más de {limit}; el límite es {limit}. Envía una imagen más pequeña (o un JPEG o WebP).',
  'refusals.input.downloadFailed':
    'No se pudo descargar la imagen de Discord. Vuelve a intentarlo en un momento.',
  'refusals.input.notAnImage':
    'El archivo adjunto no es una imagen PNG, JPEG o WebP (diga lo que diga su nombre). Adjunta una de esas.',
  'refusals.input.tooManyPixels':
    'La imagen mide {width}×{height} ({pixels} píxeles); el límite es {limit} píxeles. Envía una imagen más pequeña.',
  'refusals.input.tooSmall': 'La imagen mide {width}×{height}; debe medir al menos {min}×{min}.',

  'refusals.derived.upscaleTooLarge':
    'Escalar ×{factor} da {width}×{height} ({pixels} píxeles); el límite (MAX_TOTAL_PIXELS) es {limit} píxeles.',
  'refusals.derived.steps': 'Ahora los pasos pueden ser como máximo {max}.',
  'refusals.derived.count': 'Ahora se permiten como máximo {max} imágenes por solicitud.',
  'refusals.derived.tooManyPixels': '{width}×{height} supera ahora el límite de {limit} píxeles por imagen.',
  'refusals.derived.totalPixels':
    '{count} imágenes de {width}×{height} suman {total} píxeles; el límite (MAX_TOTAL_PIXELS) es {limit}.',

  'refusals.model.unknown': 'Modelo «{model}» desconocido.',
  'refusals.model.unknownClosest': 'Modelo «{model}» desconocido. Los más parecidos: {closest}.',
  'refusals.model.unknownHint': 'Modelo «{model}» desconocido. Usa /models para verlos todos.',
  'refusals.model.unknownClosestHint':
    'Modelo «{model}» desconocido. Los más parecidos: {closest}. Usa /models para verlos todos.',
  'refusals.sampler.unknown': 'Sampler «{name}» desconocido. Este servidor tiene: {names}.',
  'refusals.sampler.unknownMore': 'Sampler «{name}» desconocido. Este servidor tiene: {names} y {more} más.',
  'refusals.scheduler.unknown': 'Scheduler «{name}» desconocido. Este servidor tiene: {names}.',
  'refusals.scheduler.unknownMore':
    'Scheduler «{name}» desconocido. Este servidor tiene: {names} y {more} más.',
  'refusals.upscaler.unknown': 'Upscaler «{name}» desconocido.',
  'refusals.upscaler.unknownClosest': 'Upscaler «{name}» desconocido. Los más parecidos: {closest}.',

  'refusals.features.lorasOff': 'Los LoRA están desactivados en este servidor de Discord.',
  'refusals.features.stylesOff': 'Los estilos están desactivados en este servidor de Discord.',
  'refusals.features.hiresOff': 'El hires fix está desactivado en este servidor de Discord.',
  'refusals.features.adetailerOff': 'ADetailer está desactivado en este servidor de Discord.',
  'refusals.features.variantsOff':
    'Las variantes de prompt ({syntax}) están desactivadas en este servidor de Discord.',
  'refusals.features.noLoraServer': 'Ningún servidor de imágenes de aquí admite LoRA.',
  'refusals.features.noHiresServer': 'Ningún servidor de imágenes de aquí hace hires fix.',
  'refusals.features.noAdetailerServer':
    'Ningún servidor de imágenes de aquí tiene ADetailer (ni un detallador de caras).',
  'refusals.loras.noName': '«{entry}» no nombra ningún LoRA; escribe nombre o nombre:0.8.',
  'refusals.loras.badName': '«{name}» no es un nombre de LoRA; escribe nombre o nombre:0.8.',
  'refusals.loras.badWeight': '«{weight}» no es un peso para {name}; escribe {name}:0.8.',
  'refusals.loras.weightRange': 'El peso de {name} es {weight}; usa un número de {min} a {max}.',
  'refusals.loras.twice': '{name} aparece dos veces; nombra cada LoRA una sola vez.',
  'refusals.loras.tooManyPerImage': 'Son {count} LoRA; se permiten como máximo {max} por imagen.',
  'refusals.loras.tooManyPerRequest': 'Son {count} LoRA; se permiten como máximo {max} por solicitud.',
  'refusals.loras.unknown': 'LoRA «{name}» desconocido. Usa /loras para verlos todos.',
  'refusals.loras.unknownClosest':
    'LoRA «{name}» desconocido. Los más parecidos: {closest}. Usa /loras para verlos todos.',
  'refusals.styles.unknownClosest': 'Estilo «{name}» desconocido. Los más parecidos: {closest}.',
  'refusals.styles.unknownNone': 'Estilo «{name}» desconocido. Este servidor no tiene ninguno.',
  'refusals.hires.empty':
    'La opción hires está vacía. Escribe primero una escala, como 2 o 1.5x, y después, si quieres, un denoise como 0.4 y un upscaler.',
  'refusals.hires.notScaleOrSize':
    '«{text}» no es una escala ni un tamaño. Escribe primero una escala, como 2 o 1.5x, y después, si quieres, un denoise como 0.4 y un upscaler.',
  'refusals.hires.tooSmall':
    '{width}×{height} es demasiado pequeño para el hires fix; cada lado necesita {min} píxeles.',
  'refusals.hires.scaleRange':
    'Una escala hires de {value} está fuera de rango; usa más de 1 y como máximo {max}.',
  'refusals.hires.stepsTwice': 'La opción hires indica los pasos dos veces.',
  'refusals.hires.stepsRange': 'Los pasos hires deben ir de 1 a {max}; {value} está fuera de rango.',
  'refusals.hires.denoiseTwice': 'La opción hires indica el denoise dos veces.',
  'refusals.hires.denoiseZero': 'Un denoise hires de 0 no cambia nada; usa más de 0, hasta 1.',
  'refusals.hires.img2img': 'El hires fix es solo para texto a imagen; quita la imagen.',
  'refusals.hires.mustEnlarge':
    'El hires fix debe ampliar: {finalWidth}×{finalHeight} no es mayor que {width}×{height}.',
  'refusals.hires.scaleTooHigh': 'Eso es una escala hires de {scale}; el máximo permitido es {max}.',
  'refusals.hires.perImageScaleFits':
    'El hires fix amplía {width}×{height} a {finalWidth}×{finalHeight}, {pixels} píxeles por imagen; el límite (MAX_PIXELS) es {limit}. Cabe una escala de como máximo {fits}.',
  'refusals.hires.perImageSmaller':
    'El hires fix amplía {width}×{height} a {finalWidth}×{finalHeight}, {pixels} píxeles por imagen; el límite (MAX_PIXELS) es {limit}. Elige un tamaño inicial menor o menos imágenes.',
  'refusals.hires.totalScaleFits':
    '{count} imágenes de {finalWidth}×{finalHeight} tras el hires fix suman {total} píxeles; el límite (MAX_TOTAL_PIXELS) es {limit} píxeles por solicitud. Cabe una escala de como máximo {fits}.',
  'refusals.hires.totalSmaller':
    '{count} imágenes de {finalWidth}×{finalHeight} tras el hires fix suman {total} píxeles; el límite (MAX_TOTAL_PIXELS) es {limit} píxeles por solicitud. Elige un tamaño inicial menor o menos imágenes.',
  'refusals.hires.totalOneScaleFits':
    'Una imagen de {finalWidth}×{finalHeight} tras el hires fix suma {total} píxeles; el límite (MAX_TOTAL_PIXELS) es {limit} píxeles por solicitud. Cabe una escala de como máximo {fits}.',
  'refusals.hires.totalOneSmaller':
    'Una imagen de {finalWidth}×{finalHeight} tras el hires fix suma {total} píxeles; el límite (MAX_TOTAL_PIXELS) es {limit} píxeles por solicitud. Elige un tamaño inicial menor o menos imágenes.',
  'refusals.variants.unclosed':
    'La «{open}» del carácter {position} no tiene su «{close}». Cierra el grupo o escribe {escapedOpen} para una llave literal.',
  'refusals.variants.strayClose':
    'La «{close}» del carácter {position} no cierra ninguna «{open}». Escribe {escapedClose} para una llave literal.',
  'refusals.variants.tooMany':
    'El prompt da {count} variantes con sus opciones {syntax}; el límite es {limit}. Usa menos opciones.',
  'refusals.variants.tooManyImages':
    'El prompt da {variants} variantes con sus opciones {syntax}; con {count} imágenes cada una son {images} imágenes, y el límite es {limit} por solicitud. Usa menos opciones o una cantidad menor.',
  'refusals.variants.tooManyImagesOne':
    'El prompt da {variants} variantes con sus opciones {syntax}; con una imagen cada una son {images} imágenes, y el límite es {limit} por solicitud. Usa menos opciones o una cantidad menor.',

  'refusals.blocked.prompt':
    'Tu prompt contiene un término que este servidor bloquea, así que no se generó nada. Reformúlalo y vuelve a intentarlo.',
  'refusals.blocked.promptWord':
    'Tu prompt contiene un término que este servidor bloquea («{word}»), así que no se generó nada. Reformúlalo y vuelve a intentarlo.',
  'refusals.blocked.negativePrompt':
    'Tu prompt negativo contiene un término que este servidor bloquea, así que no se generó nada. Reformúlalo y vuelve a intentarlo.',
  'refusals.blocked.negativePromptWord':
    'Tu prompt negativo contiene un término que este servidor bloquea («{word}»), así que no se generó nada. Reformúlalo y vuelve a intentarlo.',
  'refusals.blocked.termEmpty': 'El término está vacío.',
  'refusals.blocked.termTooLong': 'Un término bloqueado puede tener como máximo {max} caracteres.',
  'refusals.blocked.patternUnsupported':
    'Ese patrón usa algo que el motor de tiempo lineal no admite: referencias hacia atrás (como `\\1`), aserciones de anticipación o retrospección (como `(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`) o una repetición de más de 1000. Reescríbelo sin ellas.',
  'refusals.blocked.patternInvalid': 'Eso no es una expresión regular válida.',
  'refusals.blocked.already': 'Ese término ya está bloqueado.',
  'refusals.blocked.full': 'Este servidor ya bloquea {max} términos, el máximo posible. Quita uno primero.',
  'refusals.blocked.termAdded': 'Término bloqueado añadido ({count} en total).',
  'refusals.blocked.patternAdded': 'Patrón bloqueado añadido ({count} en total).',
  'refusals.blocked.notListed':
    'Ese término no está en la lista de bloqueados de este servidor. Consulta /settings blocked-words list.',
  'refusals.blocked.removed': 'Término bloqueado quitado (quedan {count}).',
  'refusals.quota.cooldownSecond':
    'En este servidor puedes hacer una solicitud por segundo. Vuelve a intentarlo <t:{at}:R>.',
  'refusals.quota.cooldownSeconds':
    'En este servidor puedes hacer una solicitud cada {count} segundos. Vuelve a intentarlo <t:{at}:R>.',
  'refusals.quota.cooldownMinute':
    'En este servidor puedes hacer una solicitud por minuto. Vuelve a intentarlo <t:{at}:R>.',
  'refusals.quota.cooldownMinutes':
    'En este servidor puedes hacer una solicitud cada {count} minutos. Vuelve a intentarlo <t:{at}:R>.',
  'refusals.quota.cooldownHour':
    'En este servidor puedes hacer una solicitud por hora. Vuelve a intentarlo <t:{at}:R>.',
  'refusals.quota.cooldownHours':
    'En este servidor puedes hacer una solicitud cada {count} horas. Vuelve a intentarlo <t:{at}:R>.',
  'refusals.quota.hourlyLimit':
    'Este servidor ha alcanzado su límite de {limit} solicitudes por hora. Vuelve a intentarlo <t:{at}:R>.',
  'refusals.quota.hourlyLimitOne':
    'Este servidor ha alcanzado su límite de una solicitud por hora. Vuelve a intentarlo <t:{at}:R>.',

  'refusals.audit.queued': '<@{userId}> pidió /{command} en <#{channelId}>',
  'refusals.audit.blocked': '<@{userId}> fue rechazado (término bloqueado) en /{command} en <#{channelId}>',
  'refusals.audit.overQuota': '<@{userId}> fue rechazado (cuota) en /{command} en <#{channelId}>',
  'refusals.audit.buttonCommand': 'imagine (botón de un resultado)',
  'refusals.audit.prompt': 'Prompt: {prompt}',
  'refusals.audit.negative': 'Negativo: {prompt}',
  'refusals.nsfwMode.off': 'no se añade nada',
  'refusals.nsfwMode.negativePrompt': 'se añade el prompt negativo SFW',
  'refusals.nsfwMode.spoiler': 'las imágenes se publican como spoiler',
  'refusals.nsfwMode.both': 'se añade el prompt negativo SFW y las imágenes se publican como spoiler',

  'refusals.features.resetAll':
    'Todos los ajustes de funciones vuelven al valor predeterminado del bot (los estilos se conservan).',
  'refusals.features.lorasAllowed': 'LoRA: permitidos.',
  'refusals.features.lorasTurnedOff': 'LoRA: desactivados.',
  'refusals.features.stylesAllowed': 'Estilos: permitidos.',
  'refusals.features.stylesTurnedOff': 'Estilos: desactivados.',
  'refusals.features.hiresAllowed': 'Hires fix: permitido.',
  'refusals.features.hiresTurnedOff': 'Hires fix: desactivado.',
  'refusals.features.adetailerAllowed': 'ADetailer: permitido.',
  'refusals.features.adetailerTurnedOff': 'ADetailer: desactivado.',
  'refusals.features.variantsAllowed': 'Variantes de prompt: permitidas.',
  'refusals.features.variantsTurnedOff': 'Variantes de prompt: desactivadas.',
  'refusals.features.maxLorasRange':
    'El máximo de LoRA debe ser un número entero de {min} a {max} (MAX_LORAS).',
  'refusals.features.maxLoras': 'Máximo de LoRA por solicitud: {count}.',
  'refusals.features.maxHiresScaleRange':
    'La escala hires máxima debe ir de {min} a {max} (MAX_HIRES_SCALE).',
  'refusals.features.maxHiresScale': 'Escala hires máxima: {scale}.',
  'refusals.features.hiresUpscaler': 'Upscaler hires: {name}.',
  'refusals.features.hiresDenoiseRange': 'El denoise hires debe ser mayor que 0, hasta 1.',
  'refusals.features.hiresDenoise': 'Denoise hires: {denoise}.',
  'refusals.features.hiresStepsRange': 'Los pasos hires deben ser un número entero de {min} a {max}.',
  'refusals.features.hiresSteps': 'Pasos hires: {steps}.',
  'refusals.features.modelAndFamily': 'Indica tanto un modelo como su familia.',
  'refusals.features.familyAuto': '{model}: la familia se vuelve a detectar.',
  'refusals.features.family': '{model}: {family}.',
  'refusals.styles.needsName': 'El estilo necesita un nombre.',
  'refusals.styles.notFound': 'No hay ningún estilo «{name}» que quitar.',
  'refusals.styles.removed': 'Estilo {name} quitado.',
  'refusals.styles.needsPrompt': 'Un estilo necesita un añadido al prompt o al prompt negativo.',
  'refusals.styles.promptTooLong': 'El prompt del estilo tiene {length} caracteres; el límite es {limit}.',
  'refusals.styles.negativeTooLong':
    'El prompt negativo del estilo tiene {length} caracteres; el límite es {limit}.',
  'refusals.styles.full': 'Este servidor ya tiene {max} estilos, el máximo posible. Quita uno primero.',
  'refusals.styles.added': 'Estilo {name} añadido: úsalo con /imagine style:{name}.',
  'refusals.styles.replaced': 'Estilo {name} sustituido: úsalo con /imagine style:{name}.',
  'refusals.blockedList.empty':
    'Este servidor no bloquea ningún término. Añade uno con /settings blocked-words add.',
  'refusals.blockedList.header': 'Este servidor bloquea {count} términos:',
  'refusals.blockedList.headerOne': 'Este servidor bloquea 1 término:',
  'refusals.blockedList.more': '…y {count} más.',
  ...settingsEses,
};
