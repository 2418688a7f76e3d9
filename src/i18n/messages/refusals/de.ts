import type { AreaCatalog } from '../area.js';
import type { en } from './en.js';
import { de as settingsDe } from './settings/de.js';

export const de: AreaCatalog<typeof en> = {
  'refusals.imagine.promptEmpty': 'Der Prompt ist leer.',
  'refusals.imagine.promptTooLong': 'Der Prompt hat {length} Zeichen; erlaubt sind höchstens {limit}.',
  'refusals.imagine.negativeTooLong':
    'Der negative Prompt hat {length} Zeichen; erlaubt sind höchstens {limit}.',
  'refusals.imagine.seedRange': 'Der Seed muss eine ganze Zahl von {min} bis {max} sein.',
  'refusals.imagine.stepsRange': 'Die Schritte müssen eine ganze Zahl von {min} bis {max} sein.',
  'refusals.imagine.countRange': 'Die Anzahl muss eine ganze Zahl von {min} bis {max} sein.',
  'refusals.imagine.widthRange': 'Die Breite muss eine ganze Zahl von {min} bis {max} sein.',
  'refusals.imagine.heightRange': 'Die Höhe muss eine ganze Zahl von {min} bis {max} sein.',
  'refusals.imagine.cfgRange': 'Die CFG-Skala muss eine Zahl von {min} bis {max} sein.',
  'refusals.imagine.samplerNameTooLong':
    'Der Sampler-Name hat {length} Zeichen; erlaubt sind höchstens {limit}.',
  'refusals.imagine.schedulerNameTooLong':
    'Der Scheduler-Name hat {length} Zeichen; erlaubt sind höchstens {limit}.',
  'refusals.imagine.modelNameTooLong': 'Der Modellname hat {length} Zeichen; erlaubt sind höchstens {limit}.',
  'refusals.imagine.widthMultiple': 'Die Breite muss ein Vielfaches von {multiple} sein ({value} angegeben).',
  'refusals.imagine.heightMultiple': 'Die Höhe muss ein Vielfaches von {multiple} sein ({value} angegeben).',
  'refusals.imagine.aspectUnknown': 'Unbekanntes Seitenverhältnis „{aspect}“. Wähle eines von {choices}.',
  'refusals.imagine.aspectAndSize':
    'Gib entweder ein Seitenverhältnis oder Breite und Höhe an, nicht beides.',
  'refusals.imagine.tooManyPixels':
    '{width}×{height} sind {pixels} Pixel; erlaubt sind höchstens {limit} Pixel pro Bild (zum Beispiel {side}×{side}).',
  'refusals.imagine.totalPixels':
    '{count} Bilder mit {width}×{height} sind zusammen {total} Pixel; erlaubt sind höchstens {limit} Pixel pro Anfrage (MAX_TOTAL_PIXELS). Bitte um weniger oder kleinere Bilder.',
  'refusals.imagine.totalPixelsOne':
    'Ein Bild mit {width}×{height} sind zusammen {total} Pixel; erlaubt sind höchstens {limit} Pixel pro Anfrage (MAX_TOTAL_PIXELS). Bitte um weniger oder kleinere Bilder.',

  'refusals.img2img.strengthRange': 'Die Stärke muss eine Zahl von {min} bis {max} sein.',
  'refusals.img2img.strengthWithoutImage':
    'Die Stärke gilt nur für ein Bild: Hänge eines mit der Option „image“ an.',
  'refusals.img2img.tooManyPixels': '{width}×{height} liegt über der Grenze von {limit} Pixeln pro Bild.',
  'refusals.img2img.totalPixels':
    '{count} Bilder mit {width}×{height} sind zusammen {total} Pixel; erlaubt sind höchstens {limit} Pixel pro Anfrage (MAX_TOTAL_PIXELS). Bitte um weniger Bilder.',

  'refusals.input.tooLarge':
    'Das Bild ist {size} groß; erlaubt sind höchstens {limit}. Schick ein kleineres Bild (oder ein JPEG bzw. WebP).',
  'refusals.input.tooLargeStreamed':
    'Das Bild ist größer als {limit}; erlaubt sind höchstens {limit}. Schick ein kleineres Bild (oder ein JPEG bzw. WebP).',
  'refusals.input.downloadFailed':
    'Das Bild konnte nicht von Discord heruntergeladen werden. Versuch es gleich noch einmal.',
  'refusals.input.notAnImage':
    'Der Anhang ist kein PNG-, JPEG- oder WebP-Bild (egal, wie die Datei heißt). Hänge eines davon an.',
  'refusals.input.tooManyPixels':
    'Das Bild hat {width}×{height} ({pixels} Pixel); erlaubt sind höchstens {limit} Pixel. Schick ein kleineres Bild.',
  'refusals.input.tooSmall': 'Das Bild hat {width}×{height}; es muss mindestens {min}×{min} groß sein.',

  'refusals.derived.upscaleTooLarge':
    'Hochskalieren um {factor} ergibt {width}×{height} ({pixels} Pixel); erlaubt sind höchstens {limit} Pixel (MAX_TOTAL_PIXELS).',
  'refusals.derived.steps': 'Inzwischen sind höchstens {max} Schritte erlaubt.',
  'refusals.derived.count': 'Inzwischen sind höchstens {max} Bilder pro Anfrage erlaubt.',
  'refusals.derived.tooManyPixels':
    '{width}×{height} liegt inzwischen über der Grenze von {limit} Pixeln pro Bild.',
  'refusals.derived.totalPixels':
    '{count} Bilder mit {width}×{height} sind zusammen {total} Pixel; erlaubt sind höchstens {limit} (MAX_TOTAL_PIXELS).',

  'refusals.model.unknown': 'Unbekanntes Modell „{model}“.',
  'refusals.model.unknownClosest': 'Unbekanntes Modell „{model}“. Am ähnlichsten: {closest}.',
  'refusals.model.unknownHint': 'Unbekanntes Modell „{model}“. Mit /models siehst du alle.',
  'refusals.model.unknownClosestHint':
    'Unbekanntes Modell „{model}“. Am ähnlichsten: {closest}. Mit /models siehst du alle.',
  'refusals.sampler.unknown': 'Unbekannter Sampler „{name}“. Dieser Server hat: {names}.',
  'refusals.sampler.unknownMore':
    'Unbekannter Sampler „{name}“. Dieser Server hat: {names} und {more} weitere.',
  'refusals.scheduler.unknown': 'Unbekannter Scheduler „{name}“. Dieser Server hat: {names}.',
  'refusals.scheduler.unknownMore':
    'Unbekannter Scheduler „{name}“. Dieser Server hat: {names} und {more} weitere.',
  'refusals.upscaler.unknown': 'Unbekannter Upscaler „{name}“.',
  'refusals.upscaler.unknownClosest': 'Unbekannter Upscaler „{name}“. Am ähnlichsten: {closest}.',

  'refusals.features.lorasOff': 'LoRAs sind auf diesem Discord-Server ausgeschaltet.',
  'refusals.features.stylesOff': 'Stile sind auf diesem Discord-Server ausgeschaltet.',
  'refusals.features.hiresOff': 'Hires Fix ist auf diesem Discord-Server ausgeschaltet.',
  'refusals.features.adetailerOff': 'ADetailer ist auf diesem Discord-Server ausgeschaltet.',
  'refusals.features.variantsOff':
    'Prompt-Varianten ({syntax}) sind auf diesem Discord-Server ausgeschaltet.',
  'refusals.features.noLoraServer': 'Kein Bildserver hier nimmt LoRAs an.',
  'refusals.features.noHiresServer': 'Kein Bildserver hier beherrscht Hires Fix.',
  'refusals.features.noAdetailerServer': 'Kein Bildserver hier hat ADetailer (oder einen Gesichts-Detailer).',
  'refusals.loras.noName': '„{entry}“ nennt keine LoRA; schreib name oder name:0.8.',
  'refusals.loras.badName': '„{name}“ ist kein LoRA-Name; schreib name oder name:0.8.',
  'refusals.loras.badWeight': '„{weight}“ ist kein Gewicht für {name}; schreib {name}:0.8.',
  'refusals.loras.weightRange': 'Das Gewicht von {name} ist {weight}; nimm eine Zahl von {min} bis {max}.',
  'refusals.loras.twice': '{name} ist doppelt angegeben; nenne jede LoRA nur einmal.',
  'refusals.loras.tooManyPerImage': 'Das sind {count} LoRAs; pro Bild sind höchstens {max} erlaubt.',
  'refusals.loras.tooManyPerRequest': 'Das sind {count} LoRAs; pro Anfrage sind höchstens {max} erlaubt.',
  'refusals.loras.unknown': 'Unbekannte LoRA „{name}“. Mit /loras siehst du alle.',
  'refusals.loras.unknownClosest':
    'Unbekannte LoRA „{name}“. Am ähnlichsten: {closest}. Mit /loras siehst du alle.',
  'refusals.styles.unknownClosest': 'Unbekannter Stil „{name}“. Am ähnlichsten: {closest}.',
  'refusals.styles.unknownNone': 'Unbekannter Stil „{name}“. Dieser Server hat keine Stile.',
  'refusals.hires.empty':
    'Die Hires-Option ist leer. Schreib zuerst eine Skalierung wie 2 oder 1.5x, danach nach Wunsch eine Denoise-Stärke wie 0.4 und einen Upscaler.',
  'refusals.hires.notScaleOrSize':
    '„{text}“ ist weder eine Skalierung noch eine Größe. Schreib zuerst eine Skalierung wie 2 oder 1.5x, danach nach Wunsch eine Denoise-Stärke wie 0.4 und einen Upscaler.',
  'refusals.hires.tooSmall':
    '{width}×{height} ist zu klein für Hires Fix; jede Seite braucht mindestens {min} Pixel.',
  'refusals.hires.scaleRange':
    'Eine Hires-Skalierung von {value} liegt außerhalb des Bereichs; nimm mehr als 1 und höchstens {max}.',
  'refusals.hires.stepsTwice': 'Die Hires-Option gibt die Schritte zweimal an.',
  'refusals.hires.stepsRange':
    'Hires-Schritte müssen zwischen 1 und {max} liegen; {value} liegt außerhalb des Bereichs.',
  'refusals.hires.denoiseTwice': 'Die Hires-Option gibt die Denoise-Stärke zweimal an.',
  'refusals.hires.denoiseZero':
    'Eine Hires-Denoise-Stärke von 0 ändert nichts; nimm mehr als 0, höchstens 1.',
  'refusals.hires.img2img': 'Hires Fix gibt es nur für Text-zu-Bild; lass das Bild weg.',
  'refusals.hires.mustEnlarge':
    'Hires Fix muss vergrößern: {finalWidth}×{finalHeight} ist nicht größer als {width}×{height}.',
  'refusals.hires.scaleTooHigh': 'Das ist eine Hires-Skalierung von {scale}; erlaubt sind höchstens {max}.',
  'refusals.hires.perImageScaleFits':
    'Hires Fix vergrößert {width}×{height} auf {finalWidth}×{finalHeight}, {pixels} Pixel pro Bild; erlaubt sind höchstens {limit} (MAX_PIXELS). Eine Skalierung von höchstens {fits} passt.',
  'refusals.hires.perImageSmaller':
    'Hires Fix vergrößert {width}×{height} auf {finalWidth}×{finalHeight}, {pixels} Pixel pro Bild; erlaubt sind höchstens {limit} (MAX_PIXELS). Wähle eine kleinere Ausgangsgröße oder weniger Bilder.',
  'refusals.hires.totalScaleFits':
    '{count} Bilder mit {finalWidth}×{finalHeight} nach Hires Fix sind zusammen {total} Pixel; erlaubt sind höchstens {limit} Pixel pro Anfrage (MAX_TOTAL_PIXELS). Eine Skalierung von höchstens {fits} passt.',
  'refusals.hires.totalSmaller':
    '{count} Bilder mit {finalWidth}×{finalHeight} nach Hires Fix sind zusammen {total} Pixel; erlaubt sind höchstens {limit} Pixel pro Anfrage (MAX_TOTAL_PIXELS). Wähle eine kleinere Ausgangsgröße oder weniger Bilder.',
  'refusals.hires.totalOneScaleFits':
    'Ein Bild mit {finalWidth}×{finalHeight} nach Hires Fix sind zusammen {total} Pixel; erlaubt sind höchstens {limit} Pixel pro Anfrage (MAX_TOTAL_PIXELS). Eine Skalierung von höchstens {fits} passt.',
  'refusals.hires.totalOneSmaller':
    'Ein Bild mit {finalWidth}×{finalHeight} nach Hires Fix sind zusammen {total} Pixel; erlaubt sind höchstens {limit} Pixel pro Anfrage (MAX_TOTAL_PIXELS). Wähle eine kleinere Ausgangsgröße oder weniger Bilder.',
  'refusals.variants.unclosed':
    'Zur „{open}“ an Zeichen {position} fehlt die passende „{close}“. Schließ die Gruppe oder schreib {escapedOpen} für eine wörtliche Klammer.',
  'refusals.variants.strayClose':
    'Die „{close}“ an Zeichen {position} schließt keine „{open}“. Schreib {escapedClose} für eine wörtliche Klammer.',
  'refusals.variants.tooMany':
    'Der Prompt ergibt mit seinen {syntax}-Auswahlen {count} Varianten; erlaubt sind höchstens {limit}. Nimm weniger Auswahlen.',
  'refusals.variants.tooManyImages':
    'Der Prompt ergibt mit seinen {syntax}-Auswahlen {variants} Varianten; mit je {count} Bildern sind das {images} Bilder, erlaubt sind höchstens {limit} pro Anfrage. Nimm weniger Auswahlen oder eine kleinere Anzahl.',
  'refusals.variants.tooManyImagesOne':
    'Der Prompt ergibt mit seinen {syntax}-Auswahlen {variants} Varianten; mit je einem Bild sind das {images} Bilder, erlaubt sind höchstens {limit} pro Anfrage. Nimm weniger Auswahlen oder eine kleinere Anzahl.',

  'refusals.blocked.prompt':
    'Dein Prompt enthält einen Begriff, den dieser Server sperrt, deshalb wurde nichts erzeugt. Formuliere ihn um und versuch es noch einmal.',
  'refusals.blocked.promptWord':
    'Dein Prompt enthält einen Begriff, den dieser Server sperrt („{word}“), deshalb wurde nichts erzeugt. Formuliere ihn um und versuch es noch einmal.',
  'refusals.blocked.negativePrompt':
    'Dein negativer Prompt enthält einen Begriff, den dieser Server sperrt, deshalb wurde nichts erzeugt. Formuliere ihn um und versuch es noch einmal.',
  'refusals.blocked.negativePromptWord':
    'Dein negativer Prompt enthält einen Begriff, den dieser Server sperrt („{word}“), deshalb wurde nichts erzeugt. Formuliere ihn um und versuch es noch einmal.',
  'refusals.blocked.termEmpty': 'Der Begriff ist leer.',
  'refusals.blocked.termTooLong': 'Ein gesperrter Begriff darf höchstens {max} Zeichen lang sein.',
  'refusals.blocked.patternUnsupported':
    'Dieses Muster nutzt etwas, das der Matcher mit linearer Laufzeit nicht kann: Rückverweise (wie `\\1`), Lookarounds (wie `(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`) oder eine Wiederholungszahl über 1000. Schreib es ohne sie.',
  'refusals.blocked.patternInvalid': 'Das ist kein gültiger regulärer Ausdruck.',
  'refusals.blocked.already': 'Dieser Begriff ist schon gesperrt.',
  'refusals.blocked.full':
    'Dieser Server sperrt schon {max} Begriffe, mehr geht nicht. Entferne zuerst einen.',
  'refusals.blocked.termAdded': 'Gesperrter Begriff hinzugefügt (insgesamt {count}).',
  'refusals.blocked.patternAdded': 'Gesperrtes Muster hinzugefügt (insgesamt {count}).',
  'refusals.blocked.notListed':
    'Dieser Begriff steht nicht auf der Sperrliste dieses Servers. Siehe /settings blocked-words list.',
  'refusals.blocked.removed': 'Gesperrter Begriff entfernt (noch {count}).',
  'refusals.quota.cooldownSecond':
    'Auf diesem Server ist eine Anfrage pro Sekunde möglich. Versuch es <t:{at}:R> wieder.',
  'refusals.quota.cooldownSeconds':
    'Auf diesem Server ist alle {count} Sekunden eine Anfrage möglich. Versuch es <t:{at}:R> wieder.',
  'refusals.quota.cooldownMinute':
    'Auf diesem Server ist eine Anfrage pro Minute möglich. Versuch es <t:{at}:R> wieder.',
  'refusals.quota.cooldownMinutes':
    'Auf diesem Server ist alle {count} Minuten eine Anfrage möglich. Versuch es <t:{at}:R> wieder.',
  'refusals.quota.cooldownHour':
    'Auf diesem Server ist eine Anfrage pro Stunde möglich. Versuch es <t:{at}:R> wieder.',
  'refusals.quota.cooldownHours':
    'Auf diesem Server ist alle {count} Stunden eine Anfrage möglich. Versuch es <t:{at}:R> wieder.',
  'refusals.quota.hourlyLimit':
    'Dieser Server hat sein Limit von {limit} Anfragen pro Stunde erreicht. Versuch es <t:{at}:R> wieder.',
  'refusals.quota.hourlyLimitOne':
    'Dieser Server hat sein Limit von einer Anfrage pro Stunde erreicht. Versuch es <t:{at}:R> wieder.',

  'refusals.audit.queued': '<@{userId}> hat /{command} in <#{channelId}> angefragt',
  'refusals.audit.blocked':
    '<@{userId}> wurde bei /{command} in <#{channelId}> abgewiesen (gesperrter Begriff)',
  'refusals.audit.overQuota': '<@{userId}> wurde bei /{command} in <#{channelId}> abgewiesen (Kontingent)',
  'refusals.audit.buttonCommand': 'imagine (Schaltfläche unter einem Ergebnis)',
  'refusals.audit.prompt': 'Prompt: {prompt}',
  'refusals.audit.negative': 'Negativ: {prompt}',
  'refusals.nsfwMode.off': 'es wird nichts hinzugefügt',
  'refusals.nsfwMode.negativePrompt': 'der SFW-Negativ-Prompt wird hinzugefügt',
  'refusals.nsfwMode.spoiler': 'Bilder werden als Spoiler gepostet',
  'refusals.nsfwMode.both': 'der SFW-Negativ-Prompt wird hinzugefügt und Bilder werden als Spoiler gepostet',

  'refusals.features.resetAll':
    'Alle Funktionseinstellungen sind wieder die Standards des Bots (Stile bleiben erhalten).',
  'refusals.features.lorasAllowed': 'LoRAs: erlaubt.',
  'refusals.features.lorasTurnedOff': 'LoRAs: ausgeschaltet.',
  'refusals.features.stylesAllowed': 'Stile: erlaubt.',
  'refusals.features.stylesTurnedOff': 'Stile: ausgeschaltet.',
  'refusals.features.hiresAllowed': 'Hires Fix: erlaubt.',
  'refusals.features.hiresTurnedOff': 'Hires Fix: ausgeschaltet.',
  'refusals.features.adetailerAllowed': 'ADetailer: erlaubt.',
  'refusals.features.adetailerTurnedOff': 'ADetailer: ausgeschaltet.',
  'refusals.features.variantsAllowed': 'Prompt-Varianten: erlaubt.',
  'refusals.features.variantsTurnedOff': 'Prompt-Varianten: ausgeschaltet.',
  'refusals.features.maxLorasRange':
    'Die Höchstzahl an LoRAs muss eine ganze Zahl von {min} bis {max} sein (MAX_LORAS).',
  'refusals.features.maxLoras': 'Höchstens LoRAs pro Anfrage: {count}.',
  'refusals.features.maxHiresScaleRange':
    'Die höchste Hires-Skalierung muss zwischen {min} und {max} liegen (MAX_HIRES_SCALE).',
  'refusals.features.maxHiresScale': 'Höchste Hires-Skalierung: {scale}.',
  'refusals.features.hiresUpscaler': 'Hires-Upscaler: {name}.',
  'refusals.features.hiresDenoiseRange': 'Die Hires-Denoise-Stärke muss größer als 0 und höchstens 1 sein.',
  'refusals.features.hiresDenoise': 'Hires-Denoise-Stärke: {denoise}.',
  'refusals.features.hiresStepsRange': 'Hires-Schritte müssen eine ganze Zahl von {min} bis {max} sein.',
  'refusals.features.hiresSteps': 'Hires-Schritte: {steps}.',
  'refusals.features.modelAndFamily': 'Gib ein Modell und seine Familie an, beides.',
  'refusals.features.familyAuto': '{model}: Familie wird wieder erkannt.',
  'refusals.features.family': '{model}: {family}.',
  'refusals.styles.needsName': 'Der Stil braucht einen Namen.',
  'refusals.styles.notFound': 'Es gibt keinen Stil „{name}“ zum Entfernen.',
  'refusals.styles.removed': 'Stil {name} entfernt.',
  'refusals.styles.needsPrompt': 'Ein Stil braucht einen Zusatz zum Prompt oder zum negativen Prompt.',
  'refusals.styles.promptTooLong':
    'Der Prompt des Stils hat {length} Zeichen; erlaubt sind höchstens {limit}.',
  'refusals.styles.negativeTooLong':
    'Der negative Prompt des Stils hat {length} Zeichen; erlaubt sind höchstens {limit}.',
  'refusals.styles.full': 'Dieser Server hat schon {max} Stile, mehr geht nicht. Entferne zuerst einen.',
  'refusals.styles.added': 'Stil {name} hinzugefügt: Nutze ihn mit /imagine style:{name}.',
  'refusals.styles.replaced': 'Stil {name} ersetzt: Nutze ihn mit /imagine style:{name}.',
  'refusals.blockedList.empty':
    'Dieser Server sperrt keine Begriffe. Füge einen mit /settings blocked-words add hinzu.',
  'refusals.blockedList.header': 'Dieser Server sperrt {count} Begriffe:',
  'refusals.blockedList.headerOne': 'Dieser Server sperrt einen Begriff:',
  'refusals.blockedList.more': '…und {count} weitere.',
  ...settingsDe,
};
