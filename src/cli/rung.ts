/**
 * The `rung` command line: one program, one file per command. `rung serve`
 * (serve.ts; the default) runs the example API, an API file or an OpenAPI
 * document; `rung init` writes an API file (init.ts); `rung crawl` and
 * `rung audit` explore a live API; `rung token` manages bearer tokens
 * (token.ts).
 */
import { Command } from 'commander';
import { auditCommand } from './audit.js';
import { crawlCommand } from './crawl.js';
import { initCommand } from './init.js';
import { serveCommand } from './serve.js';
import { tokenCommand } from './token.js';

const program = new Command();
program.name('rung').description('Rung: a hypermedia-first REST API server (JSON-LD, Hydra, exact HTTP).');
program.addCommand(serveCommand(), { isDefault: true });
program.addCommand(initCommand());
program.addCommand(crawlCommand());
program.addCommand(auditCommand());
program.addCommand(tokenCommand());

await program.parseAsync(process.argv);
