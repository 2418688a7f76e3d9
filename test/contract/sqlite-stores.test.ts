import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileImageStore } from '../../src/jobs/image-store.js';
import { createSqliteJobStore } from '../../src/jobs/job-store.js';
import { createSqliteUsageStore } from '../../src/policy/usage-store.js';
import { type Db, openDatabase } from '../../src/store/database.js';
import { createSqliteSettingsStore } from '../../src/store/settings-store.js';
import { defineImageStoreContract } from './image-store.contract.js';
import { defineSettingsStoreContract } from './settings-store.contract.js';
import { IMG2IMG_PARAMS, type SharedStore } from './stores-kit.js';
import { defineUsageStoreContract } from './usage-store.contract.js';

/** A temporary database file and image folder; each `open` is another connection to the file. */
async function sqliteStore(): Promise<SharedStore> {
  const dir = mkdtempSync(join(tmpdir(), 'stores-'));
  const path = join(dir, 'bot.db');
  const imageDir = join(dir, 'images');
  const admin = openDatabase(path);
  const jobs = createSqliteJobStore(admin);
  return {
    async open() {
      const db: Db = openDatabase(path);
      return {
        settings: createSqliteSettingsStore(db),
        usage: createSqliteUsageStore(db),
        images: createFileImageStore(db, imageDir),
        async close() {
          if (db.open) db.close();
        },
      };
    },
    async addFinishedJob(finishedAt) {
      const job = jobs.create(
        {
          kind: 'img2img',
          userId: 'u',
          guildId: 'g',
          channelId: 'c',
          applicationId: 'a',
          interactionToken: 't',
          tokenExpiresAt: 1_000,
          params: IMG2IMG_PARAMS,
          parentId: null,
        },
        1,
      );
      jobs.update(job.id, { state: 'succeeded', finishedAt });
      return job.id;
    },
    async initImageOf(jobId) {
      return jobs.get(jobId)?.params.initImage;
    },
    files: () => readdirSync(imageDir).sort(),
    async dispose() {
      admin.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

defineSettingsStoreContract('SQLite', sqliteStore);
defineUsageStoreContract('SQLite', sqliteStore);
defineImageStoreContract('SQLite', sqliteStore);
