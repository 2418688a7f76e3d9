/**
 * ComfyUI's prompt validation (execution.py `validate_prompt` / `validate_inputs`), rebuilt from its
 * documented behaviour: the same error types, messages, details and `node_errors` layout.
 */
import type { InputSpec, ObjectInfo } from './object-info.js';

export interface ValidationError {
  type: string;
  message: string;
  details: string;
  extra_info: Record<string, unknown>;
}

export interface NodeErrors {
  errors: ValidationError[];
  dependent_outputs: string[];
  class_type: string;
}

export type ApiNode = { class_type: string; inputs: Record<string, unknown> };
export type ApiPrompt = Record<string, ApiNode>;

export type PromptValidation =
  | { ok: true; prompt: ApiPrompt; outputs: string[]; nodeErrors: Record<string, NodeErrors> }
  | { ok: false; error: ValidationError; nodeErrors: Record<string, NodeErrors> };

export interface ValidationContext {
  objectInfo: ObjectInfo;
  /** Whether `LoadImage` can open this input file (its `VALIDATE_INPUTS`). */
  inputImageExists: (name: string) => boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalidPrompt(message: string, id: string): PromptValidation {
  return {
    ok: false,
    error: { type: 'invalid_prompt', message, details: `Node ID '#${id}'`, extra_info: {} },
    nodeErrors: {},
  };
}

/** Python's `str()` of a value, as ComfyUI's messages print it. */
export function pythonRepr(value: unknown, float = false): string {
  if (typeof value === 'number') {
    return float && Number.isInteger(value) ? `${value}.0` : String(value);
  }
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map((item) => quoted(item)).join(', ')}]`;
  return JSON.stringify(value);
}

function quoted(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : pythonRepr(value);
}

export function validatePrompt(body: unknown, context: ValidationContext): PromptValidation {
  if (!isRecord(body)) {
    return invalidPrompt('Cannot execute because a node is missing the class_type property.', '');
  }
  const prompt: ApiPrompt = {};
  const outputs: string[] = [];
  for (const [id, raw] of Object.entries(body)) {
    if (!isRecord(raw) || typeof raw.class_type !== 'string') {
      return invalidPrompt('Cannot execute because a node is missing the class_type property.', id);
    }
    const info = context.objectInfo[raw.class_type];
    if (info === undefined) {
      return invalidPrompt(`Cannot execute because node ${raw.class_type} does not exist.`, id);
    }
    prompt[id] = { class_type: raw.class_type, inputs: isRecord(raw.inputs) ? raw.inputs : {} };
    if (info.output_node) outputs.push(id);
  }
  if (outputs.length === 0) {
    return {
      ok: false,
      error: { type: 'prompt_no_outputs', message: 'Prompt has no outputs', details: '', extra_info: {} },
      nodeErrors: {},
    };
  }

  const validated = new Map<string, { valid: boolean; reasons: ValidationError[] }>();
  const good: string[] = [];
  const failed: { output: string; reasons: ValidationError[] }[] = [];
  const nodeErrors: Record<string, NodeErrors> = {};
  for (const output of outputs) {
    const result = validateNode(prompt, output, validated, context, null);
    if (result.valid) {
      good.push(output);
      continue;
    }
    failed.push({ output, reasons: result.reasons });
    for (const [id, entry] of validated) {
      if (entry.valid || entry.reasons.length === 0) continue;
      let errors = nodeErrors[id];
      if (errors === undefined) {
        errors = { errors: entry.reasons, dependent_outputs: [], class_type: prompt[id]?.class_type ?? '' };
        nodeErrors[id] = errors;
      }
      if (!errors.dependent_outputs.includes(output)) errors.dependent_outputs.push(output);
    }
  }
  if (good.length === 0) {
    const details = failed
      .flatMap(({ reasons }) => reasons.map((reason) => `${reason.message}: ${reason.details}`))
      .join('\n');
    return {
      ok: false,
      error: {
        type: 'prompt_outputs_failed_validation',
        message: 'Prompt outputs failed validation',
        details,
        extra_info: {},
      },
      nodeErrors,
    };
  }
  return { ok: true, prompt, outputs: good, nodeErrors };
}

function validateNode(
  prompt: ApiPrompt,
  id: string,
  validated: Map<string, { valid: boolean; reasons: ValidationError[] }>,
  context: ValidationContext,
  /** The downstream input that led here; null for an output node. */
  via: { name: string; spec: InputSpec; link: unknown[] } | null,
): { valid: boolean; reasons: ValidationError[] } {
  const known = validated.get(id);
  if (known !== undefined) return known;
  // Guards against cycles: a node on the current path counts as valid until it is finished.
  validated.set(id, { valid: true, reasons: [] });
  const node = prompt[id];
  const info = node === undefined ? undefined : context.objectInfo[node.class_type];
  if (node === undefined || info === undefined) {
    const result = { valid: false, reasons: [] };
    validated.set(id, result);
    return result;
  }
  const reasons: ValidationError[] = [];
  let valid = true;
  const specs: [string, InputSpec, boolean][] = [
    ...Object.entries(info.input.required).map(([name, spec]): [string, InputSpec, boolean] => [
      name,
      spec,
      true,
    ]),
    ...Object.entries(info.input.optional ?? {}).map(([name, spec]): [string, InputSpec, boolean] => [
      name,
      spec,
      false,
    ]),
  ];
  for (const [name, spec, required] of specs) {
    if (!(name in node.inputs)) {
      if (required) {
        reasons.push({
          type: 'required_input_missing',
          message: 'Required input is missing',
          details: name,
          extra_info: { input_name: name },
        });
      }
      continue;
    }
    const value = node.inputs[name];
    if (Array.isArray(value)) {
      const link = checkLink(prompt, name, spec, value, context);
      if (link !== null && 'exception' in link) {
        // ComfyUI raises here (KeyError / IndexError) and reports the exception instead of the node's errors.
        const result = { valid: false, reasons: [exceptionReason(link, via)] };
        validated.set(id, result);
        return result;
      }
      if (link !== null) {
        reasons.push(link);
        continue;
      }
      const upstream = validateNode(prompt, String(value[0]), validated, context, {
        name,
        spec,
        link: value,
      });
      if (!upstream.valid) valid = false;
      continue;
    }
    const problem = checkLiteral(node.class_type, name, spec, value, context);
    if (problem !== null) reasons.push(problem);
  }
  const result = { valid: valid && reasons.length === 0, reasons };
  validated.set(id, result);
  return result;
}

function typesMatch(received: string, expected: string | string[]): boolean {
  if (Array.isArray(expected)) return received === 'COMBO' || received === '*';
  if (received === '*' || expected === '*') return true;
  const left = received.split(',');
  return expected.split(',').some((type) => left.includes(type));
}

interface RaisedException {
  exception: string;
  message: string;
}

function exceptionReason(
  raised: RaisedException,
  via: { name: string; spec: InputSpec; link: unknown[] } | null,
): ValidationError {
  if (via === null) {
    return {
      type: 'exception_during_validation',
      message: 'Exception when validating node',
      details: raised.message,
      extra_info: { exception_type: raised.exception, traceback: [] },
    };
  }
  return {
    type: 'exception_during_inner_validation',
    message: 'Exception when validating inner node',
    details: raised.message,
    extra_info: {
      input_name: via.name,
      input_config: via.spec,
      exception_message: raised.message,
      exception_type: raised.exception,
      traceback: [],
      linked_node: via.link,
    },
  };
}

function checkLink(
  prompt: ApiPrompt,
  name: string,
  spec: InputSpec,
  value: unknown[],
  context: ValidationContext,
): ValidationError | RaisedException | null {
  if (value.length !== 2) {
    return {
      type: 'bad_linked_input',
      message: 'Bad linked input, must be a length-2 list of [node_id, slot_index]',
      details: name,
      extra_info: { input_name: name, input_config: spec, received_value: value },
    };
  }
  const linkedId = String(value[0]);
  const linked = prompt[linkedId];
  const slot = typeof value[1] === 'number' ? value[1] : Number.NaN;
  const outputs = linked === undefined ? undefined : context.objectInfo[linked.class_type]?.output;
  const received = outputs?.[slot];
  if (received === undefined) {
    return linked === undefined
      ? { exception: 'KeyError', message: `'${linkedId}'` }
      : { exception: 'IndexError', message: 'tuple index out of range' };
  }
  if (!typesMatch(received, spec[0])) {
    const expected = Array.isArray(spec[0]) ? 'COMBO' : spec[0];
    return {
      type: 'return_type_mismatch',
      message: 'Return type mismatch between linked nodes',
      details: `${name}, received_type(${received}) mismatch input_type(${expected})`,
      extra_info: { input_name: name, input_config: spec, received_type: received, linked_node: value },
    };
  }
  return null;
}

function convert(type: string, value: unknown): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (type === 'INT') {
    if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value: Math.trunc(value) };
    if (typeof value === 'boolean') return { ok: true, value: value ? 1 : 0 };
    if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value))
      return { ok: true, value: Number(value) };
    return { ok: false, reason: `invalid literal for int() with base 10: '${pythonRepr(value)}'` };
  }
  if (type === 'FLOAT') {
    if (typeof value === 'number') return { ok: true, value };
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
      return { ok: true, value: Number(value) };
    }
    return { ok: false, reason: `could not convert string to float: '${pythonRepr(value)}'` };
  }
  if (type === 'STRING') {
    if (value === null || typeof value === 'object') {
      return { ok: true, value: JSON.stringify(value) };
    }
    return { ok: true, value: String(value) };
  }
  if (type === 'BOOLEAN') return { ok: true, value: Boolean(value) };
  return { ok: true, value };
}

function checkLiteral(
  classType: string,
  name: string,
  spec: InputSpec,
  value: unknown,
  context: ValidationContext,
): ValidationError | null {
  const [type, options = {}] = spec;
  const extra = { input_name: name, input_config: spec, received_value: value };
  if (Array.isArray(type)) {
    if (classType === 'LoadImage' && name === 'image') {
      return typeof value === 'string' && context.inputImageExists(value)
        ? null
        : {
            type: 'custom_validation_failed',
            message: 'Custom validation failed for node',
            details: `image - Invalid image file: ${pythonRepr(value)}`,
            extra_info: { input_name: name },
          };
    }
    if (typeof value === 'string' && type.includes(value)) return null;
    const list = type.length > 20 ? `(list of length ${type.length})` : pythonRepr(type);
    return {
      type: 'value_not_in_list',
      message: 'Value not in list',
      details: `${name}: '${pythonRepr(value)}' not in ${list}`,
      extra_info: { ...extra, input_config: type.length > 20 ? null : spec },
    };
  }
  const converted = convert(type, value);
  if (!converted.ok) {
    return {
      type: 'invalid_input_type',
      message: `Failed to convert an input value to a ${type} value`,
      details: `${name}, ${pythonRepr(value)}, ${converted.reason}`,
      extra_info: { ...extra, exception_message: converted.reason },
    };
  }
  if (type === 'INT' || type === 'FLOAT') {
    const number = converted.value as number;
    const float = type === 'FLOAT';
    if (typeof options.min === 'number' && number < options.min) {
      return {
        type: 'value_smaller_than_min',
        message: `Value ${pythonRepr(number, float)} smaller than min of ${pythonRepr(options.min, float)}`,
        details: name,
        extra_info: { ...extra, received_value: number },
      };
    }
    if (typeof options.max === 'number' && number > options.max) {
      return {
        type: 'value_bigger_than_max',
        message: `Value ${pythonRepr(number, float)} bigger than max of ${pythonRepr(options.max, float)}`,
        details: name,
        extra_info: { ...extra, received_value: number },
      };
    }
  }
  return null;
}

/** The literal value of an input after ComfyUI's conversion (INT truncates, numeric strings parse). */
export function inputValue(spec: InputSpec | undefined, value: unknown): unknown {
  if (spec === undefined || Array.isArray(spec[0])) return value;
  const converted = convert(spec[0], value);
  return converted.ok ? converted.value : value;
}
