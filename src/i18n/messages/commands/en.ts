/** The commands texts, in English (the source every locale translates). */
export const en = {} as const satisfies Record<string, string>;
