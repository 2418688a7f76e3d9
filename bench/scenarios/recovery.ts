/**
 * A worker SIGKILLed mid-job (issue 19): how long until its job reaches a backend again through
 * another process, and until the member has it. A gateway-only front (BOT_ROLE=gateway), worker 1
 * on backend B and worker 2 on backend A: the job B receives is worker 1's, killed; worker 2 takes
 * it after the lease runs out (every process sweeps for stalled leases every third of a lease).
 */
import type { RecordedRequest } from '../../test/fakes/webui/server.js';
import type { BotEntry } from '../bot-process.js';
import type { BenchParams } from '../params.js';
import type { BenchPostgres } from '../postgres.js';
import { round } from '../stats.js';
import { type BenchContext, imagine, isResultFile, startWorld, waitForOutcome } from '../world.js';

export interface RecoveryFigures {
  /** JOB_LEASE_SECONDS of every process. */
  leaseSeconds: number;
  generationMs: number;
  /** From the job's request reaching the worker's backend to the SIGKILL, ms. */
  killedIntoJobMs: number;
  /** From the SIGKILL to the job's txt2img request reaching a backend again (worker 2's), ms. */
  reclaimMs: number;
  /** From the SIGKILL to the member's reply carrying the image, ms. */
  deliveredMs: number;
  /** Replies of the job that carried result files: 1 when delivered once. */
  deliveries: number;
  /** What the member's reply said first after the kill (its embed text, cut at 120 characters). */
  firstStatusAfterKill: string | null;
  /** The other job (on worker 2's backend all along) delivered too. */
  otherDelivered: boolean;
  /** Warn-level lines of the processes in this scenario (a killed worker is a fault; kept apart). */
  warnings: string[];
}

const stamp = () => performance.timeOrigin + performance.now();
const promptOf = (request: RecordedRequest) => String((request.body as { prompt?: unknown }).prompt ?? '');
const txt2img = (requests: readonly RecordedRequest[]) =>
  requests.filter((request) => request.path === '/sdapi/v1/txt2img');

async function until<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let found = find(); ; found = find()) {
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

// One sequence in order (send, find, kill, wait twice); split, it would only pass its state around.
export async function measureRecovery(
  entry: BotEntry,
  postgres: BenchPostgres,
  params: BenchParams['processes']['recovery'],
): Promise<RecoveryFigures> {
  const context: BenchContext = { entry, warnings: [] };
  const database = await postgres.database();
  const backend = { generationMs: params.generationMs, fixedServiceTime: true };
  try {
    const world = await startWorld({
      context,
      webuis: [backend, backend],
      env: {
        DATABASE_URL: database.url,
        BOT_ROLE: 'gateway',
        WORKER_ID: 'front',
        JOB_LEASE_SECONDS: String(params.leaseSeconds),
      },
      frontBackends: [0],
      workers: [{ backends: [1] }, { backends: [0] }],
    });
    try {
      const [backendA, backendB] = world.webuis;
      // Worker 1, on backend B.
      const [worker] = world.workers;
      if (backendA === undefined || backendB === undefined || worker === undefined)
        throw new Error('unreachable');
      const prompts = ['a lantern 0', 'a lantern 1'];
      const handles = prompts.map((prompt, i) =>
        imagine(world, i, { prompt, width: params.size, height: params.size }),
      );
      const onWorker = await until(() => txt2img(backendB.requests)[0], 'a job on the worker', 30_000);
      const index = prompts.findIndex((prompt) => promptOf(onWorker).includes(prompt));
      const victim = handles[index];
      const other = handles[1 - index];
      if (victim === undefined || other === undefined)
        throw new Error('bench: an unknown prompt on the worker');
      // Mid-job: a quarter of the generation time in.
      await new Promise((resolve) => setTimeout(resolve, params.generationMs / 4));
      const seen = victim.events.length;
      const killedAt = stamp();
      await worker.kill();
      const waitMs = params.leaseSeconds * 3000 + 30_000;
      const again = await until(
        () => txt2img(backendA.requests).find((request) => promptOf(request) === promptOf(onWorker)),
        'the job on a backend again',
        waitMs,
      );
      const outcome = await waitForOutcome(victim, waitMs);
      const deliveredAt = stamp();
      const otherOutcome = await waitForOutcome(other).catch(() => ({ ok: false }));
      const firstEdit = victim.events
        .slice(seen)
        .find((event) => event.kind === 'edit' && event.target === 'original');
      const status =
        firstEdit?.kind === 'edit'
          ? firstEdit.message.embeds.map((embed) => String(embed.description ?? '')).join(' ')
          : null;
      return {
        leaseSeconds: params.leaseSeconds,
        generationMs: params.generationMs,
        killedIntoJobMs: round(killedAt - onWorker.receivedAt),
        reclaimMs: round(again.receivedAt - killedAt),
        deliveredMs: outcome.ok ? round(deliveredAt - killedAt) : Number.NaN,
        deliveries: victim.events.filter(
          (event) =>
            (event.kind === 'edit' || event.kind === 'followup') &&
            event.files.some((file) => isResultFile(file.filename)),
        ).length,
        firstStatusAfterKill: status?.slice(0, 120) ?? null,
        otherDelivered: otherOutcome.ok,
        // Filled by world.close() below (the same array).
        warnings: context.warnings,
      };
    } finally {
      await world.close();
    }
  } finally {
    await database.drop();
  }
}
