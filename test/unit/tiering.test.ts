import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

/** Whether a function called once runs as baseline code, with and without `compileOnFirstCall`. */
function probe(mode: 'on' | 'off'): string {
  return execFileSync(
    process.execPath,
    ['--allow-natives-syntax', '--import', TSX_LOADER, join(ROOT, 'test/support/tier-probe.ts'), mode],
    { cwd: ROOT, encoding: 'utf8' },
  ).trim();
}

describe('tiering', () => {
  it('compiles a function to baseline code at its first call once set, and not before', () => {
    expect(probe('off')).toBe('false');
    expect(probe('on')).toBe('true');
  });
});
