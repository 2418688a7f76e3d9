import type { Command } from '../src/discord/command.js';
import { imagine } from './imagine.js';

/** Every slash command, listed explicitly (no folder scanning). */
export const commands: readonly Command[] = [imagine];
