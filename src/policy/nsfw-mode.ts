/**
 * What happens to a request outside age-restricted channels: nothing (`off`), the SFW negative
 * prompt is added (`negative-prompt`), the images are posted as spoilers (`spoiler`), or `both`.
 */
export const NSFW_MODES = ['off', 'negative-prompt', 'spoiler', 'both'] as const;
export type NsfwMode = (typeof NSFW_MODES)[number];
