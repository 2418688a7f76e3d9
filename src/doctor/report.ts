/** One line of the doctor's report: a verdict, what was found and, for a failure or warning, the fix. */
export interface CheckLine {
  status: 'pass' | 'warn' | 'fail' | 'info';
  text: string;
  fix?: string;
}

const SYMBOLS: Record<CheckLine['status'], string> = { pass: '✓', warn: '!', fail: '✗', info: '·' };

export const pass = (text: string): CheckLine => ({ status: 'pass', text });
export const info = (text: string): CheckLine => ({ status: 'info', text });
export const warn = (text: string, fix: string): CheckLine => ({ status: 'warn', text, fix });
export const fail = (text: string, fix: string): CheckLine => ({ status: 'fail', text, fix });

/** `✗ what was found → what to do`, on one line. */
export function renderCheckLine(line: CheckLine): string {
  const fix = line.fix === undefined ? '' : ` → ${line.fix}`;
  return `${SYMBOLS[line.status]} ${line.text}${fix}`;
}

/** The closing line: how many failures and warnings, and what exit code follows. */
export function renderSummary(lines: readonly CheckLine[]): string {
  const failures = lines.filter((line) => line.status === 'fail').length;
  const warnings = lines.filter((line) => line.status === 'warn').length;
  const warned = warnings === 0 ? '' : ` (${warnings} warning${warnings === 1 ? '' : 's'})`;
  if (failures === 0) return `All checks passed${warned}. Start the bot with: npm start`;
  return `${failures} check${failures === 1 ? '' : 's'} failed${warned}: fix the ✗ lines above, then run npm run doctor again.`;
}
