import { describe, expect, it } from 'vitest';
import type { VariantsResult } from '../../src/generation/variants.js';
import { expandVariants } from '../../src/generation/variants.js';
import { render } from '../../src/i18n/translate.js';

/** The result with its problem in English. */
const english = (result: VariantsResult) =>
  result.ok ? result : { ok: false, problem: render(result.problem) };

function texts(prompt: string, max = 100): string[] {
  const result = expandVariants(prompt, max);
  if (!result.ok) throw new Error(render(result.problem));
  return result.variants.map((variant) => variant.text);
}

describe('expandVariants', () => {
  it.each([
    ['a {red|blue|green} apple', ['a red apple', 'a blue apple', 'a green apple']],
    ['{a|b} {x|y}', ['a x', 'a y', 'b x', 'b y']],
    ['{1|2}{3|4}{5|6}', ['135', '136', '145', '146', '235', '236', '245', '246']],
    ['{a|{b|c}}', ['a', 'b', 'c']],
    ['{a|x {b|c}} dog', ['a dog', 'x b dog', 'x c dog']],
    ['{{b|c} {d|e}|f}', ['b d', 'b e', 'c d', 'c e', 'f']],
    ['{ red | blue } car', ['red car', 'blue car']],
    ['{|big} dog', [' dog', 'big dog']],
    ['{a|}', ['a', '']],
    ['{only|only}', ['only', 'only']],
  ])('expands %j', (prompt, expected) => {
    expect(texts(prompt)).toEqual(expected);
  });

  it.each([
    ['a plain prompt', 'a plain prompt'],
    ['', ''],
    ['{masterpiece}, cat', '{masterpiece}, cat'],
    ['{{best quality}}', '{{best quality}}'],
    ['{}', '{}'],
    ['smile :{', 'smile :{'],
    ['smile :} and {', 'smile :} and {'],
    ['a (cat:1.2) <lora:detail:0.8> [cow|horse]', 'a (cat:1.2) <lora:detail:0.8> [cow|horse]'],
    ['a | b', 'a | b'],
    ['AND (red:1.1) BREAK blue', 'AND (red:1.1) BREAK blue'],
    ['\\(escaped parens\\)', '\\(escaped parens\\)'],
    ['a \\{red\\|blue\\} apple', 'a {red|blue} apple'],
  ])('leaves %j as one prompt', (prompt, expected) => {
    const result = expandVariants(prompt, 1);
    expect(result).toEqual({ ok: true, variants: [{ text: expected, choices: [] }] });
  });

  it('keeps escaped characters inside a group literal', () => {
    expect(texts('{a\\|b|c\\}}')).toEqual(['a|b', 'c}']);
  });

  it('keeps a doubled backslash, and reads the brace after it as a group', () => {
    expect(texts('C:\\\\{x|y}')).toEqual(['C:\\\\x', 'C:\\\\y']);
  });

  it('keeps A1111 alternation inside a group as one choice', () => {
    expect(texts('{a [cow|horse]|dog}')).toEqual(['a [cow|horse]', 'dog']);
  });

  it('keeps attention and LoRA tags inside choices', () => {
    expect(texts('{(red:1.2)|<lora:blue:0.5>} car')).toEqual(['(red:1.2) car', '<lora:blue:0.5> car']);
  });

  it('treats braces without a | of their own as text around a group', () => {
    expect(texts('{a {b|c}}')).toEqual(['{a b}', '{a c}']);
  });

  it('records the choice of every top-level group', () => {
    const result = expandVariants('a {red|blue} {car|{big|small} boat}', 10);
    expect(result.ok && result.variants.map((variant) => variant.choices)).toEqual([
      ['red', 'car'],
      ['red', 'big boat'],
      ['red', 'small boat'],
      ['blue', 'car'],
      ['blue', 'big boat'],
      ['blue', 'small boat'],
    ]);
  });

  it.each([
    [
      'a {red|blue apple',
      'The "{" at character 3 has no matching "}". Close the group, or write \\{ for a literal brace.',
    ],
    [
      '{a|b} {c|d',
      'The "{" at character 7 has no matching "}". Close the group, or write \\{ for a literal brace.',
    ],
    [
      '{{a|b}|c',
      'The "{" at character 1 has no matching "}". Close the group, or write \\{ for a literal brace.',
    ],
    ['red|blue} apple', 'The "}" at character 9 closes no "{". Write \\} for a literal brace.'],
    ['{a|b}|c}', 'The "}" at character 8 closes no "{". Write \\} for a literal brace.'],
  ])('refuses the unbalanced %j', (prompt, problem) => {
    expect(english(expandVariants(prompt, 100))).toEqual({ ok: false, problem });
  });

  it('refuses more variants than the limit, naming both numbers', () => {
    expect(english(expandVariants('{a|b|c} {d|e|f}', 8))).toEqual({
      ok: false,
      problem: 'The prompt makes 9 variants with its {a|b} choices; the limit is 8. Use fewer choices.',
    });
  });

  it('accepts exactly the limit', () => {
    const result = expandVariants('{a|b|c} {d|e|f}', 9);
    expect(result.ok && result.variants).toHaveLength(9);
  });

  it('counts nested choices before building anything', () => {
    const prompt = Array.from({ length: 40 }, () => '{a|{b|c}}').join(' ');
    const result = expandVariants(prompt, 4);
    expect(english(result)).toEqual({
      ok: false,
      problem: `The prompt makes ${3 ** 40} variants with its {a|b} choices; the limit is 4. Use fewer choices.`,
    });
  });

  it('stays fast on many unclosed braces', () => {
    const result = expandVariants('{'.repeat(5000), 1);
    expect(result).toEqual({ ok: true, variants: [{ text: '{'.repeat(5000), choices: [] }] });
  });
});
