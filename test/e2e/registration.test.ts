import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

interface DocumentedCommand {
  name: string;
  options: string[];
  required: string[];
}

interface RegisteredOption {
  name: string;
  required?: boolean;
}

const README = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md');

/** The README's command table: rows starting with "| `/", command in the first cell, options in the second. */
function parseCommandTable(markdown: string): DocumentedCommand[] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('| `/'))
    .map((line) => {
      const [, commandCell = '', optionsCell = ''] = line.split('|');
      const name = /`\/([\w-]+)`/.exec(commandCell)?.[1] ?? '';
      const options = [...optionsCell.matchAll(/`([\w-]+)`/g)].map((match) => match[1] as string);
      const required = [...optionsCell.matchAll(/`([\w-]+)`\s*\(required\)/g)].map(
        (match) => match[1] as string,
      );
      return { name, options, required };
    });
}

const optionsOf = (command: Record<string, unknown>) => (command.options ?? []) as RegisteredOption[];

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('command registration end to end', () => {
  it('registers exactly the commands and options the README documents', async () => {
    harness = await startHarness();
    const documented = parseCommandTable(readFileSync(README, 'utf8'));
    // The parser found the table (a broken parse would make the comparison below vacuous).
    expect(documented.map((command) => command.name)).toEqual(
      expect.arrayContaining(['imagine', 'models', 'setmodel', 'queue']),
    );
    expect(documented.find((command) => command.name === 'imagine')?.options).toHaveLength(18);

    const registered = harness.discord.commands.guild(harness.discord.guildId);
    expect(registered.map((command) => command.name).sort()).toEqual(
      documented.map((command) => command.name).sort(),
    );
    for (const doc of documented) {
      const command = registered.find((candidate) => candidate.name === doc.name);
      expect(command, `/${doc.name}`).toBeDefined();
      const options = optionsOf(command ?? {});
      expect(
        options.map((option) => option.name),
        `/${doc.name} options`,
      ).toEqual(doc.options);
      expect(
        options.filter((option) => option.required === true).map((option) => option.name),
        `/${doc.name} required options`,
      ).toEqual(doc.required);
    }
    expect(harness.discord.commands.global).toEqual([]);
  });

  it('limits /setmodel to members with Manage Server by default', async () => {
    harness = await startHarness();
    const registered = harness.discord.commands.guild(harness.discord.guildId);
    const setmodel = registered.find((command) => command.name === 'setmodel');
    expect(setmodel?.default_member_permissions).toBe('32');
    const settings = registered.find((command) => command.name === 'settings');
    expect(settings?.default_member_permissions).toBe('32');
    for (const name of ['imagine', 'models', 'queue']) {
      const command = registered.find((candidate) => candidate.name === name);
      expect(command?.default_member_permissions ?? null, `/${name}`).toBeNull();
    }
  });

  it('does not register again after a restart with unchanged definitions', async () => {
    harness = await startHarness();
    expect(harness.discord.registrationCalls).toBe(1);
    const before = harness.discord.commands.guild(harness.discord.guildId);
    await harness.restart();
    expect(harness.discord.registrationCalls).toBe(1);
    expect(harness.discord.commands.guild(harness.discord.guildId)).toEqual(before);
  });

  it('registers again when the database is new (no stored fingerprint)', async () => {
    harness = await startHarness();
    expect(harness.discord.registrationCalls).toBe(1);
    const names = harness.discord.commands.guild(harness.discord.guildId).map((command) => command.name);
    const fresh = join(dirname(harness.env.DATABASE_PATH as string), 'fresh', 'bot.sqlite');
    await harness.restart({ DATABASE_PATH: fresh });
    expect(harness.discord.registrationCalls).toBe(2);
    expect(harness.discord.commands.guild(harness.discord.guildId).map((command) => command.name)).toEqual(
      names,
    );
    // The new database now holds the fingerprint: one more restart registers nothing.
    await harness.restart();
    expect(harness.discord.registrationCalls).toBe(2);
  });
});
