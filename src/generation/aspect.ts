/** Aspect ratios offered by /imagine, as width:height. */
export const ASPECT_RATIOS = ['1:1', '3:2', '2:3', '4:3', '3:4', '16:9', '9:16'] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

export function isAspectRatio(value: string): value is AspectRatio {
  return (ASPECT_RATIOS as readonly string[]).includes(value);
}

const MAX_SIDE = 2048;
const floorTo8 = (value: number) => Math.max(64, Math.floor(value / 8) * 8);

/**
 * The size for an aspect ratio with about `area` pixels, both sides multiples of 8,
 * never more than `maxPixels`.
 */
export function toSizeForAspect(
  aspect: AspectRatio,
  area: number,
  maxPixels: number,
): { width: number; height: number } {
  const [a, b] = aspect.split(':').map(Number) as [number, number];
  const target = Math.min(area, maxPixels);
  // Neither side may pass 2048 (the most /imagine accepts), whatever the area.
  const shrink = Math.min(1, MAX_SIDE / Math.sqrt((target * Math.max(a, b)) / Math.min(a, b)));
  let width = floorTo8(Math.sqrt((target * a) / b) * shrink);
  let height = floorTo8(Math.sqrt((target * b) / a) * shrink);
  while (width * height > maxPixels && width > 64 && height > 64) {
    if (width >= height) width -= 8;
    else height -= 8;
  }
  return { width, height };
}
