import { fairOrder } from '../jobs/scheduling.js';
import type { Db } from '../store/database.js';
import { FAIR_LINE_IDS_SQL } from './fair-line.js';
import type { QueueJob } from './job-queue.js';
import { createLineCache } from './line-cache.js';
import { type JobRow, toQueueJob } from './rows.js';

/**
 * Counts, per connection, every change the fair line depends on: a job entering, leaving or
 * changing while queued, a job starting or ending (a member's running count), and `served`. A
 * running job's lease, cancel flag or server reference changes nothing in it. TEMP objects are
 * this connection's own (they go when it closes), so another connection's writes do not count
 * here: `data_version` tells those.
 */
const COUNT_LINE_CHANGES = `
  CREATE TEMP TABLE IF NOT EXISTS sdbot_line_changes (n INTEGER NOT NULL);
  INSERT INTO sdbot_line_changes (n) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM sdbot_line_changes);
  CREATE TEMP TRIGGER IF NOT EXISTS sdbot_line_job_insert AFTER INSERT ON main.jobs
    WHEN NEW.state IN ('queued', 'running')
    BEGIN UPDATE sdbot_line_changes SET n = n + 1; END;
  CREATE TEMP TRIGGER IF NOT EXISTS sdbot_line_job_update AFTER UPDATE ON main.jobs
    WHEN OLD.state = 'queued' OR NEW.state = 'queued' OR OLD.user_id IS NOT NEW.user_id
      OR (OLD.state IS NOT NEW.state AND 'running' IN (OLD.state, NEW.state))
    BEGIN UPDATE sdbot_line_changes SET n = n + 1; END;
  CREATE TEMP TRIGGER IF NOT EXISTS sdbot_line_job_delete AFTER DELETE ON main.jobs
    WHEN OLD.state IN ('queued', 'running')
    BEGIN UPDATE sdbot_line_changes SET n = n + 1; END;
  CREATE TEMP TRIGGER IF NOT EXISTS sdbot_line_served_insert AFTER INSERT ON main.served
    BEGIN UPDATE sdbot_line_changes SET n = n + 1; END;
  CREATE TEMP TRIGGER IF NOT EXISTS sdbot_line_served_update AFTER UPDATE ON main.served
    BEGIN UPDATE sdbot_line_changes SET n = n + 1; END;
  CREATE TEMP TRIGGER IF NOT EXISTS sdbot_line_served_delete AFTER DELETE ON main.served
    BEGIN UPDATE sdbot_line_changes SET n = n + 1; END;`;

/** What one of the queue's own steps did to the line, told to the kept copy. */
export interface LineEdit {
  /** A job was enqueued. */
  add(job: QueueJob): void;
  /** A queued job left it without starting (cancelled). */
  remove(jobId: string): void;
  /** A queued job started: its member has one more running and was served at `stamp`. */
  start(job: QueueJob, stamp: number): void;
  /** A job left `running` (ended, or back in line when it is `queued` now): one fewer running. */
  leave(job: QueueJob): void;
}

export interface SqliteLine {
  /** The queued jobs in fair order: the kept copy, or read anew when anything else changed them. */
  current(): readonly QueueJob[];
  /**
   * Runs one of the queue's own steps, then tells the kept copy what it did. When something else
   * changed the line before the step, or another connection wrote during it, the copy is dropped
   * instead and the next `current()` reads the line.
   */
  step<T>(run: () => T, edit: (result: T, line: LineEdit) => void): T;
}

/**
 * The fair line of a SQLite queue, kept in this process between its reads. The line is asked for
 * on every enqueue, claim and change; read from the file, 200 waiting jobs cost about 1 ms of SQL
 * each time on a small machine, so a burst of commands cost time quadratic in its size. The queue's
 * own steps now edit the kept copy (its order from `fairOrder`, the same order FAIR_LINE_IDS_SQL
 * reads); any other change, from this connection (counted by the triggers above) or another
 * (`data_version`), makes the next look read it from the file again. `fetch` reads one job's row
 * (the queue's own by-id statement).
 */
export function createSqliteLine(db: Db, fetch: (id: string) => JobRow | undefined): SqliteLine {
  db.exec(COUNT_LINE_CHANGES);
  const statements = {
    version: db
      .prepare<[], [number, number]>(
        'SELECT (SELECT data_version FROM pragma_data_version), (SELECT n FROM sdbot_line_changes)',
      )
      .raw(),
    lineIds: db.prepare<[], { id: string; stamp: string }>(FAIR_LINE_IDS_SQL),
    busy: db.prepare<[], { user_id: string; n: number }>(
      "SELECT user_id, COUNT(*) AS n FROM jobs WHERE state = 'running' GROUP BY user_id",
    ),
    served: db.prepare<[], { user_id: string; stamp: number }>('SELECT user_id, stamp FROM served'),
  };
  const cache = createLineCache();
  /** The kept copy and the version it was right at; none until the first read. */
  let kept:
    | {
        at: [number, number];
        queued: Map<string, QueueJob>;
        running: Map<string, number>;
        served: Map<string, number>;
        order: QueueJob[] | undefined;
      }
    | undefined;
  /** `data_version` (other connections' commits) and this connection's count of line changes. */
  const version = () => statements.version.get() as [number, number];
  const same = (a: readonly [number, number], b: readonly [number, number]) => a[0] === b[0] && a[1] === b[1];

  /** One consistent read of the line, the running counts and the served stamps. */
  const read = db.transaction(() => {
    const at = version();
    const entries = statements.lineIds.all();
    const fresh = new Map(cache.stale(entries).map((id) => [id, toQueueJob(fetch(id) as JobRow)] as const));
    const order = [...cache.line(entries, fresh)];
    kept = {
      at,
      queued: new Map(order.map((job) => [job.id, job])),
      running: new Map(statements.busy.all().map((row) => [row.user_id, row.n])),
      served: new Map(statements.served.all().map((row) => [row.user_id, row.stamp])),
      order,
    };
  });

  const edits = (line: NonNullable<typeof kept>): LineEdit => ({
    add: (job) => line.queued.set(job.id, job),
    remove: (jobId) => line.queued.delete(jobId),
    start(job, stamp) {
      line.queued.delete(job.id);
      line.running.set(job.userId, (line.running.get(job.userId) ?? 0) + 1);
      line.served.set(job.userId, stamp);
    },
    leave(job) {
      const left = (line.running.get(job.userId) ?? 0) - 1;
      if (left > 0) line.running.set(job.userId, left);
      else line.running.delete(job.userId);
      if (job.state === 'queued') line.queued.set(job.id, job);
    },
  });

  return {
    current() {
      if (kept === undefined || !same(kept.at, version())) read();
      const line = kept as NonNullable<typeof kept>;
      line.order ??= fairOrder([...line.queued.values()], line.running, line.served);
      return line.order;
    },
    step(run, edit) {
      const before = version();
      const line = kept !== undefined && same(kept.at, before) ? kept : undefined;
      const result = run();
      const after = version();
      // The same data_version: no other connection wrote, so every change counted since is this step's.
      if (line === undefined || after[0] !== before[0]) {
        kept = undefined;
        return result;
      }
      edit(result, edits(line));
      line.at = after;
      line.order = undefined;
      return result;
    },
  };
}
