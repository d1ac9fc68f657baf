/**
 * Issue 9 §7: every command the README shows works when pasted. The walk's
 * commands (those build-readme.ts ran to write their output: the template's
 * ```run blocks) are run again as README.md shows them, in order, in one shell session
 * (so `etag=$(curl -sI …)` feeds the next command), against fresh servers: the
 * example API for port 3000, one with --require-preconditions for 3001 and
 * the Security section's (--anonymous read --rate-limit 5/60, database
 * data/secure.db) for 3003, all on port 0 here (ports and that database's
 * path are substituted). Each must exit 0 and get the
 * HTTP statuses the README shows under it.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatedCommands, runBlocks, ShellSession } from '../docs/readme-shell.js';
import { startCli, type Child } from './helpers.js';

const STATUS = /^HTTP\/[\d.]+ \d{3}.*$/;
const statuses = (lines: string[]) => lines.map((l) => l.replace(/\r$/, '')).filter((l) => STATUS.test(l));

describe('README', function () {
  this.timeout(120_000);
  const readme = readFileSync('README.md', 'utf8');
  const template = readFileSync('docs/README.template.md', 'utf8');

  it('shows the commands of docs/README.template.md, in the same order (npm run readme was run)', () => {
    const commands = runBlocks(template).flatMap((block) => block.commands);
    expect(commands.length).to.be.greaterThan(30);
    expect(generatedCommands(readme, template).map((c) => c.command)).to.deep.equal(commands);
  });

  it('every command, pasted in order against fresh servers, exits 0 and gets the statuses shown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rung-readme-test-'));
    const servers: Child[] = [];
    // In the repository's root, where a reader pastes them.
    const session = new ShellSession(process.cwd());
    try {
      servers.push(await startCli(['--db', join(dir, 'a.db')], { LOG_LEVEL: 'silent' }));
      servers.push(await startCli(['--db', join(dir, 'b.db')], { LOG_LEVEL: 'silent', RUNG_REQUIRE_PRECONDITIONS: '1' }));
      const secureDb = join(dir, 'secure.db');
      servers.push(await startCli(['--db', secureDb, '--anonymous', 'read', '--rate-limit', '5/60'], { LOG_LEVEL: 'silent' }));
      const ports: Record<string, string> = Object.fromEntries(
        ['3000', '3001', '3003'].map((port, i) => [port, new URL(servers[i].url).port]),
      );
      const here = (text: string) =>
        text.replace(/localhost:(3000|3001|3003)\b/g, (_, port: string) => `localhost:${ports[port]}`).replaceAll('data/secure.db', secureDb);
      const commands = generatedCommands(readme, template);
      const conditional = commands.filter((c) => /If-(None-)?Match: \$/.test(c.command));
      expect(conditional.length, 'the conditional requests use ETags kept in variables').to.be.greaterThanOrEqual(5);
      for (const { command, output } of commands) {
        const result = session.run(here(command));
        expect(result.status, `${command}\n${result.stderr}`).to.equal(0);
        const shown = statuses(output);
        expect(statuses(result.stdout.split('\n')), command).to.deep.equal(shown);
        if (output.length === 0) expect(result.stdout, command).to.equal('');
      }
      const shownAll = commands.flatMap((c) => statuses(c.output).map((s) => s.split(' ')[1]));
      for (const status of ['201', '304', '412', '428', '409', '413', '401', '403', '429']) expect(shownAll, status).to.include(status);
    } finally {
      session.close();
      for (const server of servers) {
        server.process.kill('SIGTERM');
        await server.exited;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
