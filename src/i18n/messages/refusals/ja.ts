import type { AreaCatalog } from '../area.js';
import type { en } from './en.js';
import { ja as settingsJa } from './settings/ja.js';

export const ja: AreaCatalog<typeof en> = {
  'refusals.imagine.promptEmpty': 'プロンプトが空です。',
  'refusals.imagine.promptTooLong': 'プロンプトが{length}文字あります。上限は{limit}文字です。',
  'refusals.imagine.negativeTooLong': 'ネガティブプロンプトが{length}文字あります。上限は{limit}文字です。',
  'refusals.imagine.seedRange': 'シードは{min}～{max}の整数にしてください。',
  'refusals.imagine.stepsRange': 'ステップ数は{min}～{max}の整数にしてください。',
  'refusals.imagine.countRange': '枚数は{min}～{max}の整数にしてください。',
  'refusals.imagine.widthRange': '幅は{min}～{max}の整数にしてください。',
  'refusals.imagine.heightRange': '高さは{min}～{max}の整数にしてください。',
  'refusals.imagine.cfgRange': 'CFGスケールは{min}～{max}の数値にしてください。',
  'refusals.imagine.samplerNameTooLong': 'サンプラー名が{length}文字あります。上限は{limit}文字です。',
  'refusals.imagine.schedulerNameTooLong': 'スケジューラー名が{length}文字あります。上限は{limit}文字です。',
  'refusals.imagine.modelNameTooLong': 'モデル名が{length}文字あります。上限は{limit}文字です。',
  'refusals.imagine.widthMultiple': '幅は{multiple}の倍数にしてください（指定値: {value}）。',
  'refusals.imagine.heightMultiple': '高さは{multiple}の倍数にしてください（指定値: {value}）。',
  'refusals.imagine.aspectUnknown': '不明なアスペクト比「{aspect}」です。{choices} から選んでください。',
  'refusals.imagine.aspectAndSize':
    'アスペクト比か幅と高さのどちらか一方を指定してください。両方は指定できません。',
  'refusals.imagine.tooManyPixels':
    '{width}×{height}は{pixels}ピクセルです。1枚あたりの上限は{limit}ピクセルです（例: {side}×{side}）。',
  'refusals.imagine.totalPixels':
    '{width}×{height}の画像{count}枚で合計{total}ピクセルになります。1回のリクエストの上限（MAX_TOTAL_PIXELS）は{limit}ピクセルです。枚数を減らすか、小さいサイズにしてください。',
  'refusals.imagine.totalPixelsOne':
    '{width}×{height}の画像1枚で合計{total}ピクセルになります。1回のリクエストの上限（MAX_TOTAL_PIXELS）は{limit}ピクセルです。枚数を減らすか、小さいサイズにしてください。',

  'refusals.img2img.strengthRange': '強度は{min}～{max}の数値にしてください。',
  'refusals.img2img.strengthWithoutImage':
    '強度は画像があるときだけ使えます。image オプションで画像を添付してください。',
  'refusals.img2img.tooManyPixels': '{width}×{height}は1枚あたりの上限{limit}ピクセルを超えています。',
  'refusals.img2img.totalPixels':
    '{width}×{height}の画像{count}枚で合計{total}ピクセルになります。1回のリクエストの上限（MAX_TOTAL_PIXELS）は{limit}ピクセルです。枚数を減らしてください。',

  'refusals.input.tooLarge':
    '画像のサイズは{size}です。上限は{limit}です。もっと小さい画像（またはJPEGかWebP）を送ってください。',
  'refusals.input.tooLargeStreamed':
    '画像が{limit}を超えています。上限は{limit}です。もっと小さい画像（またはJPEGかWebP）を送ってください。',
  'refusals.input.downloadFailed':
    'Discordから画像をダウンロードできませんでした。少し待ってからもう一度お試しください。',
  'refusals.input.notAnImage':
    '添付ファイルはPNG・JPEG・WebP画像ではありません（ファイル名に関係なく）。いずれかの形式の画像を添付してください。',
  'refusals.input.tooManyPixels':
    '画像は{width}×{height}（{pixels}ピクセル）です。上限は{limit}ピクセルです。もっと小さい画像を送ってください。',
  'refusals.input.tooSmall': '画像は{width}×{height}です。{min}×{min}以上にしてください。',

  'refusals.derived.upscaleTooLarge':
    '{factor}倍にアップスケールすると{width}×{height}（{pixels}ピクセル）になります。上限（MAX_TOTAL_PIXELS）は{limit}ピクセルです。',
  'refusals.derived.steps': '現在、ステップ数の上限は{max}です。',
  'refusals.derived.count': '現在、1回のリクエストで生成できるのは{max}枚までです。',
  'refusals.derived.tooManyPixels': '{width}×{height}は現在の1枚あたりの上限{limit}ピクセルを超えています。',
  'refusals.derived.totalPixels':
    '{width}×{height}の画像{count}枚で合計{total}ピクセルになります。上限（MAX_TOTAL_PIXELS）は{limit}です。',

  'refusals.model.unknown': '不明なモデル「{model}」です。',
  'refusals.model.unknownClosest': '不明なモデル「{model}」です。近い候補: {closest}',
  'refusals.model.unknownHint': '不明なモデル「{model}」です。/models で一覧を確認できます。',
  'refusals.model.unknownClosestHint':
    '不明なモデル「{model}」です。近い候補: {closest}。/models で一覧を確認できます。',
  'refusals.sampler.unknown': '不明なサンプラー「{name}」です。このサーバーにあるもの: {names}',
  'refusals.sampler.unknownMore':
    '不明なサンプラー「{name}」です。このサーバーにあるもの: {names} ほか{more}件',
  'refusals.scheduler.unknown': '不明なスケジューラー「{name}」です。このサーバーにあるもの: {names}',
  'refusals.scheduler.unknownMore':
    '不明なスケジューラー「{name}」です。このサーバーにあるもの: {names} ほか{more}件',
  'refusals.upscaler.unknown': '不明なアップスケーラー「{name}」です。',
  'refusals.upscaler.unknownClosest': '不明なアップスケーラー「{name}」です。近い候補: {closest}',

  'refusals.features.lorasOff': 'このDiscordサーバーではLoRAがオフになっています。',
  'refusals.features.stylesOff': 'このDiscordサーバーではスタイルがオフになっています。',
  'refusals.features.hiresOff': 'このDiscordサーバーではHires fixがオフになっています。',
  'refusals.features.adetailerOff': 'このDiscordサーバーではADetailerがオフになっています。',
  'refusals.features.variantsOff':
    'このDiscordサーバーではプロンプトのバリエーション（{syntax}）がオフになっています。',
  'refusals.features.noLoraServer': 'ここにはLoRAを使える画像サーバーがありません。',
  'refusals.features.noHiresServer': 'ここにはHires fixを使える画像サーバーがありません。',
  'refusals.features.noAdetailerServer':
    'ここにはADetailer（または顔のディテイラー）を使える画像サーバーがありません。',
  'refusals.loras.noName': '「{entry}」にはLoRA名がありません。name または name:0.8 の形で書いてください。',
  'refusals.loras.badName': '「{name}」はLoRA名として使えません。name または name:0.8 の形で書いてください。',
  'refusals.loras.badWeight':
    '「{weight}」は{name}の重みとして使えません。{name}:0.8 のように書いてください。',
  'refusals.loras.weightRange': '{name}の重みが{weight}です。{min}～{max}の数値にしてください。',
  'refusals.loras.twice': '{name}が2回指定されています。各LoRAは1回だけ指定してください。',
  'refusals.loras.tooManyPerImage': 'LoRAが{count}個あります。1枚あたり{max}個までです。',
  'refusals.loras.tooManyPerRequest': 'LoRAが{count}個あります。1回のリクエストで{max}個までです。',
  'refusals.loras.unknown': '不明なLoRA「{name}」です。/loras で一覧を確認できます。',
  'refusals.loras.unknownClosest':
    '不明なLoRA「{name}」です。近い候補: {closest}。/loras で一覧を確認できます。',
  'refusals.styles.unknownClosest': '不明なスタイル「{name}」です。近い候補: {closest}',
  'refusals.styles.unknownNone': '不明なスタイル「{name}」です。このサーバーにはスタイルがありません。',
  'refusals.hires.empty':
    'hires オプションが空です。まず 2 や 1.5x のような倍率を書き、必要なら 0.4 のようなデノイズ強度とアップスケーラーを続けてください。',
  'refusals.hires.notScaleOrSize':
    '「{text}」は倍率でもサイズでもありません。まず 2 や 1.5x のような倍率を書き、必要なら 0.4 のようなデノイズ強度とアップスケーラーを続けてください。',
  'refusals.hires.tooSmall': '{width}×{height}はHires fixには小さすぎます。各辺{min}ピクセル以上必要です。',
  'refusals.hires.scaleRange': 'Hiresの倍率{value}は範囲外です。1より大きく{max}以下にしてください。',
  'refusals.hires.stepsTwice': 'hires オプションでステップ数が2回指定されています。',
  'refusals.hires.stepsRange': 'Hiresのステップ数は1～{max}にしてください。{value}は範囲外です。',
  'refusals.hires.denoiseTwice': 'hires オプションでデノイズ強度が2回指定されています。',
  'refusals.hires.denoiseZero': 'Hiresのデノイズ強度0では何も変わりません。0より大きく1以下にしてください。',
  'refusals.hires.img2img': 'Hires fixはテキストからの画像生成専用です。画像を外してください。',
  'refusals.hires.mustEnlarge':
    'Hires fixは拡大する必要があります。{finalWidth}×{finalHeight}は{width}×{height}より大きくありません。',
  'refusals.hires.scaleTooHigh': 'Hiresの倍率が{scale}です。上限は{max}です。',
  'refusals.hires.perImageScaleFits':
    'Hires fixで{width}×{height}が{finalWidth}×{finalHeight}（1枚あたり{pixels}ピクセル）になります。上限（MAX_PIXELS）は{limit}です。倍率{fits}以下なら収まります。',
  'refusals.hires.perImageSmaller':
    'Hires fixで{width}×{height}が{finalWidth}×{finalHeight}（1枚あたり{pixels}ピクセル）になります。上限（MAX_PIXELS）は{limit}です。最初のサイズを小さくするか、枚数を減らしてください。',
  'refusals.hires.totalScaleFits':
    'Hires fix後の{finalWidth}×{finalHeight}の画像{count}枚で合計{total}ピクセルになります。1回のリクエストの上限（MAX_TOTAL_PIXELS）は{limit}ピクセルです。倍率{fits}以下なら収まります。',
  'refusals.hires.totalSmaller':
    'Hires fix後の{finalWidth}×{finalHeight}の画像{count}枚で合計{total}ピクセルになります。1回のリクエストの上限（MAX_TOTAL_PIXELS）は{limit}ピクセルです。最初のサイズを小さくするか、枚数を減らしてください。',
  'refusals.hires.totalOneScaleFits':
    'Hires fix後の{finalWidth}×{finalHeight}の画像1枚で合計{total}ピクセルになります。1回のリクエストの上限（MAX_TOTAL_PIXELS）は{limit}ピクセルです。倍率{fits}以下なら収まります。',
  'refusals.hires.totalOneSmaller':
    'Hires fix後の{finalWidth}×{finalHeight}の画像1枚で合計{total}ピクセルになります。1回のリクエストの上限（MAX_TOTAL_PIXELS）は{limit}ピクセルです。最初のサイズを小さくするか、枚数を減らしてください。',
  'refusals.variants.unclosed':
    '{position}文字目の「{open}」に対応する「{close}」がありません。グループを閉じるか、文字として使うなら {escapedOpen} と書いてください。',
  'refusals.variants.strayClose':
    '{position}文字目の「{close}」に対応する「{open}」がありません。文字として使うなら {escapedClose} と書いてください。',
  'refusals.variants.tooMany':
    'プロンプトの {syntax} の選択肢から{count}通りのバリエーションができます。上限は{limit}です。選択肢を減らしてください。',
  'refusals.variants.tooManyImages':
    'プロンプトの {syntax} の選択肢から{variants}通りのバリエーションができ、各{count}枚で{images}枚になります。1回のリクエストの上限は{limit}枚です。選択肢か枚数を減らしてください。',
  'refusals.variants.tooManyImagesOne':
    'プロンプトの {syntax} の選択肢から{variants}通りのバリエーションができ、各1枚で{images}枚になります。1回のリクエストの上限は{limit}枚です。選択肢か枚数を減らしてください。',

  'refusals.blocked.prompt':
    'プロンプトにこのサーバーで禁止されている語句が含まれているため、生成しませんでした。言い換えてもう一度お試しください。',
  'refusals.blocked.promptWord':
    'プロンプトにこのサーバーで禁止されている語句（「{word}」）が含まれているため、生成しませんでした。言い換えてもう一度お試しください。',
  'refusals.blocked.negativePrompt':
    'ネガティブプロンプトにこのサーバーで禁止されている語句が含まれているため、生成しませんでした。言い換えてもう一度お試しください。',
  'refusals.blocked.negativePromptWord':
    'ネガティブプロンプトにこのサーバーで禁止されている語句（「{word}」）が含まれているため、生成しませんでした。言い換えてもう一度お試しください。',
  'refusals.blocked.termEmpty': '語句が空です。',
  'refusals.blocked.termTooLong': '禁止語句は{max}文字までです。',
  'refusals.blocked.patternUnsupported':
    'このパターンには線形時間のマッチャーが対応していない機能が含まれています: 後方参照（`\\1` など）、先読み・後読み（`(?=…)`、`(?!…)`、`(?<=…)`、`(?<!…)` など）、または1000を超える繰り返し回数。これらを使わずに書き直してください。',
  'refusals.blocked.patternInvalid': '正しい正規表現ではありません。',
  'refusals.blocked.already': 'その語句はすでに禁止されています。',
  'refusals.blocked.full':
    'このサーバーはすでに上限の{max}語句を禁止しています。先にどれかを削除してください。',
  'refusals.blocked.termAdded': '禁止語句を追加しました（合計{count}件）。',
  'refusals.blocked.patternAdded': '禁止パターンを追加しました（合計{count}件）。',
  'refusals.blocked.notListed':
    'その語句はこのサーバーの禁止リストにありません。/settings blocked-words list で確認してください。',
  'refusals.blocked.removed': '禁止語句を削除しました（残り{count}件）。',
  'refusals.quota.cooldownSecond':
    'このサーバーでは1秒に1回リクエストできます。<t:{at}:R>にもう一度お試しください。',
  'refusals.quota.cooldownSeconds':
    'このサーバーでは{count}秒に1回リクエストできます。<t:{at}:R>にもう一度お試しください。',
  'refusals.quota.cooldownMinute':
    'このサーバーでは1分に1回リクエストできます。<t:{at}:R>にもう一度お試しください。',
  'refusals.quota.cooldownMinutes':
    'このサーバーでは{count}分に1回リクエストできます。<t:{at}:R>にもう一度お試しください。',
  'refusals.quota.cooldownHour':
    'このサーバーでは1時間に1回リクエストできます。<t:{at}:R>にもう一度お試しください。',
  'refusals.quota.cooldownHours':
    'このサーバーでは{count}時間に1回リクエストできます。<t:{at}:R>にもう一度お試しください。',
  'refusals.quota.hourlyLimit':
    'このサーバーは1時間あたり{limit}回のリクエスト上限に達しました。<t:{at}:R>にもう一度お試しください。',
  'refusals.quota.hourlyLimitOne':
    'このサーバーは1時間あたり1回のリクエスト上限に達しました。<t:{at}:R>にもう一度お試しください。',

  'refusals.audit.queued': '<@{userId}> が <#{channelId}> で /{command} をリクエストしました',
  'refusals.audit.blocked': '<@{userId}> の <#{channelId}> での /{command} を拒否しました（禁止語句）',
  'refusals.audit.overQuota': '<@{userId}> の <#{channelId}> での /{command} を拒否しました（利用制限）',
  'refusals.audit.buttonCommand': 'imagine（結果のボタン）',
  'refusals.audit.prompt': 'プロンプト: {prompt}',
  'refusals.audit.negative': 'ネガティブ: {prompt}',
  'refusals.nsfwMode.off': '何も追加しない',
  'refusals.nsfwMode.negativePrompt': 'SFWネガティブプロンプトを追加',
  'refusals.nsfwMode.spoiler': '画像をネタバレ（スポイラー）として投稿',
  'refusals.nsfwMode.both': 'SFWネガティブプロンプトを追加し、画像をネタバレ（スポイラー）として投稿',

  'refusals.features.resetAll':
    '機能の設定をすべてボットのデフォルトに戻しました（スタイルはそのままです）。',
  'refusals.features.lorasAllowed': 'LoRA: 許可',
  'refusals.features.lorasTurnedOff': 'LoRA: オフ',
  'refusals.features.stylesAllowed': 'スタイル: 許可',
  'refusals.features.stylesTurnedOff': 'スタイル: オフ',
  'refusals.features.hiresAllowed': 'Hires fix: 許可',
  'refusals.features.hiresTurnedOff': 'Hires fix: オフ',
  'refusals.features.adetailerAllowed': 'ADetailer: 許可',
  'refusals.features.adetailerTurnedOff': 'ADetailer: オフ',
  'refusals.features.variantsAllowed': 'プロンプトのバリエーション: 許可',
  'refusals.features.variantsTurnedOff': 'プロンプトのバリエーション: オフ',
  'refusals.features.maxLorasRange': 'LoRAの最大数は{min}～{max}の整数にしてください（MAX_LORAS）。',
  'refusals.features.maxLoras': '1回のリクエストのLoRA最大数: {count}',
  'refusals.features.maxHiresScaleRange': 'Hiresの最大倍率は{min}～{max}にしてください（MAX_HIRES_SCALE）。',
  'refusals.features.maxHiresScale': 'Hiresの最大倍率: {scale}',
  'refusals.features.hiresUpscaler': 'Hiresのアップスケーラー: {name}',
  'refusals.features.hiresDenoiseRange': 'Hiresのデノイズ強度は0より大きく1以下にしてください。',
  'refusals.features.hiresDenoise': 'Hiresのデノイズ強度: {denoise}',
  'refusals.features.hiresStepsRange': 'Hiresのステップ数は{min}～{max}の整数にしてください。',
  'refusals.features.hiresSteps': 'Hiresのステップ数: {steps}',
  'refusals.features.modelAndFamily': 'モデルとそのファミリーの両方を指定してください。',
  'refusals.features.familyAuto': '{model}: ファミリーを再検出します。',
  'refusals.features.family': '{model}: {family}',
  'refusals.styles.needsName': 'スタイルには名前が必要です。',
  'refusals.styles.notFound': '削除するスタイル「{name}」はありません。',
  'refusals.styles.removed': 'スタイル {name} を削除しました。',
  'refusals.styles.needsPrompt': 'スタイルにはプロンプトかネガティブプロンプトへの追加が必要です。',
  'refusals.styles.promptTooLong': 'スタイルのプロンプトが{length}文字あります。上限は{limit}文字です。',
  'refusals.styles.negativeTooLong':
    'スタイルのネガティブプロンプトが{length}文字あります。上限は{limit}文字です。',
  'refusals.styles.full':
    'このサーバーにはすでに上限の{max}個のスタイルがあります。先にどれかを削除してください。',
  'refusals.styles.added': 'スタイル {name} を追加しました。/imagine style:{name} で使えます。',
  'refusals.styles.replaced': 'スタイル {name} を置き換えました。/imagine style:{name} で使えます。',
  'refusals.blockedList.empty':
    'このサーバーには禁止語句がありません。/settings blocked-words add で追加できます。',
  'refusals.blockedList.header': 'このサーバーの禁止語句（{count}件）:',
  'refusals.blockedList.headerOne': 'このサーバーの禁止語句（1件）:',
  'refusals.blockedList.more': '…ほか{count}件',
  ...settingsJa,
};
