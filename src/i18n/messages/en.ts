/**
 * Every text a member sees, in English: the source every other locale translates. A key names
 * what the text is for; `{name}` marks a parameter. Append keys; a key that changes meaning gets a
 * new name, so no translation silently goes stale.
 */
export const en = {
  'cancel.done': 'Cancelled.',
} as const satisfies Record<string, string>;

export type MessageKey = keyof typeof en;
/** A locale's texts: any key may be missing (English is used), none may be unknown. */
export type Catalog = { readonly [K in MessageKey]?: string };
