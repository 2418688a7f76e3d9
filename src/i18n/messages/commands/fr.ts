import type { AreaCatalog } from '../area.js';
import type { en } from './en.js';
import { fr as settingsFr } from './settings/fr.js';

export const fr: AreaCatalog<typeof en> = {
  'commands.cancel.cancelled': 'Annulé.',
  'commands.cancel.interrupting': 'Arrêt de la génération…',
  'commands.cancel.pending':
    'Annulé. Le serveur d’images ne l’avait pas encore commencée (il termine d’abord un autre travail) ; elle sera arrêtée dès qu’elle démarre, et rien ne sera livré.',
  'commands.cancel.discarding':
    'Annulé. Ce serveur d’images ne peut pas arrêter une génération déjà commencée : elle ira jusqu’au bout et l’image sera jetée.',
  'commands.cancel.finished': 'Cette tâche est déjà terminée.',
  'commands.cancel.alreadyCancelled': 'Cette tâche a déjà été annulée.',
  'commands.cancel.jobGone': 'Cette tâche n’existe plus.',
  'commands.cancel.notYours': 'Seul le membre qui a demandé cette image (ou un modérateur) peut l’annuler.',
  'commands.submit.shuttingDown':
    'Le bot redémarre et n’accepte pas de nouvelles images pour le moment. Réessaie dans une minute.',
  'commands.submit.userLimit':
    'Tu as déjà {limit} images en attente ou en cours (la limite par membre). Attends qu’une se termine ou annules-en une.',
  'commands.submit.queueFull':
    'La file d’attente est pleine ({limit} images). Réessaie dans quelques minutes.',
  'commands.unroutable.anyModel': 'Aucun serveur d’images ici ne peut exécuter cette tâche. {holds}.',
  'commands.unroutable.model':
    'Aucun serveur d’images ici ne peut utiliser **{model}** : {holds}. Choisis l’un de ces modèles, ou consulte /models.',
  'commands.unroutable.holds': '{server} a `{model}`',
  'commands.unroutable.holdsEngine': '{server} ({engine}) a `{model}`',
  'commands.unroutable.holdsFixed': '{server} ({engine}) a `{model}` (fixe : il ne peut pas en changer)',
  'commands.unroutable.noModelLoaded': 'aucun modèle chargé',
  'commands.server.idle': 'disponible',
  'commands.server.busy': 'occupé',
  'commands.server.down': 'injoignable',
  'commands.router.unknownCommand': 'Cette commande n’est plus disponible.',
  'commands.router.unknownButton': 'Ce bouton n’est plus disponible.',
  'commands.router.unknownForm': 'Ce formulaire n’est plus disponible.',
  'commands.router.withReference': '{text} (référence {reference})',
  'commands.result.jobGone':
    'Ce résultat n’est plus conservé, ses boutons ne fonctionnent donc plus. Utilise /imagine pour recommencer.',
  'commands.result.jobUnfinished':
    'Cette tâche ne s’est pas terminée par une image : il n’y a rien sur quoi travailler.',
  'commands.result.noChannel': 'Ce bouton ne fonctionne que dans un salon.',
  'commands.result.notAGeneration':
    'Une image agrandie ne peut pas être générée à nouveau. Utilise les boutons de l’originale.',
  'commands.result.cannotUpscale':
    'Le serveur d’images ne sait pas agrandir les images (il n’a pas de route d’upscaler) : rien n’a été agrandi.',
  'commands.result.serverUnreachable':
    'Le serveur d’images est injoignable pour le moment. Réessaie dans une minute.',
  'commands.result.unknownUpscaler':
    'L’upscaler « {name} » (UPSCALER) n’est pas installé sur le serveur d’images : rien n’a été agrandi. Demande à l’opérateur du bot de régler UPSCALER sur l’un de ceux-ci : {available}.',
  'commands.result.unknownUpscalerNoneListed':
    'L’upscaler « {name} » (UPSCALER) n’est pas installé sur le serveur d’images : rien n’a été agrandi, et le serveur n’en liste aucun autre. Demande à l’opérateur du bot d’en installer un.',
  'commands.result.originalGoneUpscale':
    'L’original de cette image n’est plus conservé : elle ne peut pas être agrandie.',
  'commands.result.originalGone': 'L’original de cette image n’est plus conservé.',
  'commands.result.remixModalTitle': 'Remix',
  'commands.result.promptLabel': 'Prompt',
  'commands.result.negativePromptLabel': 'Prompt négatif',
  'commands.result.negativeTooLong': 'Le prompt négatif fait {length} caractères ; la limite est de {limit}.',
  'commands.result.infoGone': 'Ce résultat n’est plus conservé : il n’y a rien à afficher.',
  'commands.result.deleteNotYours':
    'Seul le membre qui a demandé cette image (ou un modérateur) peut la supprimer.',
  'commands.result.deleteGone':
    'Ce résultat n’est plus conservé ; seul un modérateur peut encore le supprimer.',
  'commands.result.deleted': 'Supprimé.',
  'commands.pages.missing': 'Cette page n’existe pas.',
  'commands.loras.notYours':
    'Seul le membre qui a lancé /loras peut en tourner les pages. Lance /loras toi-même.',
  'commands.models.notYours':
    'Seul le membre qui a lancé /models peut en tourner les pages. Lance /models toi-même.',
  'commands.models.rescanForbidden':
    'Réanalyser le dossier des modèles nécessite l’autorisation « Gérer le serveur ».',
  'commands.setmodel.guildOnly': 'Utilise /setmodel sur un serveur.',
  'commands.setmodel.forbidden':
    'Changer le modèle du serveur nécessite l’autorisation « Gérer le serveur ».',
  'commands.setmodel.unknown': 'Modèle inconnu « {input} ». Utilise /models pour tous les voir.',
  'commands.setmodel.unknownClosest':
    'Modèle inconnu « {input} ». Les plus proches : {closest}. Utilise /models pour tous les voir.',
  'commands.setmodel.loading': 'Chargement de **{model}**… cela peut prendre une ou deux minutes.',
  'commands.setmodel.keepsFixed': 'garde `{model}` ({engine} ne peut pas changer de modèle)',
  'commands.setmodel.itsModel': 'son modèle',
  'commands.setmodel.stillLoaded':
    'a toujours `{model}` chargé (le chargement a échoué ; le journal de la WebUI dit pourquoi)',
  'commands.setmodel.noModel': 'aucun modèle',
  'commands.setmodel.failed': 'Impossible de passer à **{model}**.',
  'commands.setmodel.defaultStays': 'Le modèle par défaut de ce serveur reste **{model}**.',
  'commands.setmodel.defaultStaysUnset': 'Ce serveur n’a toujours pas de modèle par défaut.',
  'commands.setmodel.switched':
    'Passé à **{model}**. C’est désormais le modèle par défaut de ce serveur pour /imagine.',
  'commands.setmodel.fixedElsewhere':
    '{line} : les tâches pour ce modèle vont aux serveurs d’images qui l’ont.',
  'commands.queue.title': 'File d’attente',
  'commands.queue.summary': '**{waiting}** en attente, **{running}** en cours de génération.',
  'commands.queue.yours': '**Les tiennes**',
  'commands.queue.nothing': 'Rien dans la file.',
  'commands.queue.servers': '**Serveurs d’images**',
  'commands.queue.generatingNow': 'en cours de génération',
  'commands.queue.position': 'position {position} sur {total}',
  'commands.queue.limits': 'Il {limits}.',
  'commands.limit.noProgress': 'n’affiche aucune progression pendant le travail',
  'commands.limit.noProgressDetail':
    'n’affiche aucune progression pendant le travail : la réponse indique depuis combien de temps',
  'commands.limit.globalProgress': 'ne donne la progression que pour tout le serveur',
  'commands.limit.globalProgressDetail':
    'ne donne la progression que pour tout le serveur : le bot l’affiche tant que sa tâche y est la seule',
  'commands.limit.noPreview': 'n’envoie pas d’aperçu en direct',
  'commands.limit.noPreviewDetail': 'n’envoie pas d’aperçu en direct',
  'commands.limit.noInterrupt': 'ne peut pas arrêter une génération sans arrêter les autres',
  'commands.limit.noInterruptDetail':
    'ne peut pas arrêter une génération sans arrêter les autres : une image annulée est terminée puis jetée',
  'commands.limit.noUpscale': 'ne sait pas agrandir les images',
  'commands.limit.noUpscaleDetail':
    'ne sait pas agrandir les images : le bouton d’agrandissement va à un serveur qui le peut, ou n’est pas proposé',
  'commands.limit.fixedModel': 'a un seul modèle, choisi à son démarrage',
  'commands.limit.fixedModelDetail': 'a un seul modèle, choisi à son démarrage : il ne peut pas en changer',
  'commands.limit.noImg2img': 'ne peut pas partir d’une image (img2img)',
  'commands.limit.noImg2imgDetail': 'ne peut pas partir d’une image (img2img)',
  'commands.limit.noSchedulers': 'n’a pas de choix de scheduler propre',
  'commands.limit.noSchedulersDetail': 'n’a pas de choix de scheduler propre',
  'commands.limit.combinedSchedulers': 'nomme les samplers avec leur planification (« DPM++ 2M Karras »)',
  'commands.limit.combinedSchedulersDetail':
    'nomme les samplers avec leur planification (« DPM++ 2M Karras ») : le bot les combine',
  'commands.limit.sizeMultiple': 'veut des tailles multiples de {multiple}',
  'commands.limit.sizeMultipleDetail': 'veut des tailles multiples de {multiple} : le bot les arrondit',
  'commands.limit.ownSeeds': 'tire la seed d’une image aléatoire de l’horloge',
  'commands.limit.ownSeedsDetail':
    'tire la seed d’une image aléatoire de l’horloge : le bot choisit lui-même chaque seed',
  'commands.limit.noLoras': 'ne liste aucun LoRA',
  'commands.limit.noLorasDetail': 'ne liste aucun LoRA',
  'commands.limit.noStyles': 'n’a pas de styles enregistrés',
  'commands.limit.noStylesDetail': 'n’a pas de styles enregistrés',
  'commands.imagine.commandName': 'imagine',
  'commands.imagine.commandDescription': 'Générer une image à partir d’un prompt',
  'commands.imagine.promptOptionName': 'prompt',
  'commands.imagine.promptOptionDescription': 'Ce qu’il faut dessiner',
  'commands.imagine.negativePromptOptionName': 'prompt_négatif',
  'commands.imagine.negativePromptOptionDescription': 'Ce qu’il faut éviter (les embeddings sont proposés)',
  'commands.imagine.aspectOptionName': 'format',
  'commands.imagine.aspectOptionDescription': 'Format de l’image (au lieu de la largeur et de la hauteur)',
  'commands.imagine.widthOptionName': 'largeur',
  'commands.imagine.widthOptionDescription': 'Largeur en pixels, un multiple de 8',
  'commands.imagine.heightOptionName': 'hauteur',
  'commands.imagine.heightOptionDescription': 'Hauteur en pixels, un multiple de 8',
  'commands.imagine.stepsOptionName': 'étapes',
  'commands.imagine.stepsOptionDescription': 'Nombre d’étapes d’échantillonnage',
  'commands.imagine.cfgScaleOptionName': 'échelle_cfg',
  'commands.imagine.cfgScaleOptionDescription': 'Fidélité au prompt (1-30)',
  'commands.imagine.seedOptionName': 'seed',
  'commands.imagine.seedOptionDescription': 'Seed (-1 ou vide pour une seed aléatoire)',
  'commands.imagine.samplerOptionName': 'sampler',
  'commands.imagine.samplerOptionDescription': 'Sampler',
  'commands.imagine.schedulerOptionName': 'scheduler',
  'commands.imagine.schedulerOptionDescription': 'Scheduler',
  'commands.imagine.countOptionName': 'nombre',
  'commands.imagine.countOptionDescription': 'Combien d’images (1-4)',
  'commands.imagine.modelOptionName': 'modèle',
  'commands.imagine.modelOptionDescription': 'Checkpoint',
  'commands.imagine.imageOptionName': 'image',
  'commands.imagine.imageOptionDescription': 'Partir de cette image (PNG, JPEG ou WebP) : img2img',
  'commands.imagine.strengthOptionName': 'intensité',
  'commands.imagine.strengthOptionDescription':
    'À quel point modifier l’image fournie (0-1, 0,75 par défaut)',
  'commands.imagine.loraOptionName': 'lora',
  'commands.imagine.loraOptionDescription':
    'LoRA : nom ou nom:0.8, plusieurs séparés par des virgules (voir /loras)',
  'commands.imagine.styleOptionName': 'style',
  'commands.imagine.styleOptionDescription': 'Un style à appliquer',
  'commands.imagine.hiresOptionName': 'hires',
  'commands.imagine.hiresOptionDescription':
    'Hires fix : facteur, puis débruitage et upscaler, p. ex. « 2 R-ESRGAN 4x+ 0.4 »',
  'commands.imagine.adetailerOptionName': 'adetailer',
  'commands.imagine.adetailerOptionDescription': 'Corriger les visages avec ADetailer (si le serveur l’a)',
  'commands.models.commandName': 'modèles',
  'commands.models.commandDescription': 'Lister les checkpoints du serveur d’images',
  'commands.models.rescanOptionName': 'réanalyser',
  'commands.models.rescanOptionDescription': 'Réanalyser d’abord le dossier des modèles (Gérer le serveur)',
  'commands.setmodel.commandName': 'choisir_modèle',
  'commands.setmodel.commandDescription':
    'Changer de checkpoint et en faire le modèle par défaut de ce serveur',
  'commands.setmodel.modelOptionName': 'modèle',
  'commands.setmodel.modelOptionDescription': 'Checkpoint',
  'commands.queue.commandName': 'file',
  'commands.queue.commandDescription':
    'Tes images en attente, la longueur de la file et l’état des serveurs d’images',
  'commands.loras.commandName': 'loras',
  'commands.loras.commandDescription': 'Lister les LoRA (ou les embeddings) des serveurs d’images',
  'commands.loras.showOptionName': 'afficher',
  'commands.loras.showOptionDescription': 'LoRA (par défaut) ou embeddings',
  'commands.loras.lorasChoice': 'LoRA',
  'commands.loras.embeddingsChoice': 'embeddings',
  ...settingsFr,
};
