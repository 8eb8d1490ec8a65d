#!/usr/bin/env node
// The `targets` command; see src/cli.ts. Needs a build (`npm run build`).
import { readFile } from 'node:fs/promises';
import { runCli } from '../dist/cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  readFile: async (path) => new Uint8Array(await readFile(path)),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
