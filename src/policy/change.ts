import { type Message, msg } from '../i18n/translate.js';

/**
 * What a /settings planner returns. Every planner validates everything first and either returns the
 * new value or every problem; a refused change changes nothing.
 */
export type Change<T> = { ok: true; value: T; summary: Message[] } | { ok: false; problems: Message[] };

/** An unknown model, with the closest titles when there are any. */
export function unknownModel(model: string, closest: readonly string[]): Message {
  return closest.length > 0
    ? msg('refusals.model.unknownClosest', { model, closest: closest.join(', ') })
    : msg('refusals.model.unknown', { model });
}

/** A whole number within `min`..`max` (both included). */
export const isWhole = (value: number, min: number, max: number) =>
  Number.isFinite(value) && Number.isInteger(value) && value >= min && value <= max;
