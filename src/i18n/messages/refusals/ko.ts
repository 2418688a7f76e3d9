import type { AreaCatalog } from '../area.js';
import type { en } from './en.js';
import { ko as settingsKo } from './settings/ko.js';

export const ko: AreaCatalog<typeof en> = {
  'refusals.imagine.promptEmpty': '프롬프트가 비어 있어요.',
  'refusals.imagine.promptTooLong': '프롬프트가 {length}자예요. 최대 {limit}자까지 쓸 수 있어요.',
  'refusals.imagine.negativeTooLong': '네거티브 프롬프트가 {length}자예요. 최대 {limit}자까지 쓸 수 있어요.',
  'refusals.imagine.seedRange': '시드는 {min}~{max} 사이의 정수여야 해요.',
  'refusals.imagine.stepsRange': '스텝 수는 {min}~{max} 사이의 정수여야 해요.',
  'refusals.imagine.countRange': '이미지 수는 {min}~{max} 사이의 정수여야 해요.',
  'refusals.imagine.widthRange': '너비는 {min}~{max} 사이의 정수여야 해요.',
  'refusals.imagine.heightRange': '높이는 {min}~{max} 사이의 정수여야 해요.',
  'refusals.imagine.cfgRange': 'CFG 스케일은 {min}~{max} 사이의 숫자여야 해요.',
  'refusals.imagine.samplerNameTooLong': '샘플러 이름이 {length}자예요. 최대 {limit}자까지 쓸 수 있어요.',
  'refusals.imagine.schedulerNameTooLong': '스케줄러 이름이 {length}자예요. 최대 {limit}자까지 쓸 수 있어요.',
  'refusals.imagine.modelNameTooLong': '모델 이름이 {length}자예요. 최대 {limit}자까지 쓸 수 있어요.',
  'refusals.imagine.widthMultiple': '너비는 {multiple}의 배수여야 해요(입력값: {value}).',
  'refusals.imagine.heightMultiple': '높이는 {multiple}의 배수여야 해요(입력값: {value}).',
  'refusals.imagine.aspectUnknown': '알 수 없는 화면비 "{aspect}"예요. {choices} 중에서 골라 주세요.',
  'refusals.imagine.aspectAndSize': '화면비와 너비·높이 중 하나만 지정해 주세요. 둘 다는 안 돼요.',
  'refusals.imagine.tooManyPixels':
    '{width}×{height}는 {pixels}픽셀이에요. 이미지당 최대 {limit}픽셀까지 가능해요(예: {side}×{side}).',
  'refusals.imagine.totalPixels':
    '{width}×{height} 이미지 {count}장은 모두 {total}픽셀이에요. 요청당 한도(MAX_TOTAL_PIXELS)는 {limit}픽셀이에요. 이미지 수를 줄이거나 더 작게 요청해 주세요.',
  'refusals.imagine.totalPixelsOne':
    '{width}×{height} 이미지 1장은 모두 {total}픽셀이에요. 요청당 한도(MAX_TOTAL_PIXELS)는 {limit}픽셀이에요. 이미지 수를 줄이거나 더 작게 요청해 주세요.',

  'refusals.img2img.strengthRange': '강도는 {min}~{max} 사이의 숫자여야 해요.',
  'refusals.img2img.strengthWithoutImage':
    '강도는 이미지가 있을 때만 쓸 수 있어요. image 옵션으로 이미지를 첨부해 주세요.',
  'refusals.img2img.tooManyPixels': '{width}×{height}는 이미지당 한도인 {limit}픽셀을 넘어요.',
  'refusals.img2img.totalPixels':
    '{width}×{height} 이미지 {count}장은 모두 {total}픽셀이에요. 요청당 한도(MAX_TOTAL_PIXELS)는 {limit}픽셀이에요. 이미지 수를 줄여 주세요.',

  'refusals.input.tooLarge':
    '이미지 크기가 {size}예요. 최대 {limit}까지 가능해요. 더 작은 이미지(또는 JPEG나 WebP)를 보내 주세요.',
  'refusals.input.tooLargeStreamed':
    '이미지가 {limit}를 넘어요. 최대 {limit}까지 가능해요. 더 작은 이미지(또는 JPEG나 WebP)를 보내 주세요.',
  'refusals.input.downloadFailed': 'Discord에서 이미지를 내려받지 못했어요. 잠시 후 다시 시도해 주세요.',
  'refusals.input.notAnImage':
    '첨부 파일이 PNG, JPEG, WebP 이미지가 아니에요(파일 이름과 상관없이). 이 중 한 형식으로 첨부해 주세요.',
  'refusals.input.tooManyPixels':
    '이미지가 {width}×{height}({pixels}픽셀)예요. 최대 {limit}픽셀까지 가능해요. 더 작은 이미지를 보내 주세요.',
  'refusals.input.tooSmall': '이미지가 {width}×{height}예요. 최소 {min}×{min} 이상이어야 해요.',

  'refusals.derived.upscaleTooLarge':
    '{factor}배로 업스케일하면 {width}×{height}({pixels}픽셀)가 돼요. 한도(MAX_TOTAL_PIXELS)는 {limit}픽셀이에요.',
  'refusals.derived.steps': '이제 스텝 수는 최대 {max}까지예요.',
  'refusals.derived.count': '이제 요청당 최대 {max}장까지예요.',
  'refusals.derived.tooManyPixels': '{width}×{height}는 이제 이미지당 한도인 {limit}픽셀을 넘어요.',
  'refusals.derived.totalPixels':
    '{width}×{height} 이미지 {count}장은 모두 {total}픽셀이에요. 한도(MAX_TOTAL_PIXELS)는 {limit}이에요.',

  'refusals.model.unknown': '알 수 없는 모델 "{model}"이에요.',
  'refusals.model.unknownClosest': '알 수 없는 모델 "{model}"이에요. 가장 비슷한 것: {closest}.',
  'refusals.model.unknownHint': '알 수 없는 모델 "{model}"이에요. /models로 전체 목록을 볼 수 있어요.',
  'refusals.model.unknownClosestHint':
    '알 수 없는 모델 "{model}"이에요. 가장 비슷한 것: {closest}. /models로 전체 목록을 볼 수 있어요.',
  'refusals.sampler.unknown': '알 수 없는 샘플러 "{name}"예요. 이 서버에 있는 것: {names}.',
  'refusals.sampler.unknownMore': '알 수 없는 샘플러 "{name}"예요. 이 서버에 있는 것: {names} 외 {more}개.',
  'refusals.scheduler.unknown': '알 수 없는 스케줄러 "{name}"예요. 이 서버에 있는 것: {names}.',
  'refusals.scheduler.unknownMore':
    '알 수 없는 스케줄러 "{name}"예요. 이 서버에 있는 것: {names} 외 {more}개.',
  'refusals.upscaler.unknown': '알 수 없는 업스케일러 "{name}"예요.',
  'refusals.upscaler.unknownClosest': '알 수 없는 업스케일러 "{name}"예요. 가장 비슷한 것: {closest}.',

  'refusals.features.lorasOff': '이 Discord 서버에서는 LoRA가 꺼져 있어요.',
  'refusals.features.stylesOff': '이 Discord 서버에서는 스타일이 꺼져 있어요.',
  'refusals.features.hiresOff': '이 Discord 서버에서는 Hires fix가 꺼져 있어요.',
  'refusals.features.adetailerOff': '이 Discord 서버에서는 ADetailer가 꺼져 있어요.',
  'refusals.features.variantsOff': '이 Discord 서버에서는 프롬프트 변형({syntax})이 꺼져 있어요.',
  'refusals.features.noLoraServer': '여기에는 LoRA를 쓸 수 있는 이미지 서버가 없어요.',
  'refusals.features.noHiresServer': '여기에는 Hires fix를 할 수 있는 이미지 서버가 없어요.',
  'refusals.features.noAdetailerServer':
    '여기에는 ADetailer(또는 얼굴 디테일러)가 있는 이미지 서버가 없어요.',
  'refusals.loras.noName': '"{entry}"에는 LoRA 이름이 없어요. name 또는 name:0.8 형식으로 써 주세요.',
  'refusals.loras.badName': '"{name}"은(는) LoRA 이름이 아니에요. name 또는 name:0.8 형식으로 써 주세요.',
  'refusals.loras.badWeight': '"{weight}"은(는) {name}의 가중치가 될 수 없어요. {name}:0.8처럼 써 주세요.',
  'refusals.loras.weightRange': '{name}의 가중치가 {weight}예요. {min}~{max} 사이의 숫자를 써 주세요.',
  'refusals.loras.twice': '{name}이(가) 두 번 들어 있어요. 각 LoRA는 한 번만 써 주세요.',
  'refusals.loras.tooManyPerImage': 'LoRA가 {count}개예요. 이미지당 최대 {max}개까지 가능해요.',
  'refusals.loras.tooManyPerRequest': 'LoRA가 {count}개예요. 요청당 최대 {max}개까지 가능해요.',
  'refusals.loras.unknown': '알 수 없는 LoRA "{name}"예요. /loras로 전체 목록을 볼 수 있어요.',
  'refusals.loras.unknownClosest':
    '알 수 없는 LoRA "{name}"예요. 가장 비슷한 것: {closest}. /loras로 전체 목록을 볼 수 있어요.',
  'refusals.styles.unknownClosest': '알 수 없는 스타일 "{name}"이에요. 가장 비슷한 것: {closest}.',
  'refusals.styles.unknownNone': '알 수 없는 스타일 "{name}"이에요. 이 서버에는 스타일이 없어요.',
  'refusals.hires.empty':
    'hires 옵션이 비어 있어요. 먼저 2나 1.5x 같은 배율을 쓰고, 필요하면 0.4 같은 디노이즈 강도와 업스케일러를 이어서 써 주세요.',
  'refusals.hires.notScaleOrSize':
    '"{text}"은(는) 배율도 크기도 아니에요. 먼저 2나 1.5x 같은 배율을 쓰고, 필요하면 0.4 같은 디노이즈 강도와 업스케일러를 이어서 써 주세요.',
  'refusals.hires.tooSmall': '{width}×{height}는 Hires fix에 너무 작아요. 각 변이 {min}픽셀 이상이어야 해요.',
  'refusals.hires.scaleRange': 'Hires 배율 {value}은(는) 범위를 벗어나요. 1보다 크고 {max} 이하로 해 주세요.',
  'refusals.hires.stepsTwice': 'hires 옵션에 스텝 수가 두 번 들어 있어요.',
  'refusals.hires.stepsRange': 'Hires 스텝 수는 1~{max} 사이여야 해요. {value}은(는) 범위를 벗어나요.',
  'refusals.hires.denoiseTwice': 'hires 옵션에 디노이즈 강도가 두 번 들어 있어요.',
  'refusals.hires.denoiseZero':
    'Hires 디노이즈 강도 0은 아무것도 바꾸지 않아요. 0보다 크고 1 이하로 해 주세요.',
  'refusals.hires.img2img': 'Hires fix는 텍스트로 이미지를 만들 때만 쓸 수 있어요. 이미지를 빼 주세요.',
  'refusals.hires.mustEnlarge':
    'Hires fix는 확대해야 해요. {finalWidth}×{finalHeight}는 {width}×{height}보다 크지 않아요.',
  'refusals.hires.scaleTooHigh': 'Hires 배율이 {scale}예요. 최대 {max}까지 가능해요.',
  'refusals.hires.perImageScaleFits':
    'Hires fix로 {width}×{height}가 {finalWidth}×{finalHeight}(이미지당 {pixels}픽셀)로 커져요. 한도(MAX_PIXELS)는 {limit}이에요. 배율 {fits} 이하면 맞아요.',
  'refusals.hires.perImageSmaller':
    'Hires fix로 {width}×{height}가 {finalWidth}×{finalHeight}(이미지당 {pixels}픽셀)로 커져요. 한도(MAX_PIXELS)는 {limit}이에요. 처음 크기를 줄이거나 이미지 수를 줄여 주세요.',
  'refusals.hires.totalScaleFits':
    'Hires fix 후 {finalWidth}×{finalHeight} 이미지 {count}장은 모두 {total}픽셀이에요. 요청당 한도(MAX_TOTAL_PIXELS)는 {limit}픽셀이에요. 배율 {fits} 이하면 맞아요.',
  'refusals.hires.totalSmaller':
    'Hires fix 후 {finalWidth}×{finalHeight} 이미지 {count}장은 모두 {total}픽셀이에요. 요청당 한도(MAX_TOTAL_PIXELS)는 {limit}픽셀이에요. 처음 크기를 줄이거나 이미지 수를 줄여 주세요.',
  'refusals.hires.totalOneScaleFits':
    'Hires fix 후 {finalWidth}×{finalHeight} 이미지 1장은 모두 {total}픽셀이에요. 요청당 한도(MAX_TOTAL_PIXELS)는 {limit}픽셀이에요. 배율 {fits} 이하면 맞아요.',
  'refusals.hires.totalOneSmaller':
    'Hires fix 후 {finalWidth}×{finalHeight} 이미지 1장은 모두 {total}픽셀이에요. 요청당 한도(MAX_TOTAL_PIXELS)는 {limit}픽셀이에요. 처음 크기를 줄이거나 이미지 수를 줄여 주세요.',
  'refusals.variants.unclosed':
    '{position}번째 글자의 "{open}"에 맞는 "{close}"가 없어요. 그룹을 닫거나, 글자 그대로 쓰려면 {escapedOpen}로 써 주세요.',
  'refusals.variants.strayClose':
    '{position}번째 글자의 "{close}"가 닫는 "{open}"이 없어요. 글자 그대로 쓰려면 {escapedClose}로 써 주세요.',
  'refusals.variants.tooMany':
    '프롬프트의 {syntax} 선택지로 변형이 {count}개 생겨요. 최대 {limit}개까지 가능해요. 선택지를 줄여 주세요.',
  'refusals.variants.tooManyImages':
    '프롬프트의 {syntax} 선택지로 변형이 {variants}개 생기고, 각 {count}장이면 {images}장이에요. 요청당 최대 {limit}장까지 가능해요. 선택지나 이미지 수를 줄여 주세요.',
  'refusals.variants.tooManyImagesOne':
    '프롬프트의 {syntax} 선택지로 변형이 {variants}개 생기고, 각 1장이면 {images}장이에요. 요청당 최대 {limit}장까지 가능해요. 선택지나 이미지 수를 줄여 주세요.',

  'refusals.blocked.prompt':
    '프롬프트에 이 서버에서 차단한 단어가 들어 있어서 아무것도 생성하지 않았어요. 표현을 바꿔서 다시 시도해 주세요.',
  'refusals.blocked.promptWord':
    '프롬프트에 이 서버에서 차단한 단어("{word}")가 들어 있어서 아무것도 생성하지 않았어요. 표현을 바꿔서 다시 시도해 주세요.',
  'refusals.blocked.negativePrompt':
    '네거티브 프롬프트에 이 서버에서 차단한 단어가 들어 있어서 아무것도 생성하지 않았어요. 표현을 바꿔서 다시 시도해 주세요.',
  'refusals.blocked.negativePromptWord':
    '네거티브 프롬프트에 이 서버에서 차단한 단어("{word}")가 들어 있어서 아무것도 생성하지 않았어요. 표현을 바꿔서 다시 시도해 주세요.',
  'refusals.blocked.termEmpty': '단어가 비어 있어요.',
  'refusals.blocked.termTooLong': '차단 단어는 최대 {max}자까지 가능해요.',
  'refusals.blocked.patternUnsupported':
    '이 패턴에는 선형 시간 매처가 지원하지 않는 기능이 들어 있어요: 역참조(`\\1` 등), 전후방 탐색(`(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)` 등), 또는 1000을 넘는 반복 횟수. 이것들 없이 다시 써 주세요.',
  'refusals.blocked.patternInvalid': '올바른 정규식이 아니에요.',
  'refusals.blocked.already': '이미 차단된 단어예요.',
  'refusals.blocked.full':
    '이 서버는 이미 최대치인 {max}개의 단어를 차단하고 있어요. 먼저 하나를 지워 주세요.',
  'refusals.blocked.termAdded': '차단 단어를 추가했어요(모두 {count}개).',
  'refusals.blocked.patternAdded': '차단 패턴을 추가했어요(모두 {count}개).',
  'refusals.blocked.notListed':
    '이 단어는 이 서버의 차단 목록에 없어요. /settings blocked-words list에서 확인해 주세요.',
  'refusals.blocked.removed': '차단 단어를 지웠어요({count}개 남음).',
  'refusals.quota.cooldownSecond':
    '이 서버에서는 1초에 한 번 요청할 수 있어요. <t:{at}:R> 다시 시도해 주세요.',
  'refusals.quota.cooldownSeconds':
    '이 서버에서는 {count}초에 한 번 요청할 수 있어요. <t:{at}:R> 다시 시도해 주세요.',
  'refusals.quota.cooldownMinute':
    '이 서버에서는 1분에 한 번 요청할 수 있어요. <t:{at}:R> 다시 시도해 주세요.',
  'refusals.quota.cooldownMinutes':
    '이 서버에서는 {count}분에 한 번 요청할 수 있어요. <t:{at}:R> 다시 시도해 주세요.',
  'refusals.quota.cooldownHour':
    '이 서버에서는 1시간에 한 번 요청할 수 있어요. <t:{at}:R> 다시 시도해 주세요.',
  'refusals.quota.cooldownHours':
    '이 서버에서는 {count}시간에 한 번 요청할 수 있어요. <t:{at}:R> 다시 시도해 주세요.',
  'refusals.quota.hourlyLimit':
    '이 서버는 시간당 {limit}회 요청 한도에 도달했어요. <t:{at}:R> 다시 시도해 주세요.',
  'refusals.quota.hourlyLimitOne':
    '이 서버는 시간당 1회 요청 한도에 도달했어요. <t:{at}:R> 다시 시도해 주세요.',

  'refusals.audit.queued': '<@{userId}> 님이 <#{channelId}>에서 /{command}을(를) 요청했어요',
  'refusals.audit.blocked': '<@{userId}> 님의 <#{channelId}> /{command} 요청을 거절했어요(차단 단어)',
  'refusals.audit.overQuota': '<@{userId}> 님의 <#{channelId}> /{command} 요청을 거절했어요(사용 한도)',
  'refusals.audit.buttonCommand': 'imagine (결과 버튼)',
  'refusals.audit.prompt': '프롬프트: {prompt}',
  'refusals.audit.negative': '네거티브: {prompt}',
  'refusals.nsfwMode.off': '아무것도 추가하지 않음',
  'refusals.nsfwMode.negativePrompt': 'SFW 네거티브 프롬프트 추가',
  'refusals.nsfwMode.spoiler': '이미지를 스포일러로 올림',
  'refusals.nsfwMode.both': 'SFW 네거티브 프롬프트 추가, 이미지를 스포일러로 올림',

  'refusals.features.resetAll': '모든 기능 설정을 봇 기본값으로 되돌렸어요(스타일은 그대로예요).',
  'refusals.features.lorasAllowed': 'LoRA: 허용',
  'refusals.features.lorasTurnedOff': 'LoRA: 꺼짐',
  'refusals.features.stylesAllowed': '스타일: 허용',
  'refusals.features.stylesTurnedOff': '스타일: 꺼짐',
  'refusals.features.hiresAllowed': 'Hires fix: 허용',
  'refusals.features.hiresTurnedOff': 'Hires fix: 꺼짐',
  'refusals.features.adetailerAllowed': 'ADetailer: 허용',
  'refusals.features.adetailerTurnedOff': 'ADetailer: 꺼짐',
  'refusals.features.variantsAllowed': '프롬프트 변형: 허용',
  'refusals.features.variantsTurnedOff': '프롬프트 변형: 꺼짐',
  'refusals.features.maxLorasRange': 'LoRA 최대 개수는 {min}~{max} 사이의 정수여야 해요(MAX_LORAS).',
  'refusals.features.maxLoras': '요청당 LoRA 최대 개수: {count}',
  'refusals.features.maxHiresScaleRange': 'Hires 최대 배율은 {min}~{max} 사이여야 해요(MAX_HIRES_SCALE).',
  'refusals.features.maxHiresScale': 'Hires 최대 배율: {scale}',
  'refusals.features.hiresUpscaler': 'Hires 업스케일러: {name}',
  'refusals.features.hiresDenoiseRange': 'Hires 디노이즈 강도는 0보다 크고 1 이하여야 해요.',
  'refusals.features.hiresDenoise': 'Hires 디노이즈 강도: {denoise}',
  'refusals.features.hiresStepsRange': 'Hires 스텝 수는 {min}~{max} 사이의 정수여야 해요.',
  'refusals.features.hiresSteps': 'Hires 스텝 수: {steps}',
  'refusals.features.modelAndFamily': '모델과 그 계열을 둘 다 지정해 주세요.',
  'refusals.features.familyAuto': '{model}: 계열을 다시 감지해요.',
  'refusals.features.family': '{model}: {family}',
  'refusals.styles.needsName': '스타일에는 이름이 필요해요.',
  'refusals.styles.notFound': '지울 스타일 "{name}"이(가) 없어요.',
  'refusals.styles.removed': '스타일 {name}을(를) 지웠어요.',
  'refusals.styles.needsPrompt': '스타일에는 프롬프트나 네거티브 프롬프트에 더할 내용이 필요해요.',
  'refusals.styles.promptTooLong': '스타일의 프롬프트가 {length}자예요. 최대 {limit}자까지 쓸 수 있어요.',
  'refusals.styles.negativeTooLong':
    '스타일의 네거티브 프롬프트가 {length}자예요. 최대 {limit}자까지 쓸 수 있어요.',
  'refusals.styles.full': '이 서버에는 이미 최대치인 {max}개의 스타일이 있어요. 먼저 하나를 지워 주세요.',
  'refusals.styles.added': '스타일 {name}을(를) 추가했어요. /imagine style:{name}로 쓸 수 있어요.',
  'refusals.styles.replaced': '스타일 {name}을(를) 바꿨어요. /imagine style:{name}로 쓸 수 있어요.',
  'refusals.blockedList.empty':
    '이 서버에는 차단 단어가 없어요. /settings blocked-words add로 추가할 수 있어요.',
  'refusals.blockedList.header': '이 서버의 차단 단어({count}개):',
  'refusals.blockedList.headerOne': '이 서버의 차단 단어(1개):',
  'refusals.blockedList.more': '…외 {count}개',
  ...settingsKo,
};
