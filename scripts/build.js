#!/usr/bin/env node
/**
 * `npm run build` (and `prepare`, so `npm ci`, `npm pack` and installs from
 * git build too): compile src/ to dist/ with type declarations, then copy the
 * files the compiled code reads at run time next to it (every file under src/
 * that is not TypeScript, e.g. formats/html/rung.css and rung.js). dist/ is
 * emptied first, so a deleted source never lingers in the package.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  // `npm ci --omit=dev` runs prepare without TypeScript: say so in one line instead of failing the install.
  const message = 'TypeScript is not installed (dev dependencies omitted), so dist/ is not built; build where they are installed.';
  console.error(`rung build: ${message}`);
  process.exit(process.env.npm_lifecycle_event === 'prepare' ? 0 : 1);
}
rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

const copied = [];
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || entry.name.endsWith('.ts') || entry.name === 'README.md') continue;
  const from = join(entry.parentPath ?? entry.path, entry.name); // `path` before Node 20.12
  cpSync(from, join(dist, relative(src, from)));
  copied.push(relative(src, from));
}
console.log(`dist/ built; copied ${copied.join(', ')}`);
