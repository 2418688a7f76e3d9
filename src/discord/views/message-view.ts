import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord.js';

/** A message as plain data: what we send to Discord, whichever route carries it. */
export interface MessageView {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  files: { name: string; data: Buffer; description?: string }[];
}

/** The embed colours: working (blurple), done (green), failed (red), waiting or gone (grey). */
export const COLOR_WORKING = 0x5865f2;
export const COLOR_DONE = 0x57f287;
export const COLOR_FAILED = 0xed4245;
export const COLOR_MUTED = 0x99aab5;
