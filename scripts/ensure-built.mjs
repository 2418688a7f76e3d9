#!/usr/bin/env node
/**
 * Builds dist/ only when the sources changed: `npm start` and `npm run doctor` run this first, so a
 * start costs a few milliseconds instead of a full `tsc`, and `git pull && npm ci && npm start` still
 * picks up every change.
 *
 * The build is `tsc` (dist/src, dist/commands: what the doctor runs), then esbuild bundles the bot's
 * entry with its dependencies into dist/bot/ (what `npm start`, the systemd units and the Dockerfile
 * start). One file instead of about 1,200 modules to find, read and compile halves the start-up
 * (README, Performance). Names are kept, so stack traces stay readable; dist/bot/*.map leads back
 * to the TypeScript for `node --enable-source-maps`.
 *
 * The fingerprint is the path, size and mtime of every file under src/ and commands/, plus
 * package.json, package-lock.json, the tsconfig files and this script; the build writes it to
 * dist/.build-stamp.
 *
 *   node scripts/ensure-built.mjs            build when the stamp differs (npm start, npm run doctor)
 *   node scripts/ensure-built.mjs --force    always build (npm run build)
 *   node scripts/ensure-built.mjs --prepare  the `prepare` step of `npm ci`: skips quietly where there
 *                                            is nothing to build with (no src/ yet, as in the Docker
 *                                            dependency layer, or no TypeScript after --omit=dev), and
 *                                            never fails the install (a failed build is retried, and
 *                                            reported, by the next `npm start`)
 *
 * SDBOT_ROOT overrides the project folder (the tests build a small project of their own).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = process.env.SDBOT_ROOT ?? fileURLToPath(new URL('..', import.meta.url));
const SOURCE_DIRS = ['src', 'commands'];
/** This script is one of them: how the bundle is made changes what it is. */
const SOURCE_FILES = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'scripts/ensure-built.mjs',
];
const OUT_DIR = join(ROOT, 'dist');
const STAMP = join(OUT_DIR, '.build-stamp');
const ENTRY = join(OUT_DIR, 'src', 'index.js');
const BUNDLE_DIR = join(OUT_DIR, 'bot');
/** The bundle `npm start` runs (see scripts/start.mjs). */
export const BUNDLE = join(BUNDLE_DIR, 'index.js');
/**
 * Left out of the bundle and loaded from node_modules at run time: native addons (better-sqlite3,
 * sharp), pino (it starts its transports in worker threads from files in its own folder), and the
 * optional native helpers that their users try to load and do without (never installed here).
 */
const EXTERNAL = [
  'better-sqlite3',
  'sharp',
  'pino',
  'pino-pretty',
  'pg-native',
  'zlib-sync',
  'bufferutil',
  'utf-8-validate',
];
/** The bundle's CommonJS dependencies `require` the externals above and Node's built-ins. */
const REQUIRE_BANNER =
  "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);";

const say = (line) => process.stderr.write(`${line}\n`);

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** sha256 over "path size mtime" of every source file, in a stable order. */
function fingerprint() {
  const files = [
    ...SOURCE_DIRS.flatMap((dir) => listFiles(join(ROOT, dir))),
    ...SOURCE_FILES.map((file) => join(ROOT, file)).filter((file) => existsSync(file)),
  ].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    const stat = statSync(file);
    hash.update(`${relative(ROOT, file)}\0${stat.size}\0${Math.trunc(stat.mtimeMs)}\n`);
  }
  return hash.digest('hex');
}

function readStamp() {
  try {
    return readFileSync(STAMP, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** TypeScript and esbuild (devDependencies), or `undefined` when either is not installed. */
function findTools() {
  const require = createRequire(join(ROOT, 'package.json'));
  try {
    return { tsc: require.resolve('typescript/bin/tsc'), esbuild: require('esbuild') };
  } catch {
    return undefined;
  }
}

/** tsc with tsconfig.build.json, then the bundle; writes the stamp of the sources it started from on success. */
function build(tools) {
  const before = fingerprint();
  const result = spawnSync(process.execPath, [tools.tsc, '-p', join(ROOT, 'tsconfig.build.json')], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0 || !existsSync(ENTRY)) return false;
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  try {
    tools.esbuild.buildSync({
      entryPoints: [ENTRY],
      outdir: BUNDLE_DIR,
      bundle: true,
      // Lazy imports (PostgreSQL, ComfyUI) stay lazy: chunks of their own, loaded when first needed.
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      external: EXTERNAL,
      banner: { js: REQUIRE_BANNER },
      // Less text to parse and keep in memory; identifiers are not renamed (readable stack traces).
      minifyWhitespace: true,
      minifySyntax: true,
      sourcemap: true,
      logLevel: 'error',
    });
  } catch {
    // esbuild has printed its errors.
    return false;
  }
  writeFileSync(STAMP, `${before}\n`);
  return true;
}

/**
 * Nothing to build: dist/ is there and matches the sources (or there are no sources, only dist/).
 * What `npm start` asks before starting the bundle in its own process; anything else goes to the
 * command line below, in a process of its own.
 */
export function upToDate() {
  if (!isBuilt()) return false;
  return !existsSync(join(ROOT, 'src')) || readStamp() === fingerprint();
}

/** Both outputs are there: tsc's (what the doctor runs) and the bundle. */
function isBuilt() {
  return existsSync(ENTRY) && existsSync(BUNDLE);
}

function main() {
  const args = new Set(process.argv.slice(2));
  const prepare = args.has('--prepare');
  const force = args.has('--force');
  const built = isBuilt();
  if (!existsSync(join(ROOT, 'src'))) {
    // The Docker dependency layer (no sources yet), or an image that ships dist/ alone.
    if (prepare || built) return 0;
    say(`ensure-built: neither src/ nor a build in ${ROOT}`);
    return 1;
  }
  if (!force && upToDate()) return 0;
  const tools = findTools();
  if (tools === undefined) {
    if (prepare) return 0;
    if (built && !force) {
      say(
        'ensure-built: the sources changed, but TypeScript or esbuild is not installed (npm ci --omit=dev?);',
      );
      say('ensure-built: starting the existing build in dist/. Run `npm ci` to rebuild.');
      return 0;
    }
    say('ensure-built: dist/ needs a build, but TypeScript or esbuild is not installed: run `npm ci` first.');
    return 1;
  }
  say(built ? 'ensure-built: the sources changed; building dist/ …' : 'ensure-built: building dist/ …');
  if (build(tools)) return 0;
  if (prepare) {
    say('ensure-built: the build failed; `npm start` will try again and stop on the errors above.');
    return 0;
  }
  say('ensure-built: the build failed (errors above).');
  return 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main();
}
