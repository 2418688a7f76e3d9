import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = join(ROOT, 'scripts', 'ensure-built.mjs');
const START = join(ROOT, 'scripts', 'start.mjs');

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A tiny project shaped like ours: src/index.ts, the two tsconfig files, and (optionally) TypeScript. */
function project(options: { typescript: boolean; source?: boolean }): string {
  dir = mkdtempSync(join(tmpdir(), 'sdbot-ensure-built-'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'NodeNext', target: 'ES2022', outDir: 'dist', rootDir: '.', types: [] },
    }),
  );
  writeFileSync(
    join(dir, 'tsconfig.build.json'),
    JSON.stringify({ extends: './tsconfig.json', include: ['src'] }),
  );
  if (options.source !== false) {
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'index.ts'), source('one'));
  }
  if (options.typescript) symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function run(root: string, ...args: string[]): { code: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], {
    env: { ...process.env, SDBOT_ROOT: root },
    encoding: 'utf8',
  });
  return { code: result.status, stderr: result.stderr };
}

/** `npm start`: scripts/start.mjs on the project. */
function start(root: string): { code: number | null; pid: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [START], {
    env: { ...process.env, SDBOT_ROOT: root },
    encoding: 'utf8',
  });
  return { code: result.status, pid: result.pid, stdout: result.stdout, stderr: result.stderr };
}

/** An entry like the bot's: `main` runs it, and it tells which process it runs in. */
const startable = (version: string) =>
  `export async function main(): Promise<void> {\n  console.log('${version}', (globalThis as any).process.pid);\n}\n`;

/** The entry: exports its version (tsc's output is read) and prints it (the bundle is run). */
const source = (version: string) => `export const version: string = '${version}';\nconsole.log(version);\n`;
const built = (root: string) => join(root, 'dist', 'src', 'index.js');
/** What the bundle in dist/bot/ prints when run, as `npm start` runs it. */
const runBundle = (root: string) =>
  spawnSync(process.execPath, [join(root, 'dist', 'bot', 'index.js')], { encoding: 'utf8' }).stdout;

describe('ensure-built', () => {
  it('builds once, skips the build while nothing changed, and rebuilds when a source changes', () => {
    const root = project({ typescript: true });

    const first = run(root);
    expect(first.code, first.stderr).toBe(0);
    expect(readFileSync(built(root), 'utf8')).toContain("'one'");
    expect(runBundle(root)).toBe('one\n');
    const builtAt = statSync(built(root)).mtimeMs;

    const second = run(root);
    expect(second).toEqual({ code: 0, stderr: '' });
    expect(statSync(built(root)).mtimeMs).toBe(builtAt);

    writeFileSync(join(root, 'src', 'index.ts'), source('two'));
    // As after `git pull`: a new mtime (set explicitly, so the test does not depend on timer resolution).
    utimesSync(join(root, 'src', 'index.ts'), new Date(), new Date(Date.now() + 5000));
    const third = run(root);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toContain('the sources changed');
    expect(readFileSync(built(root), 'utf8')).toContain("'two'");
    expect(runBundle(root)).toBe('two\n');
  }, 60_000);

  it('rebuilds when the build script itself changed (how the bundle is made)', () => {
    const root = project({ typescript: true });
    mkdirSync(join(root, 'scripts'));
    writeFileSync(join(root, 'scripts', 'ensure-built.mjs'), '// the build, as it was\n');
    expect(run(root).code).toBe(0);
    expect(run(root)).toEqual({ code: 0, stderr: '' });
    writeFileSync(join(root, 'scripts', 'ensure-built.mjs'), '// the build, changed by a pull\n');
    utimesSync(join(root, 'scripts', 'ensure-built.mjs'), new Date(), new Date(Date.now() + 5000));
    const after = run(root);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).toContain('the sources changed');
  }, 60_000);

  it('stops with the errors when the build fails, and leaves no stamp to skip it next time', () => {
    const root = project({ typescript: true });
    writeFileSync(join(root, 'src', 'index.ts'), "export const version: number = 'not a number';\n");

    expect(run(root).code).toBe(1);
    expect(run(root).stderr).toContain('the build failed');
  }, 60_000);

  it('npm start builds what changed in a child, then runs the bundle in its own process', () => {
    const root = project({ typescript: true });
    writeFileSync(join(root, 'src', 'index.ts'), startable('one'));

    const first = start(root);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('building dist/');
    const [version, pid] = first.stdout.trim().split(' ');
    expect(version).toBe('one');
    const second = start(root);
    expect(second.stderr).toBe('');
    expect(second.stdout.trim().split(' ')[0]).toBe('one');

    writeFileSync(join(root, 'src', 'index.ts'), startable('two'));
    utimesSync(join(root, 'src', 'index.ts'), new Date(), new Date(Date.now() + 5000));
    const third = start(root);
    expect(third.stderr).toContain('the sources changed');
    expect(third.stdout.trim().split(' ')[0]).toBe('two');
    // `main` ran in the process npm started, not in the build's child or another node.
    expect(Number(pid)).toBe(first.pid);
  }, 60_000);

  it('npm start stops with the build errors and runs nothing', () => {
    const root = project({ typescript: true });
    writeFileSync(join(root, 'src', 'index.ts'), `${startable('started')}export const n: number = 'x';\n`);

    const result = start(root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the build failed');
    expect(result.stdout).toContain('error TS2322');
    expect(result.stdout).not.toContain('started');
  }, 60_000);

  it('lets npm ci finish where there is nothing to build with (no sources yet, or no TypeScript)', () => {
    expect(run(project({ typescript: true, source: false }), '--prepare')).toEqual({ code: 0, stderr: '' });
    const withoutTypescript = project({ typescript: false });
    expect(run(withoutTypescript, '--prepare')).toEqual({ code: 0, stderr: '' });
    expect(run(withoutTypescript).code).toBe(1);
  });
});
