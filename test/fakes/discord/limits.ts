import { apiErrors } from './api-errors.js';
import type { ApiError } from './types.js';

/** Discord's documented limits, checked the way the API checks them (400 code 50035 unless noted). */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  embedAuthor: 256,
  embedTotal: 6000,
  attachments: 10,
  actionRows: 5,
  buttonsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  modalTitle: 45,
  modalComponents: 5,
} as const;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function toRecords(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function tooLong(path: string, max: number): ApiError {
  return apiErrors.invalidFormBody(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
}

export function validateContent(content: unknown): ApiError | undefined {
  if (content === undefined || content === null) return undefined;
  if (typeof content !== 'string')
    return apiErrors.invalidFormBody('content', 'BASE_TYPE_STRING', 'Must be a string.');
  if (content.length > LIMITS.content) return tooLong('content', LIMITS.content);
  return undefined;
}

export function validateEmbeds(embeds: unknown): ApiError | undefined {
  if (embeds === undefined || embeds === null) return undefined;
  if (!Array.isArray(embeds))
    return apiErrors.invalidFormBody('embeds', 'BASE_TYPE_ARRAY', 'Must be an array.');
  if (embeds.length > LIMITS.embeds) return tooLong('embeds', LIMITS.embeds);
  let total = 0;
  for (const [index, embed] of embeds.entries()) {
    if (!isRecord(embed))
      return apiErrors.invalidFormBody(`embeds.${index}`, 'MODEL_TYPE_CONVERT', 'Bad embed.');
    const title = text(embed.title);
    const description = text(embed.description);
    const footer = isRecord(embed.footer) ? text(embed.footer.text) : '';
    const author = isRecord(embed.author) ? text(embed.author.name) : '';
    const fields = toRecords(embed.fields);
    if (title.length > LIMITS.embedTitle) return tooLong(`embeds.${index}.title`, LIMITS.embedTitle);
    if (description.length > LIMITS.embedDescription)
      return tooLong(`embeds.${index}.description`, LIMITS.embedDescription);
    if (footer.length > LIMITS.embedFooter) return tooLong(`embeds.${index}.footer.text`, LIMITS.embedFooter);
    if (author.length > LIMITS.embedAuthor) return tooLong(`embeds.${index}.author.name`, LIMITS.embedAuthor);
    if (fields.length > LIMITS.embedFields) return tooLong(`embeds.${index}.fields`, LIMITS.embedFields);
    total += title.length + description.length + footer.length + author.length;
    for (const [fieldIndex, field] of fields.entries()) {
      const name = text(field.name);
      const value = text(field.value);
      const path = `embeds.${index}.fields.${fieldIndex}`;
      if (name.length === 0)
        return apiErrors.invalidFormBody(`${path}.name`, 'BASE_TYPE_REQUIRED', 'Required.');
      if (value.length === 0)
        return apiErrors.invalidFormBody(`${path}.value`, 'BASE_TYPE_REQUIRED', 'Required.');
      if (name.length > LIMITS.embedFieldName) return tooLong(`${path}.name`, LIMITS.embedFieldName);
      if (value.length > LIMITS.embedFieldValue) return tooLong(`${path}.value`, LIMITS.embedFieldValue);
      total += name.length + value.length;
    }
  }
  if (total > LIMITS.embedTotal) {
    return apiErrors.invalidFormBody(
      'embeds',
      'MAX_EMBED_SIZE_EXCEEDED',
      'Embed size exceeds maximum size of 6000',
    );
  }
  return undefined;
}

function validateCustomId(value: unknown, path: string, seen: Set<string>): ApiError | undefined {
  if (typeof value !== 'string' || value.length === 0) {
    return apiErrors.invalidFormBody(path, 'BASE_TYPE_REQUIRED', 'This field is required');
  }
  if (value.length > LIMITS.customId) return tooLong(path, LIMITS.customId);
  if (seen.has(value)) {
    return apiErrors.invalidFormBody(
      path,
      'COMPONENT_CUSTOM_ID_DUPLICATED',
      'Component custom id cannot be duplicated',
    );
  }
  seen.add(value);
  return undefined;
}

/** Action rows (type 1) with buttons (2), selects (3, 5-8) or text inputs (4). */
export function validateComponents(
  components: unknown,
  maxRows: number = LIMITS.actionRows,
): ApiError | undefined {
  if (components === undefined || components === null) return undefined;
  if (!Array.isArray(components))
    return apiErrors.invalidFormBody('components', 'BASE_TYPE_ARRAY', 'Must be an array.');
  if (components.length > maxRows) return tooLong('components', maxRows);
  const seen = new Set<string>();
  for (const [rowIndex, row] of components.entries()) {
    const rowPath = `components.${rowIndex}`;
    if (!isRecord(row) || row.type !== 1) {
      return apiErrors.invalidFormBody(
        `${rowPath}.type`,
        'UNION_TYPE_CHOICES',
        'Value must be an action row (1).',
      );
    }
    const children = toRecords(row.components);
    if (children.length === 0) {
      return apiErrors.invalidFormBody(
        `${rowPath}.components`,
        'BASE_TYPE_MIN_LENGTH',
        'Must be 1 or more in length.',
      );
    }
    const buttons = children.filter((child) => child.type === 2);
    if (buttons.length > LIMITS.buttonsPerRow) return tooLong(`${rowPath}.components`, LIMITS.buttonsPerRow);
    if (buttons.length !== children.length && children.length > 1) {
      return apiErrors.invalidFormBody(
        `${rowPath}.components`,
        'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
        'The specified component exceeds the maximum width',
      );
    }
    for (const [index, child] of children.entries()) {
      const path = `${rowPath}.components.${index}`;
      const isLinkOrPremium = child.type === 2 && (child.style === 5 || child.style === 6);
      if (!isLinkOrPremium) {
        const error = validateCustomId(child.custom_id, `${path}.custom_id`, seen);
        if (error) return error;
      }
      if (child.type === 2 && text(child.label).length > LIMITS.buttonLabel) {
        return tooLong(`${path}.label`, LIMITS.buttonLabel);
      }
    }
  }
  return undefined;
}

export function validateChoices(choices: unknown): ApiError | undefined {
  if (!Array.isArray(choices))
    return apiErrors.invalidFormBody('data.choices', 'BASE_TYPE_REQUIRED', 'Required.');
  if (choices.length > LIMITS.autocompleteChoices) return tooLong('data.choices', LIMITS.autocompleteChoices);
  for (const [index, choice] of choices.entries()) {
    const path = `data.choices.${index}`;
    if (!isRecord(choice)) return apiErrors.invalidFormBody(path, 'MODEL_TYPE_CONVERT', 'Bad choice.');
    const name = choice.name;
    if (typeof name !== 'string' || name.length < 1) {
      return apiErrors.invalidFormBody(
        `${path}.name`,
        'BASE_TYPE_BAD_LENGTH',
        'Must be between 1 and 100 in length.',
      );
    }
    if (name.length > LIMITS.choiceName) {
      return apiErrors.invalidFormBody(
        `${path}.name`,
        'BASE_TYPE_BAD_LENGTH',
        'Must be between 1 and 100 in length.',
      );
    }
    const value = choice.value;
    if (typeof value === 'string' ? value.length > LIMITS.choiceValue : typeof value !== 'number') {
      return apiErrors.invalidFormBody(
        `${path}.value`,
        'BASE_TYPE_BAD_LENGTH',
        'Must be between 1 and 100 in length.',
      );
    }
  }
  return undefined;
}

export function validateModal(data: unknown): ApiError | undefined {
  if (!isRecord(data)) return apiErrors.invalidFormBody('data', 'BASE_TYPE_REQUIRED', 'Required.');
  const customId = data.custom_id;
  if (typeof customId !== 'string' || customId.length === 0 || customId.length > LIMITS.customId) {
    return apiErrors.invalidFormBody(
      'data.custom_id',
      'BASE_TYPE_BAD_LENGTH',
      'Must be between 1 and 100 in length.',
    );
  }
  const title = data.title;
  if (typeof title !== 'string' || title.length === 0 || title.length > LIMITS.modalTitle) {
    return apiErrors.invalidFormBody(
      'data.title',
      'BASE_TYPE_BAD_LENGTH',
      'Must be between 1 and 45 in length.',
    );
  }
  const components = toRecords(data.components);
  if (components.length < 1 || components.length > LIMITS.modalComponents) {
    return apiErrors.invalidFormBody(
      'data.components',
      'BASE_TYPE_BAD_LENGTH',
      'Must be between 1 and 5 in length.',
    );
  }
  const seen = new Set<string>();
  for (const [index, component] of components.entries()) {
    // Action rows wrapping a text input, or (newer) labels wrapping one component.
    const inner =
      toRecords(component.components)[0] ?? (isRecord(component.component) ? component.component : null);
    if (inner && inner.type !== 10) {
      const error = validateCustomId(inner.custom_id, `data.components.${index}.custom_id`, seen);
      if (error) return error;
    }
  }
  return undefined;
}
