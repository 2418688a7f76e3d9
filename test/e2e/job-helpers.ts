import type { InteractionHandle } from '../fakes/discord/interaction-handle.js';
import type { FakeMessage } from '../fakes/discord/types.js';
import type { Harness } from './harness.js';

/** Members of the fake guild; alice is the fake's default sender. */
export const ALICE = { id: '1300000000000000200', username: 'alice' };
export const BOB = { id: '1300000000000000301', username: 'bob' };
export type Member = typeof ALICE;

export const WAIT_MS = 20_000;

export const hasImage = (message: FakeMessage) =>
  message.attachments.some(
    (attachment) => attachment.filename.endsWith('.png') && attachment.filename !== 'preview.png',
  );

export const describedAs = (message: FakeMessage) =>
  message.embeds.map((embed) => String((embed as { description?: unknown }).description ?? '')).join('\n');

/** The job id carried by the Cancel button of a queued or running reply. */
export function jobIdOf(message: FakeMessage): string | undefined {
  for (const row of message.components as { components?: { custom_id?: string }[] }[]) {
    for (const component of row.components ?? []) {
      if (component.custom_id?.startsWith('cancel:')) return component.custom_id.slice('cancel:'.length);
    }
  }
  return undefined;
}

export interface Submitted {
  member: Member;
  prompt: string;
  handle: InteractionHandle;
  jobId: string;
}

/** Sends `/imagine` as `member` and waits until the job is in line (its reply carries a Cancel button). */
export async function imagine(h: Harness, member: Member, prompt: string): Promise<Submitted> {
  return inLine(
    h.discord.sendCommand({ name: 'imagine', options: { prompt }, user: member }),
    member,
    prompt,
  );
}

/** Waits until an `/imagine` already sent is in line. */
export async function inLine(handle: InteractionHandle, member: Member, prompt: string): Promise<Submitted> {
  const queued = await handle.waitForEdit((message) => jobIdOf(message) !== undefined, WAIT_MS);
  return { member, prompt, handle, jobId: jobIdOf(queued) as string };
}

export async function until(condition: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface LogLine {
  msg?: string;
  level?: number;
  jobId?: string;
  state?: string;
  backend?: string;
}

export const logLines = (h: Harness, from = 0): LogLine[] =>
  h.logs.slice(from).map((line) => JSON.parse(line) as LogLine);

/** Job ids in the order the runner started them (every attempt), from log line `from` on. */
export const startOrder = (h: Harness, from = 0) =>
  logLines(h, from)
    .filter((line) => line.msg === 'job running')
    .map((line) => line.jobId as string);

/** Error-level lines the bot logged (every e2e test expects none). */
export const errorLines = (h: Harness | undefined) =>
  (h?.logs ?? []).filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
