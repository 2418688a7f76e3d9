/**
 * Cooperative pacing for bursts. When 200 commands arrive in one gateway read, their handlers would
 * otherwise all run in one turn of the event loop (validation, SQLite writes, REST calls), holding up
 * timers and I/O for tens of milliseconds. Work that awaits `next()` is let through in slices of
 * about `budgetMs` per turn, in arrival order; alone, it goes on in the next check phase. Urgent
 * work (what comes before Discord's 3-second acknowledgement) goes before the rest.
 */
export interface Turns {
  next(urgent?: boolean): Promise<void>;
}

export const TURN_BUDGET_MS = 4;

export function createTurns(budgetMs = TURN_BUDGET_MS, clock: () => number = () => performance.now()): Turns {
  const urgent: (() => void)[] = [];
  const normal: (() => void)[] = [];
  let draining = false;
  const drain = async () => {
    const started = clock();
    while (urgent.length + normal.length > 0 && clock() - started < budgetMs) {
      (urgent.shift() ?? normal.shift())?.();
      // The released task's continuation was queued first: it runs (up to its next await) before
      // this loop reads the clock again.
      await Promise.resolve();
    }
    if (urgent.length + normal.length > 0) setImmediate(() => void drain());
    else draining = false;
  };
  return {
    next(isUrgent = false) {
      return new Promise<void>((resolve) => {
        (isUrgent ? urgent : normal).push(resolve);
        if (!draining) {
          draining = true;
          setImmediate(() => void drain());
        }
      });
    },
  };
}
