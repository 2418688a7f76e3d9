import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const MIB = 2 ** 20;

/** The young generation's size after a burst, then after a second burst (see the probe). */
function probe(mode: 'held' | 'default'): { during: number; after: number } {
  const out = execFileSync(
    process.execPath,
    ['--import', TSX_LOADER, join(ROOT, 'test/support/young-generation-probe.ts'), mode],
    { cwd: ROOT, encoding: 'utf8' },
  );
  const [during, after] = out.trim().split(' ').map(Number);
  return { during: during ?? Number.NaN, after: after ?? Number.NaN };
}

describe('start-up heap', () => {
  it('keeps the young generation small through start-up and lets it grow once released', () => {
    const held = probe('held');
    const unheld = probe('default');
    // V8 left alone grows it to its 32 MiB under such a burst; held, it stays at a few MiB.
    expect(unheld.during).toBeGreaterThanOrEqual(16 * MIB);
    expect(held.during).toBeLessThanOrEqual(8 * MIB);
    expect(held.after).toBeGreaterThanOrEqual(16 * MIB);
  });
});
