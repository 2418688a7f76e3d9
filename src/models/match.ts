import type { SdModel } from '../sd/types.js';

const norm = (text: string) => text.toLowerCase().replace(/[\s_\-.]+/g, '');

/** Finds the model a member named: exact title, model name, hash or file stem, case-insensitively. */
export function findModel(input: string, models: readonly SdModel[]): SdModel | undefined {
  const wanted = input.trim().toLowerCase();
  if (wanted === '') return undefined;
  return (
    models.find((model) => model.title === input) ??
    models.find(
      (model) =>
        model.title.toLowerCase() === wanted ||
        model.model_name.toLowerCase() === wanted ||
        (model.hash !== null && model.hash.toLowerCase() === wanted) ||
        (model.sha256 !== null && model.sha256.toLowerCase() === wanted),
    )
  );
}

/** A fuzzy score: higher is better, 0 = no match. Subsequence match on title, name and hash. */
export function scoreModel(query: string, model: SdModel): number {
  const q = norm(query);
  if (q === '') return 1;
  let best = 0;
  for (const field of [model.title, model.model_name, model.hash ?? '']) {
    const text = norm(field);
    if (text === q) best = Math.max(best, 100);
    else if (text.startsWith(q)) best = Math.max(best, 80);
    else if (text.includes(q)) best = Math.max(best, 60);
    else if (isSubsequence(q, text)) best = Math.max(best, 20);
  }
  return best;
}

function isSubsequence(needle: string, haystack: string): boolean {
  let index = 0;
  for (const char of haystack) {
    if (char === needle[index]) index++;
    if (index === needle.length) return true;
  }
  return needle.length === 0;
}

/** The best matches for autocomplete: at most `limit`, best first. */
export function searchModels(query: string, models: readonly SdModel[], limit = 25): SdModel[] {
  return models
    .map((model) => ({ model, score: scoreModel(query, model) }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.model.title.localeCompare(b.model.title))
    .slice(0, limit)
    .map((entry) => entry.model);
}

/** The closest models to a name that matched none, for the refusal message. */
export function closestModels(input: string, models: readonly SdModel[], limit = 3): SdModel[] {
  const q = norm(input);
  return models
    .map((model) => ({
      model,
      distance: Math.min(editDistance(q, norm(model.model_name)), editDistance(q, norm(model.title))),
    }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, limit)
    .map((entry) => entry.model);
}

/** Levenshtein distance between two strings (insertions, deletions and substitutions cost 1). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j] as number;
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        previous + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      previous = saved;
    }
  }
  return row[b.length] as number;
}

/** Whether two checkpoint strings name the same model (title, name or hash). */
export function sameModel(a: string | undefined, b: string | undefined, models: readonly SdModel[]): boolean {
  if (a === undefined || b === undefined) return false;
  if (a === b) return true;
  const ma = findModel(a, models);
  const mb = findModel(b, models);
  return ma !== undefined && ma === mb;
}
