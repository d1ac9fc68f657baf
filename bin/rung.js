#!/usr/bin/env node
// The `rung` command: the compiled CLI (`npm run build` writes dist/; `npm ci`,
// `npm pack` and installs from git build it through `prepare`).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli/rung.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('rung: dist/ is missing; run `npm run build` first (or `npm run dev` to run the TypeScript sources).');
  process.exit(1);
}
await import(cli.href);
