import { REST } from 'discord.js';

/**
 * discord.js caps all its REST traffic at 50 requests per second (Discord's global limit), but
 * Discord exempts interaction endpoints from that limit: edits of a reply through the interaction
 * token (`/webhooks/{app}/{token}/…`) are limited per token only. Counting them against the cap made
 * a busy queue's position edits hold up finished results for up to a second. This client carries
 * only those edits; its per-route buckets and 429 handling are discord.js's own.
 */
export const INTERACTION_REQUESTS_PER_SECOND = 10_000;

export function createInteractionRest(apiUrl: string): REST {
  return new REST({ api: apiUrl, globalRequestsPerSecond: INTERACTION_REQUESTS_PER_SECOND });
}
