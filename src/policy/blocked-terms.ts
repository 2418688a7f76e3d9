import { cleanText } from '../generation/request.js';
import { MAX_BLOCKED_TERM_LENGTH } from './policy.js';

/**
 * A server's blocked terms: plain words or phrases (matched case-insensitively on word boundaries)
 * and `/regex/` patterns (case-insensitive). Text is normalised first (NFKC, zero-width characters
 * removed) so look-alike spellings do not slip through.
 */
export type BlockedTerm =
  | { kind: 'word'; text: string; pattern: RegExp }
  | { kind: 'pattern'; text: string; pattern: RegExp };

export type ParseTermResult = { ok: true; term: BlockedTerm } | { ok: false; problem: string };

/** A hit: which field, and the word (never a pattern's source, which stays the moderators' business). */
export interface BlockedHit {
  field: 'prompt' | 'negative prompt';
  kind: 'word' | 'pattern';
  word: string | undefined;
}

const ZERO_WIDTH = /[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/g;
/** A quantified group that is itself quantified: the classic catastrophic-backtracking shape. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[*+}](?:[^()\\]|\\.)*\)\s*[*+{?]/;

/** As the text reaches the WebUI: control characters dropped (cleanText), then NFKC without zero-width characters. */
export function normalizeForMatching(text: string): string {
  return cleanText(text).normalize('NFKC').replace(ZERO_WIDTH, '');
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Parses one entry as a moderator typed it: `/pattern/` or a word/phrase. */
export function parseBlockedTerm(input: string): ParseTermResult {
  const text = normalizeForMatching(input).trim();
  if (text === '') return { ok: false, problem: 'The term is empty.' };
  if (text.length > MAX_BLOCKED_TERM_LENGTH) {
    return { ok: false, problem: `A blocked term may be at most ${MAX_BLOCKED_TERM_LENGTH} characters.` };
  }
  const regex = /^\/(.+)\/([a-z]*)$/s.exec(text);
  if (regex !== null) {
    const source = regex[1] as string;
    if (NESTED_QUANTIFIER.test(source)) {
      return {
        ok: false,
        problem: 'That pattern nests repetitions (like `(a+)+`), which can hang the bot. Simplify it.',
      };
    }
    try {
      return { ok: true, term: { kind: 'pattern', text, pattern: new RegExp(source, 'iu') } };
    } catch {
      try {
        return { ok: true, term: { kind: 'pattern', text, pattern: new RegExp(source, 'i') } };
      } catch {
        return { ok: false, problem: 'That is not a valid regular expression.' };
      }
    }
  }
  const words = text.split(/\s+/).map(escapeRegExp).join('\\s+');
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])${words}(?![\\p{L}\\p{N}_])`, 'iu');
  return { ok: true, term: { kind: 'word', text: text.toLowerCase(), pattern } };
}

/** Parses the stored list; entries that no longer parse are skipped. */
export function compileBlockedTerms(entries: readonly string[]): BlockedTerm[] {
  return entries.flatMap((entry) => {
    const parsed = parseBlockedTerm(entry);
    return parsed.ok ? [parsed.term] : [];
  });
}

/** The first blocked term in the prompt, then the negative prompt; undefined when both are clean. */
export function findBlockedTerm(
  texts: { prompt: string; negativePrompt?: string | undefined },
  terms: readonly BlockedTerm[],
): BlockedHit | undefined {
  const fields: [BlockedHit['field'], string | undefined][] = [
    ['prompt', texts.prompt],
    ['negative prompt', texts.negativePrompt],
  ];
  for (const [field, raw] of fields) {
    if (raw === undefined || raw === '') continue;
    const text = normalizeForMatching(raw);
    for (const term of terms) {
      if (term.pattern.test(text)) {
        return { field, kind: term.kind, word: term.kind === 'word' ? term.text : undefined };
      }
    }
  }
  return undefined;
}

/** The refusal a member sees. Names the word they typed; never a pattern. */
export function renderBlockedRefusal(hit: BlockedHit): string {
  const what =
    hit.word === undefined ? 'a term this server blocks' : `a term this server blocks (“${hit.word}”)`;
  return `Your ${hit.field} contains ${what}, so nothing was generated. Rephrase it and try again.`;
}
