/**
 * Issue 9 §6–7: the README's "Build your own API" and "Testing your API"
 * sections are true when pasted. This test reads them from README.md (and
 * checks docs/README.template.md says the same), runs every command in a
 * scratch folder of this repository, as a reader would — `npx rung init`,
 * the edit, `npx rung serve`, each curl — and compares what each prints with
 * what the README shows (`…` stands for anything). The only change: the
 * server listens on a free port (PORT=0) instead of 3000, and the commands
 * and outputs say that port. Then it saves the README's test file beside
 * api.yaml and runs it with the README's mocha command.
 */
import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { STARTER_API } from '../src/cli/starter-api.js';

const ROOT = resolve('.');

/** The text of `## title` up to the next `## ` heading. */
function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}\n`);
  expect(start, `README has a "${title}" section`).to.be.greaterThan(0);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start + 1, end < 0 ? undefined : end + 1);
}

/** Fenced code blocks: language and text. */
function blocks(markdown: string): { lang: string; text: string }[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], text: m[2] }));
}

/** Commands (`$ …`, a heredoc running to its end marker) and the output shown after each. */
function steps(text: string): { command: string; output: string[] }[] {
  const lines = text.replace(/\n$/, '').split('\n');
  const out: { command: string; output: string[] }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('$ ')) {
      out[out.length - 1].output.push(lines[i]);
      continue;
    }
    let command = lines[i].slice(2);
    const heredoc = /<<'(\w+)'$/.exec(command);
    if (heredoc) while (lines[++i] !== heredoc[1]) command += `\n${lines[i]}`;
    if (heredoc) command += `\n${heredoc[1]}`;
    out.push({ command, output: [] });
  }
  return out;
}

/** Does `actual` read as `expected`, where `…` stands for anything and a line `…` alone for the rest? */
function matches(actual: string[], expected: string[]): void {
  for (const [i, line] of expected.entries()) {
    if (line === '…') return;
    const pattern = new RegExp(`^${line.split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    expect(actual[i], `line ${i + 1} of the output`).to.match(pattern);
  }
  expect(actual.length, `the output has ${expected.length} lines`).to.equal(expected.length);
}

describe('README: build your own API, and test it', function () {
  this.timeout(120_000);
  const readme = readFileSync('README.md', 'utf8');
  const template = readFileSync('docs/README.template.md', 'utf8');
  let scratch: string;
  let server: ChildProcess | undefined;
  before(() => {
    mkdirSync(join(ROOT, '.scratch'), { recursive: true });
    // Inside the repository, so that `npx rung` and `npx mocha` find this checkout, as in the README.
    scratch = mkdtempSync(join(ROOT, '.scratch', 'readme-'));
  });
  after(() => {
    if (server?.pid) process.kill(-server.pid, 'SIGTERM'); // npx and the node process it started
    rmSync(scratch, { recursive: true, force: true });
  });

  it('the template and README.md say the same in both sections', () => {
    for (const title of ['Build your own API', 'Testing your API']) expect(section(template, title)).to.equal(section(readme, title));
  });

  /** Run a command in `cwd` as bash would; returns its output lines and the folder it ends in. */
  function shell(command: string, cwd: string): { lines: string[]; cwd: string } {
    const script = `cd ${JSON.stringify(cwd)} || exit 1\n${command}\nstatus=$?\nprintf '\\n@@PWD@@%s' "$(pwd)"\nexit $status`;
    const res = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    expect(res.status, `${command}\n${res.stderr}`).to.equal(0);
    const at = res.stdout.lastIndexOf('\n@@PWD@@');
    const out = res.stdout.slice(0, at).replace(/\n$/, '');
    return { lines: out === '' ? [] : out.split('\n'), cwd: res.stdout.slice(at + '\n@@PWD@@'.length) };
  }

  it('every command of "Build your own API" prints what the README shows, and the README\'s test passes', async () => {
    let cwd = scratch;
    let port = '';
    const local = (text: string) => (port ? text.replace(/:3000\b/g, `:${port}`) : text);
    const build = section(readme, 'Build your own API');
    // The block of problems is output only; it is checked in the next test.
    const runnable = blocks(build).filter((b) => b.lang === '' && !b.text.startsWith('rung: '));
    expect(runnable.length).to.equal(6);
    for (const block of runnable) {
      const list = block.text.startsWith('$ ') ? steps(block.text) : [{ command: block.text.trimEnd(), output: [] }];
      for (const { command, output } of list) {
        if (!command.startsWith('npx rung serve')) {
          const ran = shell(local(command), cwd);
          cwd = ran.cwd;
          matches(ran.lines, output.map(local));
          if (command === 'npx rung init') expect(readFileSync(join(cwd, 'api.yaml'), 'utf8')).to.equal(STARTER_API);
          continue;
        }
        // In the foreground for a reader; here in the background, in its own process group.
        server = spawn('bash', ['-c', command], { cwd, env: { ...process.env, PORT: '0' }, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
        const first = await new Promise<string>((resolve, reject) => {
          let buffer = '';
          server!.stdout!.on('data', (d) => {
            buffer += d;
            if (buffer.includes('\n')) resolve(buffer.split('\n')[0]);
          });
          server!.once('exit', (code) => reject(new Error(`${command} exited with ${code}`)));
        });
        port = /127\.0\.0\.1:(\d+)/.exec(first)![1];
        matches([first], output.map(local));
      }
    }
    expect(port, 'the server was started').to.not.equal('');

    // "Testing your API": the test file beside api.yaml, run with the README's command.
    const testing = blocks(section(readme, 'Testing your API'));
    const code = testing.find((b) => b.lang === 'ts')!.text;
    // Until the package exports itself (package.json "exports"), `from 'rung'` names this checkout's entry.
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    const entry = pkg.exports ? 'rung' : join(ROOT, 'src', 'index.js');
    writeFileSync(join(cwd, 'books.test.ts'), code.replace("from 'rung';", `from '${entry}';`));
    const [run] = steps(testing.find((b) => b.lang === '' && b.text.startsWith('$ '))!.text);
    const res = spawnSync('bash', ['-c', run.command], { cwd, encoding: 'utf8' });
    expect(res.status, res.stdout + res.stderr).to.equal(0);
    expect(res.stdout).to.match(/^\s+2 passing/m);
    expect(res.stdout).to.not.match(/failing/);
  });

  it('the problems it shows are what rung serve prints for such a file', () => {
    const block = blocks(section(readme, 'Build your own API')).find((b) => b.text.startsWith('rung: '))!;
    const dir = mkdtempSync(join(scratch, 'bad-'));
    // A file with exactly the two mistakes shown: line 7 and line 9.
    writeFileSync(
      join(dir, 'api.yaml'),
      ['resources:', '  Book:', '    segment: books', '    fields:', '      title: string', '    sort: [title]', '    filters: [titel]', '    relations:', '      author: { resource: Autor }', ''].join('\n'),
    );
    const res = spawnSync('bash', ['-c', 'npx rung serve api.yaml'], { cwd: dir, encoding: 'utf8' });
    expect(res.status).to.equal(1);
    expect(res.stderr).to.equal(block.text);
  });
});
