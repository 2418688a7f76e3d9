import type { AutocompleteInteraction } from 'discord.js';
import { findLora } from '../../generation/loras.js';
import { searchModels } from '../../models/match.js';
import { loadGuildPolicy } from '../../policy/guild-policy.js';
import type { BotDeps } from './command.js';

/** Autocomplete has no deferral: answer from the cache, waiting at most this long for a first fetch. */
const AUTOCOMPLETE_WAIT_MS = 1500;
const MAX_CHOICES = 25;

const choiceName = (text: string) => (text.length > 100 ? `${text.slice(0, 99)}…` : text);

function filterNames(names: string[], query: string): string[] {
  const q = query.trim().toLowerCase();
  const starts = names.filter((name) => name.toLowerCase().startsWith(q));
  const contains = names.filter(
    (name) => !name.toLowerCase().startsWith(q) && name.toLowerCase().includes(q),
  );
  return [...starts, ...contains].slice(0, MAX_CHOICES);
}

export async function autocompleteSampler(
  interaction: AutocompleteInteraction,
  deps: BotDeps,
  query: string,
) {
  const samplers = (await deps.catalog.peek('samplers', AUTOCOMPLETE_WAIT_MS)) ?? [];
  const names = filterNames(
    samplers.map((sampler) => sampler.name),
    query,
  );
  await interaction.respond(names.map((name) => ({ name: choiceName(name), value: name.slice(0, 100) })));
}

export async function autocompleteScheduler(
  interaction: AutocompleteInteraction,
  deps: BotDeps,
  query: string,
) {
  const schedulers = (await deps.catalog.peek('schedulers', AUTOCOMPLETE_WAIT_MS)) ?? [];
  const names = filterNames(
    schedulers.map((scheduler) => scheduler.label),
    query,
  );
  await interaction.respond(names.map((name) => ({ name: choiceName(name), value: name.slice(0, 100) })));
}

export async function autocompleteModel(interaction: AutocompleteInteraction, deps: BotDeps, query: string) {
  const models = (await deps.catalog.peek('models', AUTOCOMPLETE_WAIT_MS)) ?? [];
  await interaction.respond(
    searchModels(query, models, MAX_CHOICES).map((model) => ({
      name: choiceName(model.title),
      value: model.title.length <= 100 ? model.title : model.model_name.slice(0, 100),
    })),
  );
}

/**
 * `lora`: completes the last of a comma-separated list (`add_detail:0.8, pix…`), keeping what is
 * before it; a weight typed after the name is kept too. Values stay within 100 characters.
 */
export async function autocompleteLora(interaction: AutocompleteInteraction, deps: BotDeps, query: string) {
  const loras = (await deps.catalog.peek('loras', AUTOCOMPLETE_WAIT_MS)) ?? [];
  const comma = query.lastIndexOf(',');
  const head = comma === -1 ? '' : `${query.slice(0, comma + 1)} `;
  const last = query.slice(comma + 1).trim();
  const colon = last.lastIndexOf(':');
  const typedName = colon === -1 ? last : last.slice(0, colon);
  const weight = colon === -1 ? '' : last.slice(colon);
  const exact = findLora(typedName, loras);
  const names =
    exact !== undefined && weight !== ''
      ? [exact.name]
      : filterNames(
          loras.map((lora) => lora.name),
          typedName,
        );
  const choices = names
    .map((name) => `${head}${name}${weight}`)
    .filter((value) => value.length <= 100)
    .slice(0, MAX_CHOICES);
  await interaction.respond(choices.map((value) => ({ name: choiceName(value), value })));
}

export async function autocompleteStyle(interaction: AutocompleteInteraction, deps: BotDeps, query: string) {
  const styles = (await deps.catalog.peek('styles', AUTOCOMPLETE_WAIT_MS)) ?? [];
  const own = loadGuildPolicy(deps.settings, interaction.guildId).features?.styles ?? [];
  const names = filterNames(
    [...new Set([...own.map((style) => style.name), ...styles.map((style) => style.name)])],
    query,
  );
  await interaction.respond(names.map((name) => ({ name: choiceName(name), value: name.slice(0, 100) })));
}

/** `hires`: after a scale, the upscalers a hires pass can use (`2 R-ESRGAN 4x+`). */
export async function autocompleteHires(interaction: AutocompleteInteraction, deps: BotDeps, query: string) {
  const [upscalers, latent] = await Promise.all([
    deps.catalog.peek('upscalers', AUTOCOMPLETE_WAIT_MS),
    deps.catalog.peek('hiresUpscalers', AUTOCOMPLETE_WAIT_MS),
  ]);
  const [scale = '2', ...rest] = query.trim().split(/\s+/);
  const names = filterNames(
    [...(latent ?? []), ...(upscalers ?? [])]
      .map((upscaler) => upscaler.name)
      .filter((name) => name !== 'None'),
    rest.join(' '),
  );
  const choices = [query.trim() === '' ? '2' : query.trim(), ...names.map((name) => `${scale} ${name}`)]
    .filter((value, index, all) => value !== '' && value.length <= 100 && all.indexOf(value) === index)
    .slice(0, MAX_CHOICES);
  await interaction.respond(choices.map((value) => ({ name: choiceName(value), value })));
}

export async function autocompleteHiresUpscaler(
  interaction: AutocompleteInteraction,
  deps: BotDeps,
  query: string,
) {
  const [upscalers, latent] = await Promise.all([
    deps.catalog.peek('upscalers', AUTOCOMPLETE_WAIT_MS),
    deps.catalog.peek('hiresUpscalers', AUTOCOMPLETE_WAIT_MS),
  ]);
  const names = filterNames(
    [...(latent ?? []), ...(upscalers ?? [])].map((upscaler) => upscaler.name),
    query,
  );
  await interaction.respond(names.map((name) => ({ name: choiceName(name), value: name.slice(0, 100) })));
}

/**
 * `negative_prompt`: the embeddings whose name starts (or contains) the last comma-separated word,
 * keeping what is before it. Discord's choices hold 100 characters: a longer text gets none.
 */
export async function autocompleteEmbedding(
  interaction: AutocompleteInteraction,
  deps: BotDeps,
  query: string,
) {
  const embeddings = (await deps.catalog.peek('embeddings', AUTOCOMPLETE_WAIT_MS)) ?? [];
  const comma = query.lastIndexOf(',');
  const head = comma === -1 ? '' : `${query.slice(0, comma + 1)} `;
  const last = query.slice(comma + 1).trim();
  const names =
    last === ''
      ? []
      : filterNames(
          embeddings.map((embedding) => embedding.name),
          last,
        );
  const choices = [query.trim(), ...names.map((name) => `${head}${name}`)]
    .filter((value, index, all) => value !== '' && value.length <= 100 && all.indexOf(value) === index)
    .slice(0, MAX_CHOICES);
  await interaction.respond(choices.map((value) => ({ name: choiceName(value), value })));
}

/** Autocomplete for the generation options several commands share: sampler, scheduler, model. */
export async function autocompleteGenerationOption(interaction: AutocompleteInteraction, deps: BotDeps) {
  const focused = interaction.options.getFocused(true);
  if (focused.name === 'sampler') return autocompleteSampler(interaction, deps, focused.value);
  if (focused.name === 'scheduler') return autocompleteScheduler(interaction, deps, focused.value);
  if (focused.name === 'model') return autocompleteModel(interaction, deps, focused.value);
  if (focused.name === 'lora') return autocompleteLora(interaction, deps, focused.value);
  if (focused.name === 'negative_prompt') return autocompleteEmbedding(interaction, deps, focused.value);
  if (focused.name === 'style') return autocompleteStyle(interaction, deps, focused.value);
  if (focused.name === 'hires') return autocompleteHires(interaction, deps, focused.value);
  if (focused.name === 'hires_upscaler') return autocompleteHiresUpscaler(interaction, deps, focused.value);
  await interaction.respond([]);
}
