/**
 * `{a|b}` prompt variants: `a {red|blue} apple` asks for one image of each. Syntax:
 * - `{x|y|z}` is a group of choices; several groups give every combination, the first group
 *   changing slowest (`{a|b} {x|y}` → `a x`, `a y`, `b x`, `b y`);
 * - groups nest (`{a|{b|c}}` → `a`, `b`, `c`); a choice may be empty (`{|big} dog`);
 * - the whitespace around each choice is dropped (`{ red | blue }` = `{red|blue}`);
 * - `\{`, `\|` and `\}` are literal characters (written without the backslash); other backslash
 *   escapes (A1111's `\(`) pass through untouched;
 * - braces without a `|` of their own are literal (NovelAI-style emphasis `{{word}}`), and so is a `|`
 *   outside braces (A1111's `[cow|horse]`); attention `(word:1.2)` and `<lora:x:1>` tags are text;
 * - a `{` never closed, or a `}` that closes nothing, is literal unless a `|` outside groups and
 *   square brackets shows choices were meant (`a {red|blue apple`, `red|blue} apple`): then refused.
 */

import { type Message, msg } from '../i18n/translate.js';

export interface PromptVariant {
  /** The prompt with one choice made in every group. */
  text: string;
  /** The choice made in each top-level group, in order (trimmed; a nested group's choice is inside). */
  choices: string[];
}

export type VariantsResult = { ok: true; variants: PromptVariant[] } | { ok: false; problem: Message };

type Piece = { kind: 'text'; text: string } | { kind: 'group'; options: Piece[][] };

class VariantSyntaxError extends Error {
  readonly problem: Message;
  constructor(problem: Message) {
    super(problem.key);
    this.problem = problem;
  }
}

/** The braces as message parameters (a literal brace in a template would read as a placeholder). */
const BRACES = { open: '{', close: '}', escapedOpen: '\\{', escapedClose: '\\}' };
export const VARIANT_SYNTAX = '{a|b}';

const ESCAPABLE = new Set(['{', '|', '}']);

/** Where a character is a structural brace: the indexes of matched `{`/`}` pairs (escapes skipped). */
function findGroups(prompt: string): Set<number> {
  const matched = new Set<number>();
  const open: number[] = [];
  const strayCloses: number[] = [];
  /** Unescaped `|` outside square brackets, with the number of braces open at that point. */
  const bars: number[] = [];
  let squareDepth = 0;
  for (let index = 0; index < prompt.length; index++) {
    const char = prompt.charAt(index);
    if (char === '\\') {
      index++;
    } else if (char === '{') {
      open.push(index);
    } else if (char === '}') {
      const start = open.pop();
      if (start === undefined) strayCloses.push(index);
      else matched.add(start).add(index);
    } else if (char === '[') {
      squareDepth++;
    } else if (char === ']') {
      squareDepth = Math.max(0, squareDepth - 1);
    } else if (char === '|' && squareDepth === 0) {
      bars.push(index);
    }
  }
  const braces = [...matched].sort((a, b) => a - b);
  const isBarOutsideGroups = (bar: number) => {
    let depth = 0;
    for (const index of braces) {
      if (index > bar) break;
      depth += prompt.charAt(index) === '{' ? 1 : -1;
    }
    return depth === 0;
  };
  const looseBars = bars.filter(isBarOutsideGroups);
  const unclosed = open[0];
  if (unclosed !== undefined && looseBars.some((bar) => bar > unclosed)) {
    throw new VariantSyntaxError(msg('refusals.variants.unclosed', { position: unclosed + 1, ...BRACES }));
  }
  const stray = strayCloses.at(-1);
  if (stray !== undefined && looseBars.some((bar) => bar < stray)) {
    throw new VariantSyntaxError(msg('refusals.variants.strayClose', { position: stray + 1, ...BRACES }));
  }
  return matched;
}

function parsePrompt(prompt: string): Piece[] {
  const groups = findGroups(prompt);
  let index = 0;

  function parseSequence(depth: number): Piece[] {
    const pieces: Piece[] = [];
    let text = '';
    let square = 0;
    const flush = () => {
      if (text !== '') pieces.push({ kind: 'text', text });
      text = '';
    };
    while (index < prompt.length) {
      const char = prompt.charAt(index);
      const next = prompt.charAt(index + 1);
      if (char === '\\' && ESCAPABLE.has(next)) {
        text += next;
        index += 2;
      } else if (char === '\\' && next === '\\') {
        text += '\\\\';
        index += 2;
      } else if (char === '{' && groups.has(index)) {
        flush();
        pieces.push(...parseGroup(depth));
      } else if (depth > 0 && ((char === '|' && square === 0) || (char === '}' && groups.has(index)))) {
        break;
      } else {
        if (char === '[') square++;
        if (char === ']') square = Math.max(0, square - 1);
        text += char;
        index++;
      }
    }
    flush();
    return pieces;
  }

  function parseGroup(depth: number): Piece[] {
    index++;
    const options: Piece[][] = [parseSequence(depth + 1)];
    while (prompt.charAt(index) === '|') {
      index++;
      options.push(parseSequence(depth + 1));
    }
    index++;
    const [only] = options;
    if (options.length === 1 && only !== undefined) {
      return [{ kind: 'text', text: '{' }, ...only, { kind: 'text', text: '}' }];
    }
    return [{ kind: 'group', options }];
  }

  return parseSequence(0);
}

function countVariants(pieces: readonly Piece[]): number {
  let count = 1;
  for (const piece of pieces) {
    if (piece.kind === 'group') {
      count *= piece.options.reduce((sum, option) => sum + countVariants(option), 0);
    }
  }
  return count;
}

function expand(pieces: readonly Piece[]): PromptVariant[] {
  let results: PromptVariant[] = [{ text: '', choices: [] }];
  for (const piece of pieces) {
    if (piece.kind === 'text') {
      for (const result of results) result.text += piece.text;
      continue;
    }
    const alternatives = piece.options.flatMap((option) => expand(option).map((inner) => inner.text.trim()));
    results = results.flatMap((result) =>
      alternatives.map((alternative) => ({
        text: result.text + alternative,
        choices: [...result.choices, alternative],
      })),
    );
  }
  return results;
}

/**
 * Expands the `{a|b}` groups of a prompt into one prompt per combination, or says why not: a group
 * left open, a stray `}`, or more than `maxVariants` combinations (counted before anything is built).
 */
export function expandVariants(prompt: string, maxVariants: number): VariantsResult {
  let pieces: Piece[];
  try {
    pieces = parsePrompt(prompt);
  } catch (error: unknown) {
    if (error instanceof VariantSyntaxError) return { ok: false, problem: error.problem };
    throw error;
  }
  const count = countVariants(pieces);
  if (count > maxVariants) {
    return {
      ok: false,
      problem: msg('refusals.variants.tooMany', { count, limit: maxVariants, syntax: VARIANT_SYNTAX }),
    };
  }
  return { ok: true, variants: expand(pieces) };
}
