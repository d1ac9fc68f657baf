/**
 * Regenerates README.md from docs/README.template.md with REAL output: starts
 * the example API on port 3000, one with --require-preconditions on 3001 and
 * one with --anonymous read --rate-limit 5/60 on 3003 (the Security section's,
 * whose database the template calls data/secure.db) on fresh temporary databases, then runs the commands of every ```run block
 * of the template, in the order they appear, in one shell session (readme-shell.ts)
 * in the repository's root, exactly as a reader pastes them. Each block becomes a code block showing
 * `$ command` and its output (options: `body=K` keeps K body lines,
 * `head=K` K lines in all). Date, Connection and Keep-Alive headers are left out.
 * A command that exits non-zero stops the build.
 *
 *   npm run readme      (needs curl; ports 3000, 3001, 3002 and 3003 free)
 *
 * test/readme.test.ts runs README.md's commands again against fresh servers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBlocks, ShellSession, type RunBlock } from './readme-shell.js';

const dir = mkdtempSync(join(tmpdir(), 'rung-readme-'));

function serve(port: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/rung.ts', 'serve', '--port', String(port)], {
    env: { ...process.env, RUNG_DB: join(dir, `${port}.db`), LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => String(d).includes('listening') && resolve(child));
    child.once('exit', (code) => reject(new Error(`The server for port ${port} exited with ${code}`)));
  });
}

const NOISE = /^(Date|Connection|Keep-Alive): /i;
function render(command: string, output: string, options: RunBlock['options']): string {
  let lines = `$ ${command}\n${output}`.replace(/\r/g, '').split('\n').filter((l) => !NOISE.test(l));
  if (options.body !== undefined) {
    // The body starts after the headers of the last response (curl -i also prints an interim `100 Continue`).
    const status = lines.reduce((last, line, i) => (/^HTTP\/[\d.]+ \d{3}/.test(line) ? i : last), 0);
    const blank = lines.indexOf('', Math.max(1, status));
    if (blank >= 0 && lines.length - blank - 1 > options.body) lines = [...lines.slice(0, blank + 1 + options.body), '…'];
  }
  if (options.head !== undefined && lines.length > options.head) lines = [...lines.slice(0, options.head), '…'];
  return lines.join('\n').trimEnd();
}

const template = readFileSync('docs/README.template.md', 'utf8');
const servers: ChildProcess[] = [];
const secureDb = join(dir, 'secure.db');
/** The command as the shell runs it: the Security section's database is this run's. */
const here = (command: string) => command.replaceAll('data/secure.db', secureDb);
let readme = template;
try {
  servers.push(
    await serve(3000),
    await serve(3001, { RUNG_REQUIRE_PRECONDITIONS: '1' }),
    await serve(3003, { RUNG_DB: secureDb, RUNG_ANONYMOUS: 'read', RUNG_RATE_LIMIT: '5/60' }),
  );
  const session = new ShellSession(process.cwd());
  try {
    for (const block of runBlocks(template)) {
      const shown = block.commands.map((command) => {
        const result = session.run(here(command));
        if (result.status !== 0) throw new Error(`\`${command}\` exited with ${result.status}: ${result.stderr}`);
        return render(command, result.stdout, block.options);
      });
      readme = readme.replace(block.source, () => `\`\`\`\n${shown.join('\n')}\n\`\`\``);
    }
  } finally {
    session.close();
  }
} finally {
  for (const server of servers) server.kill('SIGTERM');
}
writeFileSync('README.md', readme);
rmSync(dir, { recursive: true, force: true });
console.log('README.md written');
