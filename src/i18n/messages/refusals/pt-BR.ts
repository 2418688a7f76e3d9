import type { AreaCatalog } from '../area.js';
import type { en } from './en.js';
import { ptbr as settingsPtbr } from './settings/pt-BR.js';

export const ptbr: AreaCatalog<typeof en> = {
  'refusals.imagine.promptEmpty': 'O prompt está vazio.',
  'refusals.imagine.promptTooLong': 'O prompt tem {length} caracteres; o limite é {limit}.',
  'refusals.imagine.negativeTooLong': 'O prompt negativo tem {length} caracteres; o limite é {limit}.',
  'refusals.imagine.seedRange': 'A seed deve ser um número inteiro de {min} a {max}.',
  'refusals.imagine.stepsRange': 'Os passos devem ser um número inteiro de {min} a {max}.',
  'refusals.imagine.countRange': 'A quantidade deve ser um número inteiro de {min} a {max}.',
  'refusals.imagine.widthRange': 'A largura deve ser um número inteiro de {min} a {max}.',
  'refusals.imagine.heightRange': 'A altura deve ser um número inteiro de {min} a {max}.',
  'refusals.imagine.cfgRange': 'A escala CFG deve ser um número de {min} a {max}.',
  'refusals.imagine.samplerNameTooLong': 'O nome do sampler tem {length} caracteres; o limite é {limit}.',
  'refusals.imagine.schedulerNameTooLong': 'O nome do scheduler tem {length} caracteres; o limite é {limit}.',
  'refusals.imagine.modelNameTooLong': 'O nome do modelo tem {length} caracteres; o limite é {limit}.',
  'refusals.imagine.widthMultiple': 'A largura deve ser múltipla de {multiple} (recebido: {value}).',
  'refusals.imagine.heightMultiple': 'A altura deve ser múltipla de {multiple} (recebido: {value}).',
  'refusals.imagine.aspectUnknown': 'Proporção “{aspect}” desconhecida. Escolha uma entre {choices}.',
  'refusals.imagine.aspectAndSize': 'Informe uma proporção ou uma largura e uma altura, não as duas coisas.',
  'refusals.imagine.tooManyPixels':
    '{width}×{height} dá {pixels} pixels; o limite é {limit} pixels por imagem (por exemplo, {side}×{side}).',
  'refusals.imagine.totalPixels':
    '{count} imagens de {width}×{height} somam {total} pixels; o limite (MAX_TOTAL_PIXELS) é {limit} pixels por pedido. Peça menos imagens ou imagens menores.',
  'refusals.imagine.totalPixelsOne':
    'Uma imagem de {width}×{height} soma {total} pixels; o limite (MAX_TOTAL_PIXELS) é {limit} pixels por pedido. Peça menos imagens ou imagens menores.',

  'refusals.img2img.strengthRange': 'A intensidade deve ser um número de {min} a {max}.',
  'refusals.img2img.strengthWithoutImage':
    'A intensidade só vale para uma imagem: anexe uma com a opção image.',
  'refusals.img2img.tooManyPixels': '{width}×{height} passa do limite de {limit} pixels por imagem.',
  'refusals.img2img.totalPixels':
    '{count} imagens de {width}×{height} somam {total} pixels; o limite (MAX_TOTAL_PIXELS) é {limit} pixels por pedido. Peça menos imagens.',

  'refusals.input.tooLarge':
    'A imagem tem {size}; o limite é {limit}. Envie uma imagem menor (ou um JPEG ou WebP).',
  'refusals.input.tooLargeStreamed':
    'A imagem tem mais de {limit}; o limite é {limit}. Envie uma imagem menor (ou um JPEG ou WebP).',
  'refusals.input.downloadFailed':
    'Não foi possível baixar a imagem do Discord. Tente de novo daqui a pouco.',
  'refusals.input.notAnImage':
    'O anexo não é uma imagem PNG, JPEG ou WebP (seja qual for o nome dele). Anexe uma imagem em um desses formatos.',
  'refusals.input.tooManyPixels':
    'A imagem tem {width}×{height} ({pixels} pixels); o limite é {limit} pixels. Envie uma imagem menor.',
  'refusals.input.tooSmall': 'A imagem tem {width}×{height}; ela precisa ter pelo menos {min}×{min}.',

  'refusals.derived.upscaleTooLarge':
    'Ampliar ×{factor} dá {width}×{height} ({pixels} pixels); o limite (MAX_TOTAL_PIXELS) é {limit} pixels.',
  'refusals.derived.steps': 'Agora os passos podem ser no máximo {max}.',
  'refusals.derived.count': 'Agora são no máximo {max} imagens por pedido.',
  'refusals.derived.tooManyPixels': '{width}×{height} agora passa do limite de {limit} pixels por imagem.',
  'refusals.derived.totalPixels':
    '{count} imagens de {width}×{height} somam {total} pixels; o limite (MAX_TOTAL_PIXELS) é {limit}.',

  'refusals.model.unknown': 'Modelo “{model}” desconhecido.',
  'refusals.model.unknownClosest': 'Modelo “{model}” desconhecido. Os mais parecidos: {closest}.',
  'refusals.model.unknownHint': 'Modelo “{model}” desconhecido. Use /models para ver todos.',
  'refusals.model.unknownClosestHint':
    'Modelo “{model}” desconhecido. Os mais parecidos: {closest}. Use /models para ver todos.',
  'refusals.sampler.unknown': 'Sampler “{name}” desconhecido. Este servidor tem: {names}.',
  'refusals.sampler.unknownMore': 'Sampler “{name}” desconhecido. Este servidor tem: {names} e mais {more}.',
  'refusals.scheduler.unknown': 'Scheduler “{name}” desconhecido. Este servidor tem: {names}.',
  'refusals.scheduler.unknownMore':
    'Scheduler “{name}” desconhecido. Este servidor tem: {names} e mais {more}.',
  'refusals.upscaler.unknown': 'Upscaler “{name}” desconhecido.',
  'refusals.upscaler.unknownClosest': 'Upscaler “{name}” desconhecido. Os mais parecidos: {closest}.',

  'refusals.features.lorasOff': 'As LoRAs estão desativadas neste servidor do Discord.',
  'refusals.features.stylesOff': 'Os estilos estão desativados neste servidor do Discord.',
  'refusals.features.hiresOff': 'O hires fix está desativado neste servidor do Discord.',
  'refusals.features.adetailerOff': 'O ADetailer está desativado neste servidor do Discord.',
  'refusals.features.variantsOff':
    'As variações de prompt ({syntax}) estão desativadas neste servidor do Discord.',
  'refusals.features.noLoraServer': 'Nenhum servidor de imagens aqui aceita LoRAs.',
  'refusals.features.noHiresServer': 'Nenhum servidor de imagens aqui faz hires fix.',
  'refusals.features.noAdetailerServer':
    'Nenhum servidor de imagens aqui tem ADetailer (ou um detalhador de rostos).',
  'refusals.loras.noName': '“{entry}” não indica nenhuma LoRA; escreva nome ou nome:0.8.',
  'refusals.loras.badName': '“{name}” não é um nome de LoRA; escreva nome ou nome:0.8.',
  'refusals.loras.badWeight': '“{weight}” não é um peso para {name}; escreva {name}:0.8.',
  'refusals.loras.weightRange': 'O peso de {name} é {weight}; use um número de {min} a {max}.',
  'refusals.loras.twice': '{name} aparece duas vezes; indique cada LoRA uma vez só.',
  'refusals.loras.tooManyPerImage': 'São {count} LoRAs; o máximo permitido é {max} por imagem.',
  'refusals.loras.tooManyPerRequest': 'São {count} LoRAs; o máximo permitido é {max} por pedido.',
  'refusals.loras.unknown': 'LoRA “{name}” desconhecida. Use /loras para ver todas.',
  'refusals.loras.unknownClosest':
    'LoRA “{name}” desconhecida. As mais parecidas: {closest}. Use /loras para ver todas.',
  'refusals.styles.unknownClosest': 'Estilo “{name}” desconhecido. Os mais parecidos: {closest}.',
  'refusals.styles.unknownNone': 'Estilo “{name}” desconhecido. Este servidor não tem nenhum.',
  'refusals.hires.empty':
    'A opção hires está vazia. Escreva primeiro uma escala, como 2 ou 1.5x, e depois, se quiser, um denoise como 0.4 e um upscaler.',
  'refusals.hires.notScaleOrSize':
    '“{text}” não é uma escala nem um tamanho. Escreva primeiro uma escala, como 2 ou 1.5x, e depois, se quiser, um denoise como 0.4 e um upscaler.',
  'refusals.hires.tooSmall':
    '{width}×{height} é pequeno demais para o hires fix; cada lado precisa de {min} pixels.',
  'refusals.hires.scaleRange':
    'Uma escala hires de {value} está fora do intervalo; use mais de 1 e no máximo {max}.',
  'refusals.hires.stepsTwice': 'A opção hires informa os passos duas vezes.',
  'refusals.hires.stepsRange': 'Os passos do hires devem ir de 1 a {max}; {value} está fora do intervalo.',
  'refusals.hires.denoiseTwice': 'A opção hires informa o denoise duas vezes.',
  'refusals.hires.denoiseZero': 'Um denoise hires de 0 não muda nada; use mais de 0, até 1.',
  'refusals.hires.img2img': 'O hires fix é só para texto para imagem; tire a imagem.',
  'refusals.hires.mustEnlarge':
    'O hires fix precisa ampliar: {finalWidth}×{finalHeight} não é maior que {width}×{height}.',
  'refusals.hires.scaleTooHigh': 'Isso é uma escala hires de {scale}; o máximo permitido é {max}.',
  'refusals.hires.perImageScaleFits':
    'O hires fix amplia {width}×{height} para {finalWidth}×{finalHeight}, {pixels} pixels por imagem; o limite (MAX_PIXELS) é {limit}. Uma escala de no máximo {fits} cabe.',
  'refusals.hires.perImageSmaller':
    'O hires fix amplia {width}×{height} para {finalWidth}×{finalHeight}, {pixels} pixels por imagem; o limite (MAX_PIXELS) é {limit}. Escolha um tamanho inicial menor ou menos imagens.',
  'refusals.hires.totalScaleFits':
    '{count} imagens de {finalWidth}×{finalHeight} depois do hires fix somam {total} pixels; o limite (MAX_TOTAL_PIXELS) é {limit} pixels por pedido. Uma escala de no máximo {fits} cabe.',
  'refusals.hires.totalSmaller':
    '{count} imagens de {finalWidth}×{finalHeight} depois do hires fix somam {total} pixels; o limite (MAX_TOTAL_PIXELS) é {limit} pixels por pedido. Escolha um tamanho inicial menor ou menos imagens.',
  'refusals.hires.totalOneScaleFits':
    'Uma imagem de {finalWidth}×{finalHeight} depois do hires fix soma {total} pixels; o limite (MAX_TOTAL_PIXELS) é {limit} pixels por pedido. Uma escala de no máximo {fits} cabe.',
  'refusals.hires.totalOneSmaller':
    'Uma imagem de {finalWidth}×{finalHeight} depois do hires fix soma {total} pixels; o limite (MAX_TOTAL_PIXELS) é {limit} pixels por pedido. Escolha um tamanho inicial menor ou menos imagens.',
  'refusals.variants.unclosed':
    'O “{open}” no caractere {position} não tem o “{close}” correspondente. Feche o grupo ou escreva {escapedOpen} para uma chave literal.',
  'refusals.variants.strayClose':
    'O “{close}” no caractere {position} não fecha nenhum “{open}”. Escreva {escapedClose} para uma chave literal.',
  'refusals.variants.tooMany':
    'O prompt gera {count} variações com as opções {syntax}; o limite é {limit}. Use menos opções.',
  'refusals.variants.tooManyImages':
    'O prompt gera {variants} variações com as opções {syntax}; com {count} imagens cada, são {images} imagens, e o limite é {limit} por pedido. Use menos opções ou uma quantidade menor.',
  'refusals.variants.tooManyImagesOne':
    'O prompt gera {variants} variações com as opções {syntax}; com uma imagem cada, são {images} imagens, e o limite é {limit} por pedido. Use menos opções ou uma quantidade menor.',

  'refusals.blocked.prompt':
    'Seu prompt contém um termo bloqueado neste servidor, então nada foi gerado. Reescreva e tente de novo.',
  'refusals.blocked.promptWord':
    'Seu prompt contém um termo bloqueado neste servidor (“{word}”), então nada foi gerado. Reescreva e tente de novo.',
  'refusals.blocked.negativePrompt':
    'Seu prompt negativo contém um termo bloqueado neste servidor, então nada foi gerado. Reescreva e tente de novo.',
  'refusals.blocked.negativePromptWord':
    'Seu prompt negativo contém um termo bloqueado neste servidor (“{word}”), então nada foi gerado. Reescreva e tente de novo.',
  'refusals.blocked.termEmpty': 'O termo está vazio.',
  'refusals.blocked.termTooLong': 'Um termo bloqueado pode ter no máximo {max} caracteres.',
  'refusals.blocked.patternUnsupported':
    'Esse padrão usa algo que o mecanismo de tempo linear não suporta: referências anteriores (como `\\1`), lookarounds (como `(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`) ou uma repetição acima de 1000. Reescreva sem eles.',
  'refusals.blocked.patternInvalid': 'Isso não é uma expressão regular válida.',
  'refusals.blocked.already': 'Esse termo já está bloqueado.',
  'refusals.blocked.full': 'Este servidor já bloqueia {max} termos, o máximo possível. Remova um primeiro.',
  'refusals.blocked.termAdded': 'Termo bloqueado adicionado ({count} no total).',
  'refusals.blocked.patternAdded': 'Padrão bloqueado adicionado ({count} no total).',
  'refusals.blocked.notListed':
    'Esse termo não está na lista de bloqueados deste servidor. Veja /settings blocked-words list.',
  'refusals.blocked.removed': 'Termo bloqueado removido (restam {count}).',
  'refusals.quota.cooldownSecond':
    'Neste servidor, você pode fazer um pedido por segundo. Tente de novo <t:{at}:R>.',
  'refusals.quota.cooldownSeconds':
    'Neste servidor, você pode fazer um pedido a cada {count} segundos. Tente de novo <t:{at}:R>.',
  'refusals.quota.cooldownMinute':
    'Neste servidor, você pode fazer um pedido por minuto. Tente de novo <t:{at}:R>.',
  'refusals.quota.cooldownMinutes':
    'Neste servidor, você pode fazer um pedido a cada {count} minutos. Tente de novo <t:{at}:R>.',
  'refusals.quota.cooldownHour':
    'Neste servidor, você pode fazer um pedido por hora. Tente de novo <t:{at}:R>.',
  'refusals.quota.cooldownHours':
    'Neste servidor, você pode fazer um pedido a cada {count} horas. Tente de novo <t:{at}:R>.',
  'refusals.quota.hourlyLimit':
    'Este servidor atingiu o limite de {limit} pedidos por hora. Tente de novo <t:{at}:R>.',
  'refusals.quota.hourlyLimitOne':
    'Este servidor atingiu o limite de um pedido por hora. Tente de novo <t:{at}:R>.',

  'refusals.audit.queued': '<@{userId}> pediu /{command} em <#{channelId}>',
  'refusals.audit.blocked': '<@{userId}> foi recusado (termo bloqueado) em /{command} em <#{channelId}>',
  'refusals.audit.overQuota': '<@{userId}> foi recusado (cota) em /{command} em <#{channelId}>',
  'refusals.audit.buttonCommand': 'imagine (botão de um resultado)',
  'refusals.audit.prompt': 'Prompt: {prompt}',
  'refusals.audit.negative': 'Negativo: {prompt}',
  'refusals.nsfwMode.off': 'nada é adicionado',
  'refusals.nsfwMode.negativePrompt': 'o prompt negativo SFW é adicionado',
  'refusals.nsfwMode.spoiler': 'as imagens são postadas como spoiler',
  'refusals.nsfwMode.both': 'o prompt negativo SFW é adicionado e as imagens são postadas como spoiler',

  'refusals.features.resetAll':
    'Todas as configurações de recursos voltaram ao padrão do bot (os estilos foram mantidos).',
  'refusals.features.lorasAllowed': 'LoRAs: permitidas.',
  'refusals.features.lorasTurnedOff': 'LoRAs: desativadas.',
  'refusals.features.stylesAllowed': 'Estilos: permitidos.',
  'refusals.features.stylesTurnedOff': 'Estilos: desativados.',
  'refusals.features.hiresAllowed': 'Hires fix: permitido.',
  'refusals.features.hiresTurnedOff': 'Hires fix: desativado.',
  'refusals.features.adetailerAllowed': 'ADetailer: permitido.',
  'refusals.features.adetailerTurnedOff': 'ADetailer: desativado.',
  'refusals.features.variantsAllowed': 'Variações de prompt: permitidas.',
  'refusals.features.variantsTurnedOff': 'Variações de prompt: desativadas.',
  'refusals.features.maxLorasRange':
    'O máximo de LoRAs deve ser um número inteiro de {min} a {max} (MAX_LORAS).',
  'refusals.features.maxLoras': 'Máximo de LoRAs por pedido: {count}.',
  'refusals.features.maxHiresScaleRange': 'A escala hires máxima deve ir de {min} a {max} (MAX_HIRES_SCALE).',
  'refusals.features.maxHiresScale': 'Escala hires máxima: {scale}.',
  'refusals.features.hiresUpscaler': 'Upscaler do hires: {name}.',
  'refusals.features.hiresDenoiseRange': 'O denoise do hires deve ser maior que 0, até 1.',
  'refusals.features.hiresDenoise': 'Denoise do hires: {denoise}.',
  'refusals.features.hiresStepsRange': 'Os passos do hires devem ser um número inteiro de {min} a {max}.',
  'refusals.features.hiresSteps': 'Passos do hires: {steps}.',
  'refusals.features.modelAndFamily': 'Informe um modelo e a família dele, os dois.',
  'refusals.features.familyAuto': '{model}: família detectada de novo.',
  'refusals.features.family': '{model}: {family}.',
  'refusals.styles.needsName': 'O estilo precisa de um nome.',
  'refusals.styles.notFound': 'Não existe um estilo “{name}” para remover.',
  'refusals.styles.removed': 'Estilo {name} removido.',
  'refusals.styles.needsPrompt': 'Um estilo precisa de um acréscimo ao prompt ou ao prompt negativo.',
  'refusals.styles.promptTooLong': 'O prompt do estilo tem {length} caracteres; o limite é {limit}.',
  'refusals.styles.negativeTooLong':
    'O prompt negativo do estilo tem {length} caracteres; o limite é {limit}.',
  'refusals.styles.full': 'Este servidor já tem {max} estilos, o máximo possível. Remova um primeiro.',
  'refusals.styles.added': 'Estilo {name} adicionado: use com /imagine style:{name}.',
  'refusals.styles.replaced': 'Estilo {name} substituído: use com /imagine style:{name}.',
  'refusals.blockedList.empty':
    'Este servidor não bloqueia nenhum termo. Adicione um com /settings blocked-words add.',
  'refusals.blockedList.header': 'Este servidor bloqueia {count} termos:',
  'refusals.blockedList.headerOne': 'Este servidor bloqueia 1 termo:',
  'refusals.blockedList.more': '…e mais {count}.',
  ...settingsPtbr,
};
