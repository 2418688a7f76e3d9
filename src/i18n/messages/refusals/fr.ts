import type { AreaCatalog } from '../area.js';
import type { en } from './en.js';
import { fr as settingsFr } from './settings/fr.js';

export const fr: AreaCatalog<typeof en> = {
  'refusals.imagine.promptEmpty': 'Le prompt est vide.',
  'refusals.imagine.promptTooLong': 'Le prompt fait {length} caractères ; la limite est de {limit}.',
  'refusals.imagine.negativeTooLong':
    'Le prompt négatif fait {length} caractères ; la limite est de {limit}.',
  'refusals.imagine.seedRange': 'La seed doit être un nombre entier de {min} à {max}.',
  'refusals.imagine.stepsRange': 'Le nombre d’étapes doit être un entier de {min} à {max}.',
  'refusals.imagine.countRange': 'Le nombre d’images doit être un entier de {min} à {max}.',
  'refusals.imagine.widthRange': 'La largeur doit être un nombre entier de {min} à {max}.',
  'refusals.imagine.heightRange': 'La hauteur doit être un nombre entier de {min} à {max}.',
  'refusals.imagine.cfgRange': 'L’échelle CFG doit être un nombre de {min} à {max}.',
  'refusals.imagine.samplerNameTooLong':
    'Le nom du sampler fait {length} caractères ; la limite est de {limit}.',
  'refusals.imagine.schedulerNameTooLong':
    'Le nom du scheduler fait {length} caractères ; la limite est de {limit}.',
  'refusals.imagine.modelNameTooLong':
    'Le nom du modèle fait {length} caractères ; la limite est de {limit}.',
  'refusals.imagine.widthMultiple': 'La largeur doit être un multiple de {multiple} (reçu : {value}).',
  'refusals.imagine.heightMultiple': 'La hauteur doit être un multiple de {multiple} (reçu : {value}).',
  'refusals.imagine.aspectUnknown': 'Format d’image « {aspect} » inconnu. Choisis parmi {choices}.',
  'refusals.imagine.aspectAndSize':
    'Indique soit un format d’image, soit une largeur et une hauteur, mais pas les deux.',
  'refusals.imagine.tooManyPixels':
    '{width}×{height} fait {pixels} pixels ; la limite est de {limit} pixels par image (par exemple {side}×{side}).',
  'refusals.imagine.totalPixels':
    '{count} images de {width}×{height} font {total} pixels au total ; la limite (MAX_TOTAL_PIXELS) est de {limit} pixels par demande. Demande moins d’images ou des images plus petites.',
  'refusals.imagine.totalPixelsOne':
    'Une image de {width}×{height} fait {total} pixels au total ; la limite (MAX_TOTAL_PIXELS) est de {limit} pixels par demande. Demande moins d’images ou des images plus petites.',

  'refusals.img2img.strengthRange': 'La force doit être un nombre de {min} à {max}.',
  'refusals.img2img.strengthWithoutImage':
    'La force ne s’applique qu’à une image : joins-en une avec l’option image.',
  'refusals.img2img.tooManyPixels': '{width}×{height} dépasse la limite de {limit} pixels par image.',
  'refusals.img2img.totalPixels':
    '{count} images de {width}×{height} font {total} pixels au total ; la limite (MAX_TOTAL_PIXELS) est de {limit} pixels par demande. Demande moins d’images.',

  'refusals.input.tooLarge':
    'L’image fait {size} ; la limite est de {limit}. Envoie une image plus petite (ou un JPEG ou WebP).',
  'refusals.input.tooLargeStreamed':
    'L’image dépasse {limit} ; la limite est de {limit}. Envoie une image plus petite (ou un JPEG ou WebP).',
  'refusals.input.downloadFailed':
    'Impossible de télécharger l’image depuis Discord. Réessaie dans un instant.',
  'refusals.input.notAnImage':
    'La pièce jointe n’est pas une image PNG, JPEG ou WebP (quel que soit son nom). Joins une image dans l’un de ces formats.',
  'refusals.input.tooManyPixels':
    'L’image fait {width}×{height} ({pixels} pixels) ; la limite est de {limit} pixels. Envoie une image plus petite.',
  'refusals.input.tooSmall': 'L’image fait {width}×{height} ; elle doit faire au moins {min}×{min}.',

  'refusals.derived.upscaleTooLarge':
    'Un agrandissement ×{factor} donne {width}×{height} ({pixels} pixels) ; la limite (MAX_TOTAL_PIXELS) est de {limit} pixels.',
  'refusals.derived.steps': 'Le nombre d’étapes est désormais limité à {max}.',
  'refusals.derived.count': 'Désormais, {max} images au plus par demande.',
  'refusals.derived.tooManyPixels':
    '{width}×{height} dépasse désormais la limite de {limit} pixels par image.',
  'refusals.derived.totalPixels':
    '{count} images de {width}×{height} font {total} pixels au total ; la limite (MAX_TOTAL_PIXELS) est de {limit}.',

  'refusals.model.unknown': 'Modèle « {model} » inconnu.',
  'refusals.model.unknownClosest': 'Modèle « {model} » inconnu. Les plus proches : {closest}.',
  'refusals.model.unknownHint': 'Modèle « {model} » inconnu. Utilise /models pour tous les voir.',
  'refusals.model.unknownClosestHint':
    'Modèle « {model} » inconnu. Les plus proches : {closest}. Utilise /models pour tous les voir.',
  'refusals.sampler.unknown': 'Sampler « {name} » inconnu. Ce serveur propose : {names}.',
  'refusals.sampler.unknownMore':
    'Sampler « {name} » inconnu. Ce serveur propose : {names} et {more} autres.',
  'refusals.scheduler.unknown': 'Scheduler « {name} » inconnu. Ce serveur propose : {names}.',
  'refusals.scheduler.unknownMore':
    'Scheduler « {name} » inconnu. Ce serveur propose : {names} et {more} autres.',
  'refusals.upscaler.unknown': 'Upscaler « {name} » inconnu.',
  'refusals.upscaler.unknownClosest': 'Upscaler « {name} » inconnu. Les plus proches : {closest}.',

  'refusals.features.lorasOff': 'Les LoRA sont désactivés sur ce serveur Discord.',
  'refusals.features.stylesOff': 'Les styles sont désactivés sur ce serveur Discord.',
  'refusals.features.hiresOff': 'Le hires fix est désactivé sur ce serveur Discord.',
  'refusals.features.adetailerOff': 'ADetailer est désactivé sur ce serveur Discord.',
  'refusals.features.variantsOff':
    'Les variantes de prompt ({syntax}) sont désactivées sur ce serveur Discord.',
  'refusals.features.noLoraServer': 'Aucun serveur d’images ici n’accepte les LoRA.',
  'refusals.features.noHiresServer': 'Aucun serveur d’images ici ne fait de hires fix.',
  'refusals.features.noAdetailerServer':
    'Aucun serveur d’images ici n’a ADetailer (ni de retouche des visages).',
  'refusals.loras.noName': '« {entry} » ne nomme aucun LoRA ; écris nom ou nom:0.8.',
  'refusals.loras.badName': '« {name} » n’est pas un nom de LoRA ; écris nom ou nom:0.8.',
  'refusals.loras.badWeight': '« {weight} » n’est pas un poids pour {name} ; écris {name}:0.8.',
  'refusals.loras.weightRange': 'Le poids de {name} est {weight} ; utilise un nombre de {min} à {max}.',
  'refusals.loras.twice': '{name} est indiqué deux fois ; nomme chaque LoRA une seule fois.',
  'refusals.loras.tooManyPerImage': 'Cela fait {count} LoRA ; {max} au plus sont autorisés par image.',
  'refusals.loras.tooManyPerRequest': 'Cela fait {count} LoRA ; {max} au plus sont autorisés par demande.',
  'refusals.loras.unknown': 'LoRA « {name} » inconnu. Utilise /loras pour tous les voir.',
  'refusals.loras.unknownClosest':
    'LoRA « {name} » inconnu. Les plus proches : {closest}. Utilise /loras pour tous les voir.',
  'refusals.styles.unknownClosest': 'Style « {name} » inconnu. Les plus proches : {closest}.',
  'refusals.styles.unknownNone': 'Style « {name} » inconnu. Ce serveur n’en a aucun.',
  'refusals.hires.empty':
    'L’option hires est vide. Écris d’abord une échelle, comme 2 ou 1.5x, puis si tu veux un débruitage comme 0.4 et un upscaler.',
  'refusals.hires.notScaleOrSize':
    '« {text} » n’est ni une échelle ni une taille. Écris d’abord une échelle, comme 2 ou 1.5x, puis si tu veux un débruitage comme 0.4 et un upscaler.',
  'refusals.hires.tooSmall':
    '{width}×{height} est trop petit pour le hires fix ; chaque côté doit faire {min} pixels.',
  'refusals.hires.scaleRange':
    'Une échelle hires de {value} est hors limites ; utilise plus de 1 et au plus {max}.',
  'refusals.hires.stepsTwice': 'L’option hires indique les étapes deux fois.',
  'refusals.hires.stepsRange': 'Les étapes hires doivent aller de 1 à {max} ; {value} est hors limites.',
  'refusals.hires.denoiseTwice': 'L’option hires indique le débruitage deux fois.',
  'refusals.hires.denoiseZero': 'Un débruitage hires de 0 ne change rien ; utilise plus de 0, jusqu’à 1.',
  'refusals.hires.img2img': 'Le hires fix est réservé au texte vers image ; retire l’image.',
  'refusals.hires.mustEnlarge':
    'Le hires fix doit agrandir : {finalWidth}×{finalHeight} n’est pas plus grand que {width}×{height}.',
  'refusals.hires.scaleTooHigh': 'Cela fait une échelle hires de {scale} ; le maximum autorisé est {max}.',
  'refusals.hires.perImageScaleFits':
    'Le hires fix agrandit {width}×{height} en {finalWidth}×{finalHeight}, soit {pixels} pixels par image ; la limite (MAX_PIXELS) est de {limit}. Une échelle de {fits} au plus passe.',
  'refusals.hires.perImageSmaller':
    'Le hires fix agrandit {width}×{height} en {finalWidth}×{finalHeight}, soit {pixels} pixels par image ; la limite (MAX_PIXELS) est de {limit}. Choisis une taille de départ plus petite ou moins d’images.',
  'refusals.hires.totalScaleFits':
    '{count} images de {finalWidth}×{finalHeight} après hires fix font {total} pixels au total ; la limite (MAX_TOTAL_PIXELS) est de {limit} pixels par demande. Une échelle de {fits} au plus passe.',
  'refusals.hires.totalSmaller':
    '{count} images de {finalWidth}×{finalHeight} après hires fix font {total} pixels au total ; la limite (MAX_TOTAL_PIXELS) est de {limit} pixels par demande. Choisis une taille de départ plus petite ou moins d’images.',
  'refusals.hires.totalOneScaleFits':
    'Une image de {finalWidth}×{finalHeight} après hires fix fait {total} pixels au total ; la limite (MAX_TOTAL_PIXELS) est de {limit} pixels par demande. Une échelle de {fits} au plus passe.',
  'refusals.hires.totalOneSmaller':
    'Une image de {finalWidth}×{finalHeight} après hires fix fait {total} pixels au total ; la limite (MAX_TOTAL_PIXELS) est de {limit} pixels par demande. Choisis une taille de départ plus petite ou moins d’images.',
  'refusals.variants.unclosed':
    'Le « {open} » au caractère {position} n’a pas de « {close} » correspondant. Ferme le groupe, ou écris {escapedOpen} pour une accolade littérale.',
  'refusals.variants.strayClose':
    'Le « {close} » au caractère {position} ne ferme aucun « {open} ». Écris {escapedClose} pour une accolade littérale.',
  'refusals.variants.tooMany':
    'Le prompt donne {count} variantes avec ses choix {syntax} ; la limite est de {limit}. Utilise moins de choix.',
  'refusals.variants.tooManyImages':
    'Le prompt donne {variants} variantes avec ses choix {syntax} ; à {count} images chacune, cela fait {images} images, et la limite est de {limit} par demande. Utilise moins de choix ou un nombre d’images plus bas.',
  'refusals.variants.tooManyImagesOne':
    'Le prompt donne {variants} variantes avec ses choix {syntax} ; à une image chacune, cela fait {images} images, et la limite est de {limit} par demande. Utilise moins de choix ou un nombre d’images plus bas.',

  'refusals.blocked.prompt':
    'Ton prompt contient un terme bloqué sur ce serveur, donc rien n’a été généré. Reformule-le et réessaie.',
  'refusals.blocked.promptWord':
    'Ton prompt contient un terme bloqué sur ce serveur (« {word} »), donc rien n’a été généré. Reformule-le et réessaie.',
  'refusals.blocked.negativePrompt':
    'Ton prompt négatif contient un terme bloqué sur ce serveur, donc rien n’a été généré. Reformule-le et réessaie.',
  'refusals.blocked.negativePromptWord':
    'Ton prompt négatif contient un terme bloqué sur ce serveur (« {word} »), donc rien n’a été généré. Reformule-le et réessaie.',
  'refusals.blocked.termEmpty': 'Le terme est vide.',
  'refusals.blocked.termTooLong': 'Un terme bloqué peut faire au plus {max} caractères.',
  'refusals.blocked.patternUnsupported':
    'Ce motif utilise quelque chose que le moteur en temps linéaire ne gère pas : des références arrière (comme `\\1`), des assertions avant/arrière (comme `(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`) ou une répétition au-delà de 1000. Réécris-le sans.',
  'refusals.blocked.patternInvalid': 'Ce n’est pas une expression régulière valide.',
  'refusals.blocked.already': 'Ce terme est déjà bloqué.',
  'refusals.blocked.full': 'Ce serveur bloque déjà {max} termes, le maximum. Retires-en un d’abord.',
  'refusals.blocked.termAdded': 'Terme bloqué ajouté ({count} au total).',
  'refusals.blocked.patternAdded': 'Motif bloqué ajouté ({count} au total).',
  'refusals.blocked.notListed':
    'Ce terme n’est pas dans la liste des termes bloqués de ce serveur. Vois /settings blocked-words list.',
  'refusals.blocked.removed': 'Terme bloqué retiré (il en reste {count}).',
  'refusals.quota.cooldownSecond':
    'Sur ce serveur, tu peux faire une demande par seconde. Réessaie <t:{at}:R>.',
  'refusals.quota.cooldownSeconds':
    'Sur ce serveur, tu peux faire une demande toutes les {count} secondes. Réessaie <t:{at}:R>.',
  'refusals.quota.cooldownMinute':
    'Sur ce serveur, tu peux faire une demande par minute. Réessaie <t:{at}:R>.',
  'refusals.quota.cooldownMinutes':
    'Sur ce serveur, tu peux faire une demande toutes les {count} minutes. Réessaie <t:{at}:R>.',
  'refusals.quota.cooldownHour': 'Sur ce serveur, tu peux faire une demande par heure. Réessaie <t:{at}:R>.',
  'refusals.quota.cooldownHours':
    'Sur ce serveur, tu peux faire une demande toutes les {count} heures. Réessaie <t:{at}:R>.',
  'refusals.quota.hourlyLimit':
    'Ce serveur a atteint sa limite de {limit} demandes par heure. Réessaie <t:{at}:R>.',
  'refusals.quota.hourlyLimitOne':
    'Ce serveur a atteint sa limite d’une demande par heure. Réessaie <t:{at}:R>.',

  'refusals.audit.queued': '<@{userId}> a demandé /{command} dans <#{channelId}>',
  'refusals.audit.blocked': '<@{userId}> a été refusé (terme bloqué) pour /{command} dans <#{channelId}>',
  'refusals.audit.overQuota': '<@{userId}> a été refusé (quota) pour /{command} dans <#{channelId}>',
  'refusals.audit.buttonCommand': 'imagine (bouton sous un résultat)',
  'refusals.audit.prompt': 'Prompt : {prompt}',
  'refusals.audit.negative': 'Négatif : {prompt}',
  'refusals.nsfwMode.off': 'rien n’est ajouté',
  'refusals.nsfwMode.negativePrompt': 'le prompt négatif SFW est ajouté',
  'refusals.nsfwMode.spoiler': 'les images sont publiées en spoiler',
  'refusals.nsfwMode.both': 'le prompt négatif SFW est ajouté et les images sont publiées en spoiler',

  'refusals.features.resetAll':
    'Tous les réglages des fonctions reprennent la valeur par défaut du bot (les styles sont conservés).',
  'refusals.features.lorasAllowed': 'LoRA : autorisés.',
  'refusals.features.lorasTurnedOff': 'LoRA : désactivés.',
  'refusals.features.stylesAllowed': 'Styles : autorisés.',
  'refusals.features.stylesTurnedOff': 'Styles : désactivés.',
  'refusals.features.hiresAllowed': 'Hires fix : autorisé.',
  'refusals.features.hiresTurnedOff': 'Hires fix : désactivé.',
  'refusals.features.adetailerAllowed': 'ADetailer : autorisé.',
  'refusals.features.adetailerTurnedOff': 'ADetailer : désactivé.',
  'refusals.features.variantsAllowed': 'Variantes de prompt : autorisées.',
  'refusals.features.variantsTurnedOff': 'Variantes de prompt : désactivées.',
  'refusals.features.maxLorasRange':
    'Le nombre maximal de LoRA doit être un entier de {min} à {max} (MAX_LORAS).',
  'refusals.features.maxLoras': 'LoRA au plus par demande : {count}.',
  'refusals.features.maxHiresScaleRange':
    'L’échelle hires maximale doit aller de {min} à {max} (MAX_HIRES_SCALE).',
  'refusals.features.maxHiresScale': 'Échelle hires maximale : {scale}.',
  'refusals.features.hiresUpscaler': 'Upscaler hires : {name}.',
  'refusals.features.hiresDenoiseRange': 'Le débruitage hires doit être supérieur à 0, jusqu’à 1.',
  'refusals.features.hiresDenoise': 'Débruitage hires : {denoise}.',
  'refusals.features.hiresStepsRange': 'Les étapes hires doivent être un entier de {min} à {max}.',
  'refusals.features.hiresSteps': 'Étapes hires : {steps}.',
  'refusals.features.modelAndFamily': 'Indique à la fois un modèle et sa famille.',
  'refusals.features.familyAuto': '{model} : famille de nouveau détectée.',
  'refusals.features.family': '{model} : {family}.',
  'refusals.styles.needsName': 'Le style a besoin d’un nom.',
  'refusals.styles.notFound': 'Il n’y a pas de style « {name} » à retirer.',
  'refusals.styles.removed': 'Style {name} retiré.',
  'refusals.styles.needsPrompt': 'Un style a besoin d’un ajout au prompt ou au prompt négatif.',
  'refusals.styles.promptTooLong': 'Le prompt du style fait {length} caractères ; la limite est de {limit}.',
  'refusals.styles.negativeTooLong':
    'Le prompt négatif du style fait {length} caractères ; la limite est de {limit}.',
  'refusals.styles.full': 'Ce serveur a déjà {max} styles, le maximum. Retires-en un d’abord.',
  'refusals.styles.added': 'Style {name} ajouté : utilise-le avec /imagine style:{name}.',
  'refusals.styles.replaced': 'Style {name} remplacé : utilise-le avec /imagine style:{name}.',
  'refusals.blockedList.empty':
    'Ce serveur ne bloque aucun terme. Ajoutes-en un avec /settings blocked-words add.',
  'refusals.blockedList.header': 'Ce serveur bloque {count} termes :',
  'refusals.blockedList.headerOne': 'Ce serveur bloque 1 terme :',
  'refusals.blockedList.more': '…et {count} de plus.',
  ...settingsFr,
};
