/**
 * A second process for the SQLite queue's admission test: opens the database file, says `ready`,
 * waits for a line on stdin (so two such processes start at one instant), enqueues `count` jobs for
 * one member, and prints how many were admitted.
 * Usage: node --import tsx test/support/sqlite-enqueuer.ts <file> <member> <count> <cap>
 */
import { once } from 'node:events';
import { createSqliteJobQueue } from '../../src/queue/sqlite-queue.js';
import { openDatabase } from '../../src/store/database.js';
import { newJob } from '../contract/job-queue-kit.js';

const [path = '', userId = 'A', count = '10', cap = '3'] = process.argv.slice(2);
const db = openDatabase(path);
const queue = createSqliteJobQueue(db);
process.stdout.write('ready\n');
await once(process.stdin, 'data');
let admitted = 0;
for (let index = 0; index < Number(count); index++) {
  const result = await queue.enqueue(
    newJob(userId),
    { maxPendingPerUser: Number(cap), maxQueueLength: 1000 },
    index,
  );
  if (result.ok) admitted += 1;
}
db.close();
process.stdout.write(`${JSON.stringify({ admitted })}\n`);
process.stdin.destroy();
