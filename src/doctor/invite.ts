import { PermissionFlagsBits } from 'discord.js';

/** What the bot does in a channel: read it, post replies with embeds and images, use emoji from elsewhere. */
export const BOT_PERMISSIONS: bigint =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseExternalEmojis;

/** The OAuth2 link that adds the bot (with its slash commands) to a server, preselecting `guildId` if given. */
export function toInviteUrl(applicationId: string, guildId?: string): string {
  const guild = guildId === undefined ? '' : `&guild_id=${guildId}&disable_guild_select=true`;
  return `https://discord.com/oauth2/authorize?client_id=${applicationId}&scope=bot+applications.commands&permissions=${BOT_PERMISSIONS}${guild}`;
}
