/** Button ids: `<action>:<arg>[:<arg>…]`, at most 100 characters (Discord's limit). */
export const BUTTON_ACTIONS = [
  'cancel',
  'models',
  'loras',
  // Result buttons (src/discord/results/result-actions.ts): `<action>:<jobId>[:<image index>]`.
  'reroll',
  'vary',
  'upscale',
  'remix',
  'info',
  'delete',
  'image',
] as const;
export type ButtonAction = (typeof BUTTON_ACTIONS)[number];

/** Modal ids, the same shape: the remix form's submit. */
export const MODAL_ACTIONS = ['remixed'] as const;
export type ModalAction = (typeof MODAL_ACTIONS)[number];

export const CUSTOM_ID_ACTIONS = [...BUTTON_ACTIONS, ...MODAL_ACTIONS] as const;
export type CustomIdAction = ButtonAction | ModalAction;

export interface CustomId {
  action: CustomIdAction;
  args: string[];
}

const MAX_LENGTH = 100;

export function encodeCustomId(action: CustomIdAction, ...args: (string | number)[]): string {
  const parts = [action, ...args.map(String)];
  if (parts.some((part) => part.includes(':'))) throw new Error('custom id parts must not contain ":"');
  const id = parts.join(':');
  if (id.length > MAX_LENGTH) throw new Error(`custom id longer than ${MAX_LENGTH} characters`);
  return id;
}

/** Parses an id from Discord (untrusted); undefined when it is not one of ours. */
export function parseCustomId(raw: string): CustomId | undefined {
  if (raw.length === 0 || raw.length > MAX_LENGTH) return undefined;
  const [action, ...args] = raw.split(':');
  if (action === undefined || !(CUSTOM_ID_ACTIONS as readonly string[]).includes(action)) return undefined;
  return { action: action as CustomIdAction, args };
}
