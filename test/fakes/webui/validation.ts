/**
 * FastAPI-style request validation for the fake WebUI: pydantic v1 coercion and error shape
 * (`{loc,msg,type}`, A1111 and SD.Next) or pydantic v2 (`{type,loc,msg,input}`, Forge).
 * Every field is Optional (null passes), unknown keys are ignored, as in A1111's generated models.
 */

export type FieldKind = 'int' | 'float' | 'str' | 'bool' | 'list-str' | 'list' | 'dict';
export type PydanticStyle = 'v1' | 'v2';

export interface ValidationIssue {
  loc: Array<string | number>;
  msg: string;
  type: string;
  input?: unknown;
  ctx?: Record<string, unknown>;
}

export type ValidationResult =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; issues: ValidationIssue[] };

const GENERATION_FIELDS: Record<string, FieldKind> = {
  prompt: 'str',
  negative_prompt: 'str',
  styles: 'list-str',
  seed: 'int',
  subseed: 'int',
  subseed_strength: 'float',
  seed_resize_from_h: 'int',
  seed_resize_from_w: 'int',
  sampler_name: 'str',
  sampler_index: 'str',
  scheduler: 'str',
  batch_size: 'int',
  n_iter: 'int',
  steps: 'int',
  cfg_scale: 'float',
  width: 'int',
  height: 'int',
  restore_faces: 'bool',
  tiling: 'bool',
  do_not_save_samples: 'bool',
  do_not_save_grid: 'bool',
  eta: 'float',
  denoising_strength: 'float',
  override_settings: 'dict',
  override_settings_restore_afterwards: 'bool',
  refiner_checkpoint: 'str',
  refiner_switch_at: 'float',
  disable_extra_networks: 'bool',
  enable_hr: 'bool',
  hr_scale: 'float',
  hr_upscaler: 'str',
  hr_second_pass_steps: 'int',
  hr_resize_x: 'int',
  hr_resize_y: 'int',
  hr_checkpoint_name: 'str',
  hr_sampler_name: 'str',
  hr_scheduler: 'str',
  hr_prompt: 'str',
  hr_negative_prompt: 'str',
  force_task_id: 'str',
  script_name: 'str',
  script_args: 'list',
  alwayson_scripts: 'dict',
  send_images: 'bool',
  save_images: 'bool',
  infotext: 'str',
};

export const TXT2IMG_FIELDS: Record<string, FieldKind> = GENERATION_FIELDS;

export const IMG2IMG_FIELDS: Record<string, FieldKind> = {
  ...GENERATION_FIELDS,
  init_images: 'list-str',
  resize_mode: 'int',
  mask: 'str',
  mask_blur: 'int',
  mask_blur_x: 'int',
  mask_blur_y: 'int',
  inpainting_fill: 'int',
  inpaint_full_res: 'bool',
  inpaint_full_res_padding: 'int',
  inpainting_mask_invert: 'int',
  image_cfg_scale: 'float',
  include_init_images: 'bool',
};

export const EXTRAS_FIELDS: Record<string, FieldKind> = {
  image: 'str',
  resize_mode: 'int',
  show_extras_results: 'bool',
  gfpgan_visibility: 'float',
  codeformer_visibility: 'float',
  codeformer_weight: 'float',
  upscaling_resize: 'float',
  upscaling_resize_w: 'int',
  upscaling_resize_h: 'int',
  upscaling_crop: 'bool',
  upscaler_1: 'str',
  upscaler_2: 'str',
  extras_upscaler_2_visibility: 'float',
  upscale_first: 'bool',
};

const TRUE_WORDS = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE_WORDS = new Set(['0', 'off', 'f', 'false', 'n', 'no']);
const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;
const NUMBER_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;

export function validateBody(
  body: unknown,
  fields: Record<string, FieldKind>,
  style: PydanticStyle,
): ValidationResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      ok: false,
      issues: [
        style === 'v1'
          ? { loc: ['body'], msg: 'value is not a valid dict', type: 'type_error.dict' }
          : {
              type: 'model_attributes_type',
              loc: ['body'],
              msg: 'Input should be a valid dictionary or object to extract fields from',
              input: body,
            },
      ],
    };
  }
  const value: Record<string, unknown> = { ...body };
  const issues: ValidationIssue[] = [];
  for (const [key, kind] of Object.entries(fields)) {
    const input = value[key];
    if (input === undefined || input === null) {
      continue;
    }
    const result = coerce(input, kind, ['body', key], style);
    if ('issues' in result) {
      issues.push(...result.issues);
    } else {
      value[key] = result.value;
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value };
}

type Coerced = { value: unknown } | { issues: ValidationIssue[] };

function coerce(input: unknown, kind: FieldKind, loc: Array<string | number>, style: PydanticStyle): Coerced {
  switch (kind) {
    case 'int':
      return coerceInt(input, loc, style);
    case 'float':
      return coerceFloat(input, loc, style);
    case 'str':
      return coerceStr(input, loc, style);
    case 'bool':
      return coerceBool(input, loc, style);
    case 'dict':
      return typeof input === 'object' && !Array.isArray(input)
        ? { value: input }
        : fail(
            style,
            loc,
            input,
            ['type_error.dict', 'value is not a valid dict'],
            ['dict_type', 'Input should be a valid dictionary'],
          );
    case 'list':
      return Array.isArray(input)
        ? { value: input }
        : fail(
            style,
            loc,
            input,
            ['type_error.list', 'value is not a valid list'],
            ['list_type', 'Input should be a valid list'],
          );
    case 'list-str': {
      if (!Array.isArray(input)) {
        return fail(
          style,
          loc,
          input,
          ['type_error.list', 'value is not a valid list'],
          ['list_type', 'Input should be a valid list'],
        );
      }
      const items = input.map((item, index) => coerceStr(item, [...loc, index], style));
      const issues = items.flatMap((item) => ('issues' in item ? item.issues : []));
      return issues.length > 0
        ? { issues }
        : { value: items.map((item) => ('value' in item ? item.value : null)) };
    }
  }
}

function coerceInt(input: unknown, loc: Array<string | number>, style: PydanticStyle): Coerced {
  if (typeof input === 'boolean') {
    return { value: input ? 1 : 0 };
  }
  if (typeof input === 'number' && Number.isFinite(input)) {
    if (Number.isInteger(input)) {
      return { value: input };
    }
    // pydantic v1 truncates (int(1.5) == 1); v2 refuses a fractional part.
    return style === 'v1'
      ? { value: Math.trunc(input) }
      : fail(
          style,
          loc,
          input,
          ['', ''],
          ['int_from_float', 'Input should be a valid integer, got a number with a fractional part'],
        );
  }
  if (typeof input === 'string' && INTEGER_TEXT.test(input)) {
    return { value: Number.parseInt(input, 10) };
  }
  return typeof input === 'string'
    ? fail(
        style,
        loc,
        input,
        ['type_error.integer', 'value is not a valid integer'],
        ['int_parsing', 'Input should be a valid integer, unable to parse string as an integer'],
      )
    : fail(
        style,
        loc,
        input,
        ['type_error.integer', 'value is not a valid integer'],
        ['int_type', 'Input should be a valid integer'],
      );
}

function coerceFloat(input: unknown, loc: Array<string | number>, style: PydanticStyle): Coerced {
  if (typeof input === 'boolean') {
    return { value: input ? 1 : 0 };
  }
  if (typeof input === 'number' && Number.isFinite(input)) {
    return { value: input };
  }
  if (typeof input === 'string' && NUMBER_TEXT.test(input)) {
    return { value: Number.parseFloat(input) };
  }
  return typeof input === 'string'
    ? fail(
        style,
        loc,
        input,
        ['type_error.float', 'value is not a valid float'],
        ['float_parsing', 'Input should be a valid number, unable to parse string as a number'],
      )
    : fail(
        style,
        loc,
        input,
        ['type_error.float', 'value is not a valid float'],
        ['float_type', 'Input should be a valid number'],
      );
}

function coerceStr(input: unknown, loc: Array<string | number>, style: PydanticStyle): Coerced {
  if (typeof input === 'string') {
    return { value: input };
  }
  // pydantic v1 turns numbers (and bools, being ints) into text; v2 refuses them.
  if (style === 'v1' && (typeof input === 'number' || typeof input === 'boolean')) {
    return { value: typeof input === 'boolean' ? (input ? 'True' : 'False') : String(input) };
  }
  return fail(
    style,
    loc,
    input,
    ['type_error.str', 'str type expected'],
    ['string_type', 'Input should be a valid string'],
  );
}

function coerceBool(input: unknown, loc: Array<string | number>, style: PydanticStyle): Coerced {
  if (typeof input === 'boolean') {
    return { value: input };
  }
  if (input === 0 || input === 1) {
    return { value: input === 1 };
  }
  if (typeof input === 'string') {
    const word = input.trim().toLowerCase();
    if (TRUE_WORDS.has(word) || FALSE_WORDS.has(word)) {
      return { value: TRUE_WORDS.has(word) };
    }
    return fail(
      style,
      loc,
      input,
      ['type_error.bool', 'value could not be parsed to a boolean'],
      ['bool_parsing', 'Input should be a valid boolean, unable to interpret input'],
    );
  }
  return fail(
    style,
    loc,
    input,
    ['type_error.bool', 'value could not be parsed to a boolean'],
    ['bool_type', 'Input should be a valid boolean'],
  );
}

function fail(
  style: PydanticStyle,
  loc: Array<string | number>,
  input: unknown,
  v1: readonly [type: string, msg: string],
  v2: readonly [type: string, msg: string],
): Coerced {
  const issue: ValidationIssue =
    style === 'v1' ? { loc, msg: v1[1], type: v1[0] } : { type: v2[0], loc, msg: v2[1], input };
  return { issues: [issue] };
}

/** `{loc,msg,type}` (v1) or `{type,loc,msg,input}` (v2) for a JSON body that does not parse. */
export function jsonDecodeIssue(style: PydanticStyle, error: unknown): ValidationIssue {
  const text = error instanceof Error ? error.message : 'Expecting value';
  return style === 'v1'
    ? { loc: ['body', 0], msg: `Expecting value: ${text}`, type: 'value_error.jsondecode' }
    : { type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {}, ctx: { error: text } };
}

/** A numeric bound, e.g. extras `upscaling_resize` (A1111 1.8: ge 1, le 8; Forge: gt 0). */
export function checkBound(
  style: PydanticStyle,
  key: string,
  value: unknown,
  bound: { ge?: number; le?: number; gt?: number },
): ValidationIssue | null {
  if (typeof value !== 'number') {
    return null;
  }
  const loc = ['body', key];
  if (bound.gt !== undefined && !(value > bound.gt)) {
    return style === 'v1'
      ? {
          loc,
          msg: `ensure this value is greater than ${bound.gt}`,
          type: 'value_error.number.not_gt',
          ctx: { limit_value: bound.gt },
        }
      : {
          type: 'greater_than',
          loc,
          msg: `Input should be greater than ${bound.gt}`,
          input: value,
          ctx: { gt: bound.gt },
        };
  }
  if (bound.ge !== undefined && value < bound.ge) {
    return style === 'v1'
      ? {
          loc,
          msg: `ensure this value is greater than or equal to ${bound.ge}`,
          type: 'value_error.number.not_ge',
          ctx: { limit_value: bound.ge },
        }
      : {
          type: 'greater_than_equal',
          loc,
          msg: `Input should be greater than or equal to ${bound.ge}`,
          input: value,
          ctx: { ge: bound.ge },
        };
  }
  if (bound.le !== undefined && value > bound.le) {
    return style === 'v1'
      ? {
          loc,
          msg: `ensure this value is less than or equal to ${bound.le}`,
          type: 'value_error.number.not_le',
          ctx: { limit_value: bound.le },
        }
      : {
          type: 'less_than_equal',
          loc,
          msg: `Input should be less than or equal to ${bound.le}`,
          input: value,
          ctx: { le: bound.le },
        };
  }
  return null;
}

/** `resize_mode: Literal[0, 1]` of the extras model. */
export function checkLiteral(
  style: PydanticStyle,
  key: string,
  value: unknown,
  permitted: readonly number[],
): ValidationIssue | null {
  if (value === undefined || value === null || (typeof value === 'number' && permitted.includes(value))) {
    return null;
  }
  const loc = ['body', key];
  return style === 'v1'
    ? {
        loc,
        msg: `unexpected value; permitted: ${permitted.join(', ')}`,
        type: 'value_error.const',
        ctx: { given: value, permitted },
      }
    : {
        type: 'literal_error',
        loc,
        msg: `Input should be ${permitted.join(' or ')}`,
        input: value,
        ctx: { expected: permitted.join(' or ') },
      };
}
