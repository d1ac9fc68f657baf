/**
 * Every curl command of the levels guide (src/server/levels/guide.md), run
 * by bash as a reader would paste it, in order, against a running server:
 * the guide is fetched from that server, which writes its commands for its
 * own address. Each command must succeed, and its answer must agree with
 * the output the guide shows: the status line, the headers shown (their
 * values too where they are stable), and the `"ok"` of level-0/1 bodies.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { startLiveApi, type LiveApi } from './helpers.js';

const run = promisify(execFile);
/** Headers whose values the guide shows exactly (the rest vary: ETags, dates, ids). */
const EXACT = new Set(['rung-level', 'content-type', 'allow', 'accept-post', 'cache-control', 'location']);

interface Step {
  command: string;
  expected: string[];
}

/** The `$ ` commands of the guide's sh blocks, each with the output shown under it. */
function steps(markdown: string): Step[] {
  const out: Step[] = [];
  for (const block of markdown.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of block[1].split('\n')) {
      if (line.startsWith('$ ')) out.push({ command: line.slice(2), expected: [] });
      else out.at(-1)?.expected.push(line);
    }
  }
  return out;
}

const unescape = (s: string) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('The levels guide: every curl command runs', function () {
  this.timeout(120_000);
  let api: LiveApi;

  before(async function () {
    if (!existsSync('/usr/bin/curl')) {
      if (process.env.CI) throw new Error('curl is missing; .ci/run installs it');
      console.log('    (skipped: no curl)');
      this.skip();
    }
    api = await startLiveApi({ shutdownGraceMs: 500 });
  });
  after(() => api?.stop());

  it('runs every command of the guide in order, and each answers as the guide shows', async () => {
    const markdown = await (await fetch(`${api.url}/levels`, { headers: { Accept: 'text/markdown' } })).text();
    const all = steps(markdown);
    expect(all.length).to.be.greaterThan(30);
    // The page a reader sees shows exactly these commands.
    const page = unescape(await (await fetch(`${api.url}/levels`, { headers: { Accept: 'text/html' } })).text());
    for (const { command } of all) expect(page, command).to.contain(`$ ${command}`);
    const host = api.url.replace('http://', '');
    expect(markdown).to.not.contain('localhost:3000');
    expect(all.filter(({ command }) => command.includes(`curl -s`) && command.includes(host)).length, 'written for this server').to.be.greaterThan(20);

    const script = all
      .map(({ command }, i) => {
        const assigned = /^([A-Z_]+)=/.exec(command)?.[1];
        return `echo '@@@${i}'\n${command}\necho\necho "@@@rc=$?${assigned ? ` value=$${assigned}` : ''}"`;
      })
      .join('\n');
    const { stdout } = await run('bash', ['-c', script], { maxBuffer: 16 * 1024 * 1024, timeout: 60_000 });
    const outputs = stdout.split(/^@@@\d+\n/m).slice(1);
    expect(outputs).to.have.length(all.length);

    all.forEach(({ command, expected }, i) => {
      const [body, trailer] = outputs[i].split(/^@@@rc=/m);
      const where = `${command}\n--- got:\n${body}`;
      expect(trailer, where).to.match(/^0\b/);
      if (/^[A-Z_]+=/.test(command)) expect(trailer, `${where}: the variable is set`).to.match(/value=\S+/);
      const actual = body.replace(/\r/g, '').split('\n');
      const shown = expected.filter((l) => l !== '');
      if (!shown.length) return;
      if (/^HTTP\/1\.1 \d{3}/.test(shown[0])) {
        expect(actual[0].slice(0, 12), where).to.equal(shown[0].slice(0, 12));
        const headers = new Map<string, string>();
        for (const line of actual.slice(1, actual.indexOf(''))) {
          const m = /^([^:]+): (.*)$/.exec(line);
          if (m) headers.set(m[1].toLowerCase(), m[2]);
        }
        for (const line of expected.slice(1, expected.indexOf('') < 0 ? undefined : expected.indexOf(''))) {
          const m = /^([A-Za-z-]+): (.*)$/.exec(line);
          if (!m) continue;
          const name = m[1].toLowerCase();
          expect(headers.has(name), `${where}\nheader ${m[1]}`).to.equal(true);
          if (EXACT.has(name) && !m[2].includes('…')) expect(headers.get(name), `${where}\nheader ${m[1]}`).to.equal(m[2]);
        }
      }
      const ok = /"ok": (true|false)/.exec(expected.join('\n'));
      if (ok) {
        const json = body.slice(body.indexOf('{'));
        expect(JSON.parse(json).ok, where).to.equal(ok[1] === 'true');
      }
    });
  });
});
