/** Texts shared by every part of the bot, in English (the source every locale translates). */
export const en = {
  'cancel.done': 'Cancelled.',
} as const satisfies Record<string, string>;
