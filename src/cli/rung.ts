/**
 * The `rung` command line: one program, one file per command (`serve.ts`, …).
 * `rung` alone runs `rung serve`.
 */
import { Command } from 'commander';
import { serveCommand } from './serve.js';

const program = new Command();
program.name('rung').description('Rung: a hypermedia-first REST API server (JSON-LD, Hydra, exact HTTP).');
program.addCommand(serveCommand(), { isDefault: true });

await program.parseAsync(process.argv);
