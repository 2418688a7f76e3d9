/**
 * `npm run doctor`: checks the configuration, the WebUI backends and the Discord token, one line each.
 * Like the bot, it reads `.env` from the working directory; variables already in the environment win.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { runDoctor } from './doctor/run.js';

const envFile = resolve('.env');
if (existsSync(envFile)) {
  const { error } = loadDotenv({ path: envFile, quiet: true });
  process.stdout.write(
    error === undefined
      ? `· Read ${envFile} (variables already in the environment win)\n`
      : `! Could not read ${envFile}: ${error.message} → make it readable by this user\n`,
  );
} else {
  process.stdout.write(`· No .env in ${process.cwd()}: using the environment only\n`);
}

process.exitCode = await runDoctor(process.env, {
  output: (line) => process.stdout.write(`${line}\n`),
});
