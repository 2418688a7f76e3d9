import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Catalog } from '../../catalog/catalog.js';
import type { Config } from '../../config.js';
import type { ImageStore } from '../../jobs/image-store.js';
import type { JobRecords } from '../../jobs/job-records.js';
import type { JobReporter } from '../../jobs/reporter.js';
import type { Backend, JobRunner } from '../../jobs/runner.js';
import type { Logger } from '../../log.js';
import type { UsageStore } from '../../policy/usage-store.js';
import type { SettingsStore } from '../../store/settings-store.js';
import type { MemberOrder } from './member-order.js';
import type { Turns } from './turns.js';

/** Everything a command handler may use, built once in the composition root. */
export interface BotDeps {
  config: Config;
  runner: JobRunner;
  reporter: JobReporter;
  jobs: JobRecords;
  /** Finished jobs' original images, for result buttons. */
  images: ImageStore;
  settings: SettingsStore;
  /** Generation requests per server and member, for quotas. */
  usage: UsageStore;
  catalog: Catalog;
  backends: Backend[];
  log: Logger;
  now: () => number;
  /** Paces handlers through bursts (see turns.ts). */
  turns: Turns;
  /** A member's requests reach the queue in the order sent (see member-order.ts). */
  memberOrder: MemberOrder;
}

/** One slash command: its registered definition and its handlers (the discord.js guide's shape). */
export interface Command {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, deps: BotDeps): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, deps: BotDeps): Promise<void>;
}

export type ButtonHandler = (interaction: ButtonInteraction, args: string[], deps: BotDeps) => Promise<void>;

export type ModalHandler = (
  interaction: ModalSubmitInteraction,
  args: string[],
  deps: BotDeps,
) => Promise<void>;
