import type { AutocompleteInteraction } from 'discord.js';
import { searchModels } from '../../models/match.js';
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

/** Autocomplete for the generation options several commands share: sampler, scheduler, model. */
export async function autocompleteGenerationOption(interaction: AutocompleteInteraction, deps: BotDeps) {
  const focused = interaction.options.getFocused(true);
  if (focused.name === 'sampler') return autocompleteSampler(interaction, deps, focused.value);
  if (focused.name === 'scheduler') return autocompleteScheduler(interaction, deps, focused.value);
  if (focused.name === 'model') return autocompleteModel(interaction, deps, focused.value);
  await interaction.respond([]);
}
