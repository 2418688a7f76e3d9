/** New space (both semi-spaces) at most 16 MiB: semi-spaces of 8 MiB instead of V8's 16. */
export const NEW_SPACE_CAP_BYTES = 16 * 2 ** 20;

/** Whether V8's young generation may grow: only while it is below the cap. */
export function toYoungGrowth(newSpaceBytes: number, capBytes = NEW_SPACE_CAP_BYTES): boolean {
  return newSpaceBytes < capBytes;
}

/** The V8 flag that lets the young generation grow (V8's default factor) or holds it where it is. */
export function toGrowthFlag(grow: boolean): string {
  return `--semi-space-growth-factor=${grow ? 2 : 1}`;
}
