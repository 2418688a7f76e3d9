import type { AreaCatalog } from '../area.js';
import type { en } from './en.js';
import { de as settingsDe } from './settings/de.js';

export const de: AreaCatalog<typeof en> = {
  'commands.cancel.cancelled': 'Abgebrochen.',
  'commands.cancel.interrupting': 'Die Generierung wird angehalten …',
  'commands.cancel.pending':
    'Abgebrochen. Der Bildserver hatte noch nicht damit begonnen (er erledigt erst andere Aufträge); sobald er anfängt, wird er gestoppt, und es wird nichts geliefert.',
  'commands.cancel.discarding':
    'Abgebrochen. Dieser Bildserver kann eine laufende Generierung nicht anhalten: Sie läuft zu Ende, und das Bild wird verworfen.',
  'commands.cancel.finished': 'Dieser Auftrag ist bereits fertig.',
  'commands.cancel.alreadyCancelled': 'Dieser Auftrag wurde bereits abgebrochen.',
  'commands.cancel.jobGone': 'Diesen Auftrag gibt es nicht mehr.',
  'commands.cancel.notYours':
    'Nur das Mitglied, das dieses Bild angefordert hat (oder ein Moderator), kann es abbrechen.',
  'commands.submit.shuttingDown':
    'Der Bot startet gerade neu und nimmt im Moment keine neuen Bilder an. Versuch es in einer Minute noch einmal.',
  'commands.submit.userLimit':
    'Du hast bereits {limit} Bilder in der Warteschlange oder in Arbeit (das Limit pro Mitglied). Warte, bis eines fertig ist, oder brich eines ab.',
  'commands.submit.queueFull':
    'Die Warteschlange ist voll ({limit} Bilder). Versuch es in ein paar Minuten noch einmal.',
  'commands.unroutable.anyModel': 'Kein Bildserver hier kann diesen Auftrag ausführen. {holds}.',
  'commands.unroutable.model':
    'Kein Bildserver hier kann **{model}** verwenden: {holds}. Wähle eines dieser Modelle oder sieh in /models nach.',
  'commands.unroutable.holds': '{server} hat `{model}`',
  'commands.unroutable.holdsEngine': '{server} ({engine}) hat `{model}`',
  'commands.unroutable.holdsFixed': '{server} ({engine}) hat `{model}` (fest: kann nicht wechseln)',
  'commands.unroutable.noModelLoaded': 'kein Modell geladen',
  'commands.server.idle': 'bereit',
  'commands.server.busy': 'beschäftigt',
  'commands.server.down': 'nicht erreichbar',
  'commands.router.unknownCommand': 'Dieser Befehl ist nicht mehr verfügbar.',
  'commands.router.unknownButton': 'Dieser Button ist nicht mehr verfügbar.',
  'commands.router.unknownForm': 'Dieses Formular ist nicht mehr verfügbar.',
  'commands.router.withReference': '{text} (Referenz {reference})',
  'commands.result.jobGone':
    'Dieses Ergebnis ist nicht mehr gespeichert, daher funktionieren seine Buttons nicht mehr. Starte mit /imagine neu.',
  'commands.result.jobUnfinished':
    'Dieser Auftrag hat kein Bild geliefert, es gibt also nichts, womit man weiterarbeiten könnte.',
  'commands.result.noChannel': 'Dieser Button funktioniert nur in einem Kanal.',
  'commands.result.notAGeneration':
    'Ein hochskaliertes Bild kann nicht neu generiert werden. Nutze die Buttons des Originals.',
  'commands.result.cannotUpscale':
    'Der Bildserver kann keine Bilder hochskalieren (er hat keine Upscaler-Schnittstelle), daher wurde nichts hochskaliert.',
  'commands.result.serverUnreachable':
    'Der Bildserver ist gerade nicht erreichbar. Versuch es in einer Minute noch einmal.',
  'commands.result.unknownUpscaler':
    'Der Upscaler „{name}“ (UPSCALER) ist auf dem Bildserver nicht installiert, daher wurde nichts hochskaliert. Bitte den Betreiber des Bots, UPSCALER auf einen dieser Werte zu setzen: {available}.',
  'commands.result.unknownUpscalerNoneListed':
    'Der Upscaler „{name}“ (UPSCALER) ist auf dem Bildserver nicht installiert, daher wurde nichts hochskaliert, und der Server nennt keinen anderen. Bitte den Betreiber des Bots, einen zu installieren.',
  'commands.result.originalGoneUpscale':
    'Das Original dieses Bildes ist nicht mehr vorhanden, daher kann es nicht hochskaliert werden.',
  'commands.result.originalGone': 'Das Original dieses Bildes ist nicht mehr vorhanden.',
  'commands.result.remixModalTitle': 'Remix',
  'commands.result.promptLabel': 'Prompt',
  'commands.result.negativePromptLabel': 'Negativer Prompt',
  'commands.result.negativeTooLong': 'Der negative Prompt hat {length} Zeichen; erlaubt sind {limit}.',
  'commands.result.infoGone': 'Dieses Ergebnis ist nicht mehr gespeichert, es gibt also nichts anzuzeigen.',
  'commands.result.deleteNotYours':
    'Nur das Mitglied, das dieses Bild angefordert hat (oder ein Moderator), kann es löschen.',
  'commands.result.deleteGone':
    'Dieses Ergebnis ist nicht mehr gespeichert; löschen kann es jetzt nur noch ein Moderator.',
  'commands.result.deleted': 'Gelöscht.',
  'commands.pages.missing': 'Diese Seite gibt es nicht.',
  'commands.loras.notYours':
    'Nur das Mitglied, das /loras ausgeführt hat, kann umblättern. Führe /loras selbst aus.',
  'commands.models.notYours':
    'Nur das Mitglied, das /models ausgeführt hat, kann umblättern. Führe /models selbst aus.',
  'commands.models.rescanForbidden':
    'Zum erneuten Einlesen des Modellordners brauchst du die Berechtigung „Server verwalten“.',
  'commands.setmodel.guildOnly': 'Verwende /setmodel auf einem Server.',
  'commands.setmodel.forbidden':
    'Zum Ändern des Server-Modells brauchst du die Berechtigung „Server verwalten“.',
  'commands.setmodel.unknown': 'Unbekanntes Modell „{input}“. Mit /models siehst du alle.',
  'commands.setmodel.unknownClosest':
    'Unbekanntes Modell „{input}“. Am ähnlichsten: {closest}. Mit /models siehst du alle.',
  'commands.setmodel.loading': '**{model}** wird geladen … das kann ein, zwei Minuten dauern.',
  'commands.setmodel.keepsFixed': 'behält `{model}` ({engine} kann das Modell nicht wechseln)',
  'commands.setmodel.itsModel': 'sein Modell',
  'commands.setmodel.stillLoaded':
    'hat weiterhin `{model}` geladen (das Laden ist fehlgeschlagen; das WebUI-Log sagt, warum)',
  'commands.setmodel.noModel': 'kein Modell',
  'commands.setmodel.failed': 'Wechsel zu **{model}** nicht möglich.',
  'commands.setmodel.defaultStays': 'Der Standard dieses Servers bleibt **{model}**.',
  'commands.setmodel.defaultStaysUnset': 'Dieser Server hat weiterhin keinen Standard.',
  'commands.setmodel.switched':
    'Gewechselt zu **{model}**. Es ist jetzt der Standard dieses Servers für /imagine.',
  'commands.setmodel.fixedElsewhere':
    '{line}: Aufträge für dieses Modell gehen an die Bildserver, die es haben.',
  'commands.queue.title': 'Warteschlange',
  'commands.queue.summary': '**{waiting}** wartend, **{running}** in Arbeit.',
  'commands.queue.yours': '**Deine**',
  'commands.queue.nothing': 'Nichts in der Warteschlange.',
  'commands.queue.servers': '**Bildserver**',
  'commands.queue.generatingNow': 'wird gerade generiert',
  'commands.queue.position': 'Platz {position} von {total}',
  'commands.queue.limits': 'Er {limits}.',
  'commands.limit.noProgress': 'zeigt während der Arbeit keinen Fortschritt',
  'commands.limit.noProgressDetail':
    'zeigt während der Arbeit keinen Fortschritt: Die Antwort nennt die bisherige Dauer',
  'commands.limit.globalProgress': 'meldet Fortschritt nur für den ganzen Server',
  'commands.limit.globalProgressDetail':
    'meldet Fortschritt nur für den ganzen Server: Der Bot zeigt ihn, solange sein Auftrag dort der einzige ist',
  'commands.limit.noPreview': 'sendet keine Live-Vorschau',
  'commands.limit.noPreviewDetail': 'sendet keine Live-Vorschau',
  'commands.limit.noInterrupt': 'kann eine Generierung nicht anhalten, ohne andere anzuhalten',
  'commands.limit.noInterruptDetail':
    'kann eine Generierung nicht anhalten, ohne andere anzuhalten: Ein abgebrochenes Bild wird fertiggestellt und verworfen',
  'commands.limit.noUpscale': 'kann keine Bilder hochskalieren',
  'commands.limit.noUpscaleDetail':
    'kann keine Bilder hochskalieren: Der Upscale-Button geht an einen Server, der es kann, oder wird nicht angeboten',
  'commands.limit.fixedModel': 'hat ein Modell, das beim Start festgelegt wurde',
  'commands.limit.fixedModelDetail':
    'hat ein Modell, das beim Start festgelegt wurde: Er kann das Modell nicht wechseln',
  'commands.limit.noImg2img': 'kann nicht von einem Bild ausgehen (img2img)',
  'commands.limit.noImg2imgDetail': 'kann nicht von einem Bild ausgehen (img2img)',
  'commands.limit.noSchedulers': 'hat keine eigene Scheduler-Auswahl',
  'commands.limit.noSchedulersDetail': 'hat keine eigene Scheduler-Auswahl',
  'commands.limit.combinedSchedulers': 'benennt Sampler mit ihrem Schedule („DPM++ 2M Karras“)',
  'commands.limit.combinedSchedulersDetail':
    'benennt Sampler mit ihrem Schedule („DPM++ 2M Karras“): Der Bot kombiniert sie',
  'commands.limit.sizeMultiple': 'braucht Größen in Vielfachen von {multiple}',
  'commands.limit.sizeMultipleDetail': 'braucht Größen in Vielfachen von {multiple}: Der Bot rundet sie',
  'commands.limit.ownSeeds': 'wählt den Seed eines Zufallsbildes nach der Uhr',
  'commands.limit.ownSeedsDetail':
    'wählt den Seed eines Zufallsbildes nach der Uhr: Der Bot wählt jeden Seed selbst',
  'commands.limit.noLoras': 'listet keine LoRAs auf',
  'commands.limit.noLorasDetail': 'listet keine LoRAs auf',
  'commands.limit.noStyles': 'hat keine gespeicherten Stile',
  'commands.limit.noStylesDetail': 'hat keine gespeicherten Stile',
  'commands.imagine.commandName': 'imagine',
  'commands.imagine.commandDescription': 'Ein Bild aus einem Prompt generieren',
  'commands.imagine.promptOptionName': 'prompt',
  'commands.imagine.promptOptionDescription': 'Was gezeichnet werden soll',
  'commands.imagine.negativePromptOptionName': 'negativer_prompt',
  'commands.imagine.negativePromptOptionDescription':
    'Was vermieden werden soll (Embeddings werden vervollständigt)',
  'commands.imagine.aspectOptionName': 'seitenverhältnis',
  'commands.imagine.aspectOptionDescription': 'Seitenverhältnis (statt Breite und Höhe)',
  'commands.imagine.widthOptionName': 'breite',
  'commands.imagine.widthOptionDescription': 'Breite in Pixeln, ein Vielfaches von 8',
  'commands.imagine.heightOptionName': 'höhe',
  'commands.imagine.heightOptionDescription': 'Höhe in Pixeln, ein Vielfaches von 8',
  'commands.imagine.stepsOptionName': 'schritte',
  'commands.imagine.stepsOptionDescription': 'Sampling-Schritte',
  'commands.imagine.cfgScaleOptionName': 'cfg_skala',
  'commands.imagine.cfgScaleOptionDescription': 'Wie genau der Prompt befolgt wird (1–30)',
  'commands.imagine.seedOptionName': 'seed',
  'commands.imagine.seedOptionDescription': 'Seed (-1 oder leer für zufällig)',
  'commands.imagine.samplerOptionName': 'sampler',
  'commands.imagine.samplerOptionDescription': 'Sampler',
  'commands.imagine.schedulerOptionName': 'scheduler',
  'commands.imagine.schedulerOptionDescription': 'Scheduler',
  'commands.imagine.countOptionName': 'anzahl',
  'commands.imagine.countOptionDescription': 'Wie viele Bilder (1–4)',
  'commands.imagine.modelOptionName': 'modell',
  'commands.imagine.modelOptionDescription': 'Checkpoint',
  'commands.imagine.imageOptionName': 'bild',
  'commands.imagine.imageOptionDescription': 'Von diesem Bild ausgehen (PNG, JPEG oder WebP): img2img',
  'commands.imagine.strengthOptionName': 'stärke',
  'commands.imagine.strengthOptionDescription': 'Wie stark das Bild verändert wird (0–1, Standard 0,75)',
  'commands.imagine.loraOptionName': 'lora',
  'commands.imagine.loraOptionDescription':
    'LoRAs: Name oder Name:0.8, mehrere durch Kommas getrennt (siehe /loras)',
  'commands.imagine.styleOptionName': 'stil',
  'commands.imagine.styleOptionDescription': 'Ein anzuwendender Stil',
  'commands.imagine.hiresOptionName': 'hires',
  'commands.imagine.hiresOptionDescription':
    'Hires Fix: Faktor, dann Denoise und Upscaler, z. B. „2 R-ESRGAN 4x+ 0.4“',
  'commands.imagine.adetailerOptionName': 'adetailer',
  'commands.imagine.adetailerOptionDescription': 'Gesichter mit ADetailer verbessern (wo der Server es hat)',
  'commands.models.commandName': 'modelle',
  'commands.models.commandDescription': 'Die Checkpoints auf dem Bildserver auflisten',
  'commands.models.rescanOptionName': 'neu_einlesen',
  'commands.models.rescanOptionDescription': 'Den Modellordner vorher neu einlesen („Server verwalten“)',
  'commands.setmodel.commandName': 'modell_setzen',
  'commands.setmodel.commandDescription': 'Den Checkpoint wechseln und zum Standard dieses Servers machen',
  'commands.setmodel.modelOptionName': 'modell',
  'commands.setmodel.modelOptionDescription': 'Checkpoint',
  'commands.queue.commandName': 'warteschlange',
  'commands.queue.commandDescription':
    'Deine Bilder in der Warteschlange, ihre Länge und der Zustand der Bildserver',
  'commands.loras.commandName': 'loras',
  'commands.loras.commandDescription': 'Die LoRAs (oder Embeddings) auf den Bildservern auflisten',
  'commands.loras.showOptionName': 'anzeigen',
  'commands.loras.showOptionDescription': 'LoRAs (Standard) oder Embeddings',
  'commands.loras.lorasChoice': 'LoRAs',
  'commands.loras.embeddingsChoice': 'Embeddings',
  ...settingsDe,
};
