import { RE2JS, RE2JSException } from 're2js';
import { cleanText } from '../generation/request.js';
import { DEFAULT_LOCALE, type Locale } from '../i18n/locales.js';
import { type Message, msg, render } from '../i18n/translate.js';
import { MAX_BLOCKED_TERM_LENGTH } from './policy.js';

/**
 * A server's blocked terms: plain words or phrases (matched case-insensitively on word boundaries)
 * and `/regex/` patterns (case-insensitive, run by RE2JS in time linear in the prompt's length).
 * Text is normalised first (NFKC, zero-width characters removed) so look-alike spellings do not slip
 * through.
 */
export type BlockedTerm =
  | { kind: 'word'; text: string; pattern: TextMatcher }
  | { kind: 'pattern'; text: string; pattern: TextMatcher };

/** What both engines offer: `RegExp` for words, `RE2JS` for patterns. */
export interface TextMatcher {
  test(text: string): boolean;
}

export type ParseTermResult = { ok: true; term: BlockedTerm } | { ok: false; problem: Message };

/** A hit: which field, and the word (never a pattern's source, which stays the moderators' business). */
export interface BlockedHit {
  field: 'prompt' | 'negative prompt';
  kind: 'word' | 'pattern';
  word: string | undefined;
}

const ZERO_WIDTH = /[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/g;

/** As the text reaches the WebUI: control characters dropped (cleanText), then NFKC without zero-width characters. */
export function normalizeForMatching(text: string): string {
  return cleanText(text).normalize('NFKC').replace(ZERO_WIDTH, '');
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Parses one entry as a moderator typed it: `/pattern/` or a word/phrase. */
export function parseBlockedTerm(input: string): ParseTermResult {
  const text = normalizeForMatching(input).trim();
  if (text === '') return { ok: false, problem: msg('refusals.blocked.termEmpty') };
  if (text.length > MAX_BLOCKED_TERM_LENGTH) {
    return { ok: false, problem: msg('refusals.blocked.termTooLong', { max: MAX_BLOCKED_TERM_LENGTH }) };
  }
  const regex = /^\/(.+)\/([a-z]*)$/s.exec(text);
  if (regex !== null) {
    const compiled = compilePattern(regex[1] as string);
    return compiled.ok ? { ok: true, term: { kind: 'pattern', text, pattern: compiled.matcher } } : compiled;
  }
  // Words stay on JS RegExp: every character of the word is escaped, so the only constructs are
  // literals, `\s+` between words and one fixed-width lookaround at each end. Nothing in that shape
  // can backtrack more than linearly, and RE2 has no lookarounds to express the Unicode word edges.
  const words = text.split(/\s+/).map(escapeRegExp).join('\\s+');
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])${words}(?![\\p{L}\\p{N}_])`, 'iu');
  return { ok: true, term: { kind: 'word', text: text.toLowerCase(), pattern } };
}

/**
 * Compiles a moderator's `/pattern/` with RE2JS: JavaScript syntax (named groups, `\u{…}`) is
 * translated first, matching is case-insensitive with Unicode case folding, and `.`/classes work on
 * code points. RE2's `\w`, `\d` and `\b` stay ASCII (use `\p{L}` for letters). Any pattern RE2
 * accepts runs in linear time, so nested repetitions such as `(a+)+` are fine.
 */
function compilePattern(
  source: string,
): { ok: true; matcher: TextMatcher } | { ok: false; problem: Message } {
  try {
    return { ok: true, matcher: RE2JS.compile(RE2JS.translateRegExp(source), RE2JS.CASE_INSENSITIVE) };
  } catch (error: unknown) {
    if (!(error instanceof RE2JSException)) throw error;
    return {
      ok: false,
      problem: isJavaScriptRegExp(source)
        ? msg('refusals.blocked.patternUnsupported')
        : msg('refusals.blocked.patternInvalid'),
    };
  }
}

/** Compiling a RegExp never runs it, so this is safe on any source. */
function isJavaScriptRegExp(source: string): boolean {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    try {
      new RegExp(source);
      return true;
    } catch {
      return false;
    }
  }
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
export function toBlockedRefusal(hit: BlockedHit): Message {
  if (hit.field === 'prompt') {
    return hit.word === undefined
      ? msg('refusals.blocked.prompt')
      : msg('refusals.blocked.promptWord', { word: hit.word });
  }
  return hit.word === undefined
    ? msg('refusals.blocked.negativePrompt')
    : msg('refusals.blocked.negativePromptWord', { word: hit.word });
}

export function renderBlockedRefusal(hit: BlockedHit, locale: Locale = DEFAULT_LOCALE): string {
  return render(toBlockedRefusal(hit), locale);
}
