/**
 * Issue 9 §1: Rung as an npm package. `npm pack` (which builds through
 * `prepare`), install the tarball into a scratch project outside the
 * repository, run an API from it with plain `node` (no tsx), run its `rung`
 * command, and type-check TypeScript that imports it.
 *
 * Speed: the install reads the npm cache (`--prefer-offline`) and runs no
 * install scripts: the only runtime dependency with one is better-sqlite3,
 * whose script compiles SQLite for about a minute. The scratch project pins
 * better-sqlite3 to the version this repository built, and gets this
 * repository's compiled addon copied in instead. Every other dependency is
 * installed from the tarball's package.json.
 */
import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve('.');
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

function run(command: string, args: string[], cwd: string): string {
  const out = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error' } });
  if (out.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${out.status}:\n${out.stdout}\n${out.stderr}`);
  return out.stdout;
}

interface Started {
  child: ChildProcess;
  url: string;
  /** Every stdout line so far. */
  lines: string[];
  exited: Promise<number | null>;
}

/** Start a process and wait for a stdout line announcing `Rung listening on <url>` (plain or in a JSON log line). */
function startListening(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((done, fail) => {
    let buffer = '';
    child.stdout!.on('data', (data) => {
      buffer += data;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        lines.push(buffer.slice(0, nl));
        const m = /Rung listening on (http:\/\/[^\s"()]+)/.exec(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        if (m) done({ child, url: m[1], lines, exited });
      }
    });
    child.once('exit', (code) => fail(new Error(`${command} ${args.join(' ')} exited ${code}:\n${lines.join('\n')}\n${stderr}`)));
  });
}

async function stop(started: Started): Promise<number | null> {
  started.child.kill('SIGTERM');
  return started.exited;
}

const APP = `// A user's API, in plain JavaScript, importing the installed package.
import { createRung, defineResource, startServer } from 'rung';

const note = defineResource({
  name: 'Note',
  segment: 'notes',
  context: 'note.jsonld',
  schema: {
    type: 'object',
    properties: { text: { type: 'string', minLength: 1 }, stars: { type: 'integer', minimum: 0 } },
    required: ['text'],
  },
  filters: ['stars'],
});

const rung = await createRung({ resources: [note], db: './data/notes.db', title: 'Notes', auth: { anonymous: 'write' } });
const running = await startServer(rung, { port: 0 });
process.once('SIGTERM', () => running.stop().then(() => process.exit(0)));
`;

const CONTEXT = { '@context': { Note: 'schema:NoteDigitalDocument', text: 'schema:text', stars: 'vocab:stars' } };

/** TypeScript a user writes against the package's declarations; must compile under strict. */
const TYPED = `import { createRung, defineResource, startServer, HttpError, SqliteStore, type Rung, type RunningServer, type ResourceDefinition } from 'rung';

const note: ResourceDefinition = defineResource({
  name: 'Note',
  segment: 'notes',
  context: 'note.jsonld',
  schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  handlers: {
    item: {
      async delete() {
        throw new HttpError(405, { detail: 'notes are kept', headers: { Allow: 'GET' } });
      },
    },
  },
});
const rung: Rung = await createRung({ resources: [note], db: ':memory:' });
const running: RunningServer = await startServer(rung, { port: 0, logLevel: 'silent' });
const url: string = running.url;
const callback: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void = rung.app.callback();
console.log(url, callback);
await running.stop();

// The types Rung's declarations refer to are installed with it; without them these would be \`any\` and the directives unused.
// @ts-expect-error Koa has no such method
rung.app.notAKoaMethod();
// @ts-expect-error better-sqlite3 has no such method
new SqliteStore({ path: ':memory:' }).db.notASqliteMethod();
`;

/** The same, with two type errors the declarations must catch. */
const MISTYPED = `import { defineResource, startServer } from 'rung';
defineResource({ name: 42, segment: 'notes', context: 'note.jsonld', schema: { type: 'object' } });
declare const rung: Parameters<typeof startServer>[0];
await startServer(rung, { port: '3000' });
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    // As `tsc --init` sets it (and 3 times faster here); the @ts-expect-error lines catch missing types.
    skipLibCheck: true,
  },
};

describe('the npm package', function () {
  this.timeout(180_000);
  let scratch: string;
  let packed: { filename: string; files: { path: string }[] };

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'rung-package-'));
    // --json prints the tarball's description; the build's own output comes before it.
    const out = run('npm', ['pack', '--json', '--pack-destination', scratch], ROOT);
    packed = JSON.parse(out.slice(out.indexOf('[\n')))[0];
    const sqlite = (dir: string) => JSON.parse(readFileSync(join(dir, 'node_modules/better-sqlite3/package.json'), 'utf8')).version;
    const dependencies = { 'better-sqlite3': sqlite(ROOT) };
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch-api', private: true, type: 'module', dependencies }));
    run('npm', ['install', `./${packed.filename}`, '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], scratch);
    expect(sqlite(scratch)).to.equal(sqlite(ROOT));
    const addon = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    mkdirSync(join(scratch, addon, '..'), { recursive: true });
    cpSync(join(ROOT, addon), join(scratch, addon));
  });

  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('ships the compiled code, its declarations and assets, and no tests, benchmark, sources or pictures', () => {
    const paths = packed.files.map((f) => f.path);
    for (const path of ['package.json', 'README.md', 'bin/rung.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/rung.js', 'dist/formats/html/rung.css', 'dist/formats/html/rung.js', 'contexts/rung.jsonld', 'contexts/country.jsonld']) {
      expect(paths, path).to.include(path);
    }
    const unwanted = paths.filter((p) => /^(test|bench|docs|src|scripts|\.scratch|node_modules)\/|\.(png|ts)$|tsbuildinfo/.test(p) && !p.endsWith('.d.ts'));
    expect(unwanted).to.deep.equal([]);
    const manifest = JSON.parse(readFileSync(join(scratch, 'node_modules/rung/package.json'), 'utf8'));
    expect(manifest.private).to.equal(undefined);
    expect(manifest.exports['.']).to.deep.equal({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(Object.keys(manifest.dependencies)).to.not.include('tsx');
    expect(existsSync(join(scratch, 'node_modules/tsx')), 'tsx is not installed with Rung').to.equal(false);
  });

  it('runs a user API with plain node: create and read through HTTP, one log line per request', async () => {
    writeFileSync(join(scratch, 'app.mjs'), APP);
    mkdirSync(join(scratch, 'contexts'), { recursive: true });
    writeFileSync(join(scratch, 'contexts/note.jsonld'), JSON.stringify(CONTEXT));
    // Plain node, no loader: tsx is not even installed in the scratch project (see above).
    const api = await startListening(process.execPath, ['app.mjs'], scratch, { LOG_LEVEL: 'info' });
    let location = '';
    try {
      const created = await fetch(`${api.url}/notes`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text: 'Packed and installed', stars: 5 }),
      });
      expect(created.status).to.equal(201);
      location = created.headers.get('location')!;
      expect(location).to.match(new RegExp(`^${api.url}/notes/\\d+$`));
      const etag = created.headers.get('etag');
      expect(etag).to.match(/^"[^"]+"$/);

      const read = await fetch(location);
      expect(read.status).to.equal(200);
      expect(read.headers.get('content-type')).to.equal('application/ld+json');
      expect(read.headers.get('etag')).to.equal(etag);
      expect(await read.json()).to.deep.include({ '@id': location, '@type': 'Note', text: 'Packed and installed', stars: 5 });

      const bad = await fetch(`${api.url}/notes`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"stars": -1}' });
      expect(bad.status).to.equal(422);
      expect(bad.headers.get('content-type')).to.equal('application/problem+json');

      const filtered = await (await fetch(`${api.url}/notes?stars=5`)).json();
      expect(filtered.totalItems).to.equal(1);
      expect(filtered.member[0]['@id']).to.equal(location);
    } finally {
      expect(await stop(api)).to.equal(0);
    }
    const log = api.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(log[0]).to.include({ msg: `Rung listening on ${api.url}`, url: api.url });
    expect(log.filter((e) => e.method).map((e) => `${e.method} ${e.path} ${e.status}`)).to.deep.equal([
      'POST /notes 201',
      `GET ${new URL(location).pathname} 200`,
      'POST /notes 422',
      'GET /notes 200',
    ]);
  });

  it('installs a `rung` command that serves the example API from any folder', async () => {
    const bin = join(scratch, 'node_modules/.bin/rung');
    const elsewhere = mkdtempSync(join(tmpdir(), 'rung-elsewhere-'));
    const cli = await startListening(bin, ['serve', '--port', '0', '--db', join(elsewhere, 'rung.db')], elsewhere, { LOG_LEVEL: 'silent' });
    try {
      const res = await fetch(`${cli.url}/countries?name=Thailand`, { headers: { Accept: 'application/ld+json' } });
      expect(res.status).to.equal(200);
      expect((await res.json()).member[0]).to.include({ '@type': 'Country', name: 'Thailand', capital: 'Bangkok' });
      const css = await fetch(`${cli.url}/assets/rung.css`);
      expect(css.status).to.equal(200);
      expect(css.headers.get('content-type')).to.equal('text/css; charset=utf-8');
    } finally {
      // The command is node itself (its shebang execs node): SIGTERM to its PID stops the server.
      expect(await stop(cli)).to.equal(0);
      rmSync(elsewhere, { recursive: true, force: true });
    }
    const refused = await fetch(cli.url).then(() => false, () => true);
    expect(refused, 'nothing listens after SIGTERM').to.equal(true);
  });

  it('type-checks TypeScript that imports it, and its declarations catch mistakes', () => {
    // One compiler run over both files: typed.ts must be clean, mistyped.ts must have exactly its two errors.
    writeFileSync(join(scratch, 'typed.ts'), TYPED);
    writeFileSync(join(scratch, 'mistyped.ts'), MISTYPED);
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({ ...TSCONFIG, files: ['typed.ts', 'mistyped.ts'] }));
    const out = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: scratch, encoding: 'utf8' });
    expect(out.status).to.equal(2);
    const errors = out.stdout.split('\n').filter((l) => l.includes('error TS'));
    expect(errors.map((l) => l.replace(/: error TS(\d+):.*$/, ' TS$1').replace(/,\d+\)/, ')')), out.stdout).to.deep.equal([
      'mistyped.ts(2) TS2322',
      'mistyped.ts(4) TS2322',
    ]);
    expect(errors[0]).to.include("Type 'number' is not assignable to type 'string'");
    expect(errors[1]).to.include("Type 'string' is not assignable to type 'number'");
  });
});
