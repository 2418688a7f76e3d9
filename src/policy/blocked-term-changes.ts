import { msg } from '../i18n/translate.js';
import { parseBlockedTerm } from './blocked-terms.js';
import type { Change } from './change.js';
import { type GuildPolicy, MAX_BLOCKED_TERMS } from './policy.js';

/** `/settings blocked-words add|remove`: the server's list of blocked words and /patterns/. */
export function addBlockedTerm(current: GuildPolicy, input: string): Change<GuildPolicy> {
  const parsed = parseBlockedTerm(input);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const text = parsed.term.text;
  if (current.blockedTerms.some((term) => sameTerm(term, text))) {
    return { ok: false, problems: [msg('refusals.blocked.already')] };
  }
  if (current.blockedTerms.length >= MAX_BLOCKED_TERMS) {
    return { ok: false, problems: [msg('refusals.blocked.full', { max: MAX_BLOCKED_TERMS })] };
  }
  const count = current.blockedTerms.length + 1;
  return {
    ok: true,
    value: { ...current, blockedTerms: [...current.blockedTerms, text] },
    summary: [
      parsed.term.kind === 'pattern'
        ? msg('refusals.blocked.patternAdded', { count })
        : msg('refusals.blocked.termAdded', { count }),
    ],
  };
}

export function removeBlockedTerm(current: GuildPolicy, input: string): Change<GuildPolicy> {
  const parsed = parseBlockedTerm(input);
  const text = parsed.ok ? parsed.term.text : input.trim();
  const remaining = current.blockedTerms.filter((term) => !sameTerm(term, text));
  if (remaining.length === current.blockedTerms.length) {
    return { ok: false, problems: [msg('refusals.blocked.notListed')] };
  }
  return {
    ok: true,
    value: { ...current, blockedTerms: remaining },
    summary: [msg('refusals.blocked.removed', { count: remaining.length })],
  };
}

const sameTerm = (a: string, b: string) =>
  a.startsWith('/') ? a === b : a.toLowerCase() === b.toLowerCase();
