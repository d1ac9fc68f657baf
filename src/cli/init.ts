/** `rung init [file]`: write a small, commented API file to start from. Never overwrites. */
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { STARTER_API } from './starter-api.js';

export function initCommand(): Command {
  return new Command('init')
    .description('Write a small, commented API file to start from (it never overwrites a file).')
    .argument('[file]', 'file to write', 'api.yaml')
    .action((file: string, _options, command: Command) => {
      try {
        // "wx": fail when the file exists, atomically (no check-then-write race).
        writeFileSync(file, STARTER_API, { flag: 'wx' });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const why = code === 'EEXIST' ? 'it already exists, and init never overwrites a file: choose another name or remove it' : (err as Error).message;
        command.error(`rung init: cannot write ${file}: ${why}`, { exitCode: 1 });
      }
      console.log(`Wrote ${file}: authors and their books. Edit it, then serve it with:  npx rung serve ${file}`);
    });
}
