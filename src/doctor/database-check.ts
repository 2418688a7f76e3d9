import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type CheckLine, fail, pass } from './report.js';

async function canWrite(path: string): Promise<boolean> {
  try {
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether the bot will be able to open DATABASE_PATH read-write (WAL mode also writes `-wal` and `-shm`
 * files next to it). Touches nothing: the bot creates the folder and file on first start.
 */
export async function checkDatabase(databasePath: string): Promise<CheckLine> {
  if (databasePath === ':memory:') return pass('Database: in memory (nothing is kept across restarts)');
  const file = resolve(databasePath);
  const folder = dirname(file);
  if (await exists(file)) {
    if (!(await canWrite(file)) || !(await canWrite(folder))) {
      return fail(
        `Database ${file} exists but is not writable by this user`,
        'give the bot user write access to the file and its folder (chown), or change DATABASE_PATH',
      );
    }
    return pass(`Database ${file} is writable`);
  }
  let ancestor = folder;
  while (!(await exists(ancestor))) {
    const parent = dirname(ancestor);
    if (parent === ancestor) break;
    ancestor = parent;
  }
  if (!(await canWrite(ancestor))) {
    return fail(
      `Database folder ${folder} cannot be created: ${ancestor} is not writable by this user`,
      'create the folder and give it to the bot user, or change DATABASE_PATH',
    );
  }
  return pass(`Database ${file} will be created on first start`);
}
