/**
 * The README's shell commands, run the way a reader pastes them: in order, in
 * one shell session, so a variable one command sets (`etag=$(curl -sI …)`) is
 * there for the next. build-readme.ts runs the template's commands to write
 * their real output into README.md; test/readme.test.ts runs README.md's
 * commands again against fresh servers and checks they still do what it shows.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CommandResult {
  stdout: string;
  stderr: string;
  status: number | null;
}

/**
 * A bash session, one process per command: each command starts from the
 * variables the earlier ones assigned (a command `name=…`; kept with
 * `declare -p` in a temporary file) and runs in `cwd` — the clone's root,
 * where a reader pastes them (so `node bin/rung.js …` works).
 */
export class ShellSession {
  private readonly names = new Set<string>();
  private readonly stateDir = mkdtempSync(join(tmpdir(), 'rung-readme-shell-'));
  private readonly state = join(this.stateDir, 'variables.sh');

  constructor(private readonly cwd: string) {}

  /** Remove the variables file. */
  close(): void {
    rmSync(this.stateDir, { recursive: true, force: true });
  }

  run(command: string): CommandResult {
    const assigned = /^\s*([A-Za-z_][A-Za-z0-9_]*)=/.exec(command);
    if (assigned) this.names.add(assigned[1]);
    const restore = existsSync(this.state) ? `. '${this.state}'\n` : '';
    const keep = this.names.size ? `declare -p ${[...this.names].join(' ')} > '${this.state}' 2>/dev/null\n` : '';
    const script = `${restore}${command}\nreadme_status=$?\n${keep}exit $readme_status\n`;
    const out = spawnSync('bash', ['-c', script], { cwd: this.cwd, encoding: 'utf8', timeout: 30_000 });
    return { stdout: out.stdout, stderr: out.stderr, status: out.status };
  }
}

/** A `$ command` line of README.md and the output shown under it. */
export interface ShownCommand {
  command: string;
  /** Lines shown after the command, up to the next command or the end of its block. */
  output: string[];
}

/** Every `$ command` inside the fenced code blocks of a Markdown document, in order. */
export function shownCommands(markdown: string): ShownCommand[] {
  const commands: ShownCommand[] = [];
  let fenced = false;
  let current: ShownCommand | undefined;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) {
      fenced = !fenced;
      current = undefined;
    } else if (fenced && line.startsWith('$ ')) {
      current = { command: line.slice(2), output: [] };
      commands.push(current);
    } else if (fenced && current) {
      current.output.push(line);
    }
  }
  return commands;
}

/** A ```run block of the template: the commands to run and how much of their output to show. */
export interface RunBlock {
  /** The whole block, as it stands in the template. */
  source: string;
  commands: string[];
  /** `body=K` keeps K body lines of each output, `head=K` K lines in all. */
  options: { body?: number; head?: number };
}

/** The ```run blocks of docs/README.template.md, in order. */
export function runBlocks(template: string): RunBlock[] {
  return [...template.matchAll(/^```run([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({
    source: m[0],
    commands: m[2].split('\n').filter((line) => line.trim() !== ''),
    options: Object.fromEntries(
      m[1]
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map((option) => {
          const [key, value] = option.split('=');
          if ((key !== 'body' && key !== 'head') || !/^\d+$/.test(value ?? '')) throw new Error(`Unknown run option ${option}`);
          return [key, Number(value)];
        }),
    ),
  }));
}

/**
 * The commands of the template's ```run blocks as README.md shows them, in
 * order, with their output; a README.md that lacks one (not regenerated)
 * throws. Other `$ ` lines in README.md (hand-written examples) are skipped.
 */
export function generatedCommands(readme: string, template: string): ShownCommand[] {
  const shown = shownCommands(readme);
  let next = 0;
  return runBlocks(template)
    .flatMap((block) => block.commands)
    .map((command) => {
      while (next < shown.length && shown[next].command !== command) next++;
      if (next === shown.length) throw new Error(`README.md does not show \`${command}\` where the template has it: run npm run readme`);
      return shown[next++];
    });
}
