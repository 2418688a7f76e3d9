import type { AreaCatalog } from '../area.js';
import type { en } from './en.js';
import { eses as settingsEses } from './settings/es-ES.js';

export const eses: AreaCatalog<typeof en> = {
  'commands.cancel.cancelled': 'Cancelado.',
  'commands.cancel.interrupting': 'Deteniendo la generación…',
  'commands.cancel.pending':
    'Cancelado. El servidor de imágenes aún no la había empezado (primero está terminando otro trabajo); se detendrá en cuanto empiece y no se entregará nada.',
  'commands.cancel.discarding':
    'Cancelado. Este servidor de imágenes no puede detener una generación ya empezada, así que terminará y la imagen se descartará.',
  'commands.cancel.finished': 'Este trabajo ya ha terminado.',
  'commands.cancel.alreadyCancelled': 'Este trabajo ya se canceló.',
  'commands.cancel.jobGone': 'Ese trabajo ya no existe.',
  'commands.cancel.notYours': 'Solo el miembro que pidió esta imagen (o un moderador) puede cancelarla.',
  'commands.submit.shuttingDown':
    'El bot se está reiniciando y ahora mismo no acepta imágenes nuevas. Vuelve a intentarlo en un minuto.',
  'commands.submit.userLimit':
    'Ya tienes {limit} imágenes en espera o en curso (el límite por miembro). Espera a que termine alguna o cancela una.',
  'commands.submit.queueFull':
    'La cola está llena ({limit} imágenes). Vuelve a intentarlo dentro de unos minutos.',
  'commands.unroutable.anyModel': 'Ningún servidor de imágenes de aquí puede ejecutar este trabajo. {holds}.',
  'commands.unroutable.model':
    'Ningún servidor de imágenes de aquí puede usar **{model}**: {holds}. Elige uno de esos modelos o consulta /models.',
  'commands.unroutable.holds': '{server} tiene `{model}`',
  'commands.unroutable.holdsEngine': '{server} ({engine}) tiene `{model}`',
  'commands.unroutable.holdsFixed': '{server} ({engine}) tiene `{model}` (fijo: no puede cambiarlo)',
  'commands.unroutable.noModelLoaded': 'ningún modelo cargado',
  'commands.server.idle': 'libre',
  'commands.server.busy': 'ocupado',
  'commands.server.down': 'no disponible',
  'commands.router.unknownCommand': 'Este comando ya no está disponible.',
  'commands.router.unknownButton': 'Este botón ya no está disponible.',
  'commands.router.unknownForm': 'Este formulario ya no está disponible.',
  'commands.router.withReference': '{text} (referencia {reference})',
  'commands.result.jobGone':
    'Este resultado ya no está guardado, así que sus botones ya no funcionan. Usa /imagine para empezar de nuevo.',
  'commands.result.jobUnfinished':
    'Ese trabajo no terminó con una imagen, así que no hay nada de lo que partir.',
  'commands.result.noChannel': 'Este botón solo funciona en un canal.',
  'commands.result.notAGeneration':
    'Una imagen ampliada no se puede volver a generar. Usa los botones de la original.',
  'commands.result.cannotUpscale':
    'El servidor de imágenes no puede ampliar imágenes (no tiene ruta de upscaler), así que no se ha ampliado nada.',
  'commands.result.serverUnreachable':
    'Ahora mismo no se puede contactar con el servidor de imágenes. Vuelve a intentarlo en un minuto.',
  'commands.result.unknownUpscaler':
    'El upscaler «{name}» (UPSCALER) no está instalado en el servidor de imágenes, así que no se ha ampliado nada. Pide al operador del bot que ponga UPSCALER en uno de estos: {available}.',
  'commands.result.unknownUpscalerNoneListed':
    'El upscaler «{name}» (UPSCALER) no está instalado en el servidor de imágenes, así que no se ha ampliado nada, y el servidor no ofrece ningún otro. Pide al operador del bot que instale uno.',
  'commands.result.originalGoneUpscale':
    'El original de esta imagen ya no se conserva, así que no se puede ampliar.',
  'commands.result.originalGone': 'El original de esta imagen ya no se conserva.',
  'commands.result.remixModalTitle': 'Remezclar',
  'commands.result.promptLabel': 'Prompt',
  'commands.result.negativePromptLabel': 'Prompt negativo',
  'commands.result.negativeTooLong': 'El prompt negativo tiene {length} caracteres; el límite es {limit}.',
  'commands.result.infoGone': 'Este resultado ya no está guardado, así que no hay nada que mostrar.',
  'commands.result.deleteNotYours':
    'Solo el miembro que pidió esta imagen (o un moderador) puede eliminarla.',
  'commands.result.deleteGone':
    'Este resultado ya no está guardado; ahora solo un moderador puede eliminarlo.',
  'commands.result.deleted': 'Eliminado.',
  'commands.pages.missing': 'Esa página no existe.',
  'commands.loras.notYours': 'Solo el miembro que usó /loras puede pasar sus páginas. Usa /loras tú mismo.',
  'commands.models.notYours':
    'Solo el miembro que usó /models puede pasar sus páginas. Usa /models tú mismo.',
  'commands.models.rescanForbidden':
    'Volver a escanear la carpeta de modelos requiere el permiso Gestionar servidor.',
  'commands.setmodel.guildOnly': 'Usa /setmodel en un servidor.',
  'commands.setmodel.forbidden': 'Cambiar el modelo del servidor requiere el permiso Gestionar servidor.',
  'commands.setmodel.unknown': 'Modelo desconocido «{input}». Usa /models para verlos todos.',
  'commands.setmodel.unknownClosest':
    'Modelo desconocido «{input}». Los más parecidos: {closest}. Usa /models para verlos todos.',
  'commands.setmodel.loading': 'Cargando **{model}**… puede tardar uno o dos minutos.',
  'commands.setmodel.keepsFixed': 'mantiene `{model}` ({engine} no puede cambiar de modelo)',
  'commands.setmodel.itsModel': 'su modelo',
  'commands.setmodel.stillLoaded':
    'sigue teniendo `{model}` cargado (la carga falló; el registro de la WebUI dice por qué)',
  'commands.setmodel.noModel': 'ningún modelo',
  'commands.setmodel.failed': 'No se pudo cambiar a **{model}**.',
  'commands.setmodel.defaultStays': 'El modelo predeterminado de este servidor sigue siendo **{model}**.',
  'commands.setmodel.defaultStaysUnset': 'Este servidor sigue sin modelo predeterminado.',
  'commands.setmodel.switched':
    'Cambiado a **{model}**. Ahora es el modelo predeterminado de este servidor para /imagine.',
  'commands.setmodel.fixedElsewhere':
    '{line}: los trabajos para este modelo van a los servidores de imágenes que lo tienen.',
  'commands.queue.title': 'Cola',
  'commands.queue.summary': '**{waiting}** en espera, **{running}** generándose.',
  'commands.queue.yours': '**Las tuyas**',
  'commands.queue.nothing': 'Nada en la cola.',
  'commands.queue.servers': '**Servidores de imágenes**',
  'commands.queue.generatingNow': 'generándose ahora',
  'commands.queue.position': 'posición {position} de {total}',
  'commands.queue.limits': 'Este servidor {limits}.',
  'commands.limit.noProgress': 'no muestra el progreso mientras trabaja',
  'commands.limit.noProgressDetail':
    'no muestra el progreso mientras trabaja: la respuesta indica cuánto tiempo lleva',
  'commands.limit.globalProgress': 'solo informa del progreso de todo el servidor',
  'commands.limit.globalProgressDetail':
    'solo informa del progreso de todo el servidor: el bot lo muestra mientras su trabajo es el único allí',
  'commands.limit.noPreview': 'no envía vista previa en directo',
  'commands.limit.noPreviewDetail': 'no envía vista previa en directo',
  'commands.limit.noInterrupt': 'no puede detener una generación sin detener las demás',
  'commands.limit.noInterruptDetail':
    'no puede detener una generación sin detener las demás: una imagen cancelada se termina y se descarta',
  'commands.limit.noUpscale': 'no puede ampliar imágenes',
  'commands.limit.noUpscaleDetail':
    'no puede ampliar imágenes: el botón de ampliar va a un servidor que sí puede, o no se ofrece',
  'commands.limit.fixedModel': 'tiene un solo modelo, elegido al arrancar',
  'commands.limit.fixedModelDetail': 'tiene un solo modelo, elegido al arrancar: no puede cambiar de modelo',
  'commands.limit.noImg2img': 'no puede partir de una imagen (img2img)',
  'commands.limit.noImg2imgDetail': 'no puede partir de una imagen (img2img)',
  'commands.limit.noSchedulers': 'no tiene selección de scheduler propia',
  'commands.limit.noSchedulersDetail': 'no tiene selección de scheduler propia',
  'commands.limit.combinedSchedulers': 'nombra los samplers con su programación («DPM++ 2M Karras»)',
  'commands.limit.combinedSchedulersDetail':
    'nombra los samplers con su programación («DPM++ 2M Karras»): el bot los combina',
  'commands.limit.sizeMultiple': 'necesita tamaños múltiplos de {multiple}',
  'commands.limit.sizeMultipleDetail': 'necesita tamaños múltiplos de {multiple}: el bot los redondea',
  'commands.limit.ownSeeds': 'toma la semilla de una imagen aleatoria del reloj',
  'commands.limit.ownSeedsDetail':
    'toma la semilla de una imagen aleatoria del reloj: el bot elige cada semilla por sí mismo',
  'commands.limit.noLoras': 'no lista ningún LoRA',
  'commands.limit.noLorasDetail': 'no lista ningún LoRA',
  'commands.limit.noStyles': 'no tiene estilos guardados',
  'commands.limit.noStylesDetail': 'no tiene estilos guardados',
  'commands.imagine.commandName': 'imagine',
  'commands.imagine.commandDescription': 'Genera una imagen a partir de un prompt',
  'commands.imagine.promptOptionName': 'prompt',
  'commands.imagine.promptOptionDescription': 'Qué dibujar',
  'commands.imagine.negativePromptOptionName': 'prompt_negativo',
  'commands.imagine.negativePromptOptionDescription': 'Qué evitar (los embeddings se autocompletan)',
  'commands.imagine.aspectOptionName': 'proporción',
  'commands.imagine.aspectOptionDescription': 'Relación de aspecto (en lugar de ancho y alto)',
  'commands.imagine.widthOptionName': 'ancho',
  'commands.imagine.widthOptionDescription': 'Ancho en píxeles, múltiplo de 8',
  'commands.imagine.heightOptionName': 'alto',
  'commands.imagine.heightOptionDescription': 'Alto en píxeles, múltiplo de 8',
  'commands.imagine.stepsOptionName': 'pasos',
  'commands.imagine.stepsOptionDescription': 'Pasos de muestreo',
  'commands.imagine.cfgScaleOptionName': 'escala_cfg',
  'commands.imagine.cfgScaleOptionDescription': 'Cuánto ceñirse al prompt (1-30)',
  'commands.imagine.seedOptionName': 'semilla',
  'commands.imagine.seedOptionDescription': 'Semilla (-1 o vacío para aleatoria)',
  'commands.imagine.samplerOptionName': 'sampler',
  'commands.imagine.samplerOptionDescription': 'Sampler',
  'commands.imagine.schedulerOptionName': 'scheduler',
  'commands.imagine.schedulerOptionDescription': 'Scheduler',
  'commands.imagine.countOptionName': 'cantidad',
  'commands.imagine.countOptionDescription': 'Cuántas imágenes (1-4)',
  'commands.imagine.modelOptionName': 'modelo',
  'commands.imagine.modelOptionDescription': 'Checkpoint',
  'commands.imagine.imageOptionName': 'imagen',
  'commands.imagine.imageOptionDescription': 'Partir de esta imagen (PNG, JPEG o WebP): img2img',
  'commands.imagine.strengthOptionName': 'intensidad',
  'commands.imagine.strengthOptionDescription': 'Cuánto cambiar la imagen dada (0-1, por defecto 0,75)',
  'commands.imagine.loraOptionName': 'lora',
  'commands.imagine.loraOptionDescription':
    'LoRA: nombre o nombre:0.8, varios separados por comas (ver /loras)',
  'commands.imagine.styleOptionName': 'estilo',
  'commands.imagine.styleOptionDescription': 'Un estilo que aplicar',
  'commands.imagine.hiresOptionName': 'hires',
  'commands.imagine.hiresOptionDescription':
    'Hires fix: escala, luego denoise y upscaler, p. ej. «2 R-ESRGAN 4x+ 0.4»',
  'commands.imagine.adetailerOptionName': 'adetailer',
  'commands.imagine.adetailerOptionDescription': 'Corregir caras con ADetailer (si el servidor lo tiene)',
  'commands.models.commandName': 'modelos',
  'commands.models.commandDescription': 'Lista los checkpoints del servidor de imágenes',
  'commands.models.rescanOptionName': 'reescanear',
  'commands.models.rescanOptionDescription':
    'Volver a escanear antes la carpeta de modelos (Gestionar servidor)',
  'commands.setmodel.commandName': 'elegir_modelo',
  'commands.setmodel.commandDescription': 'Cambia el checkpoint y lo hace predeterminado en este servidor',
  'commands.setmodel.modelOptionName': 'modelo',
  'commands.setmodel.modelOptionDescription': 'Checkpoint',
  'commands.queue.commandName': 'cola',
  'commands.queue.commandDescription':
    'Tus imágenes en cola, la longitud de la cola y el estado de los servidores de imágenes',
  'commands.loras.commandName': 'loras',
  'commands.loras.commandDescription': 'Lista los LoRA (o embeddings) de los servidores de imágenes',
  'commands.loras.showOptionName': 'mostrar',
  'commands.loras.showOptionDescription': 'LoRA (por defecto) o embeddings',
  'commands.loras.lorasChoice': 'LoRA',
  'commands.loras.embeddingsChoice': 'embeddings',
  ...settingsEses,
};
