import type { Command } from '../src/discord/intake/command.js';
import { imagine } from './imagine.js';
import { loras } from './loras.js';
import { models } from './models.js';
import { queue } from './queue.js';
import { setmodel } from './setmodel.js';
import { settings } from './settings.js';

/** Every slash command, listed explicitly (no folder scanning). */
export const commands: readonly Command[] = [imagine, models, setmodel, queue, settings, loras];

export { handleLorasPage } from './loras.js';
export { handleModelsPage } from './models.js';
