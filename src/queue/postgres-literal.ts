import pg from 'pg';

/**
 * One value as an SQL literal, for the steps that send several statements in one message (a
 * claim, an enqueue), where no parameter can go: strings escaped as the pg library does, numbers
 * only as whole numbers.
 */
export function literal(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return pg.escapeLiteral(value);
  if (!Number.isSafeInteger(value)) throw new Error(`not a whole number for the queue: ${value}`);
  return String(value);
}
