/**
 * Issue 2 §5–6: persistence across restarts and kill -9, the CLI, request
 * logging, and a clean SIGTERM that finishes requests in flight.
 */
import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineResource } from '../src/index.js';
import { startLiveApi } from './helpers.js';

interface Child {
  process: ChildProcess;
  url: string;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const CLI = ['--import', 'tsx', 'src/cli.ts'];

/** Start `rung serve` as a child process and wait for its address line. */
function startCli(args: string[], env: Record<string, string> = {}): Promise<Child> {
  const child = spawn(process.execPath, [...CLI, 'serve', '--port', '0', ...args], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    let buffer = '';
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdout!.on('data', (data) => {
      buffer += data;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        lines.push(line);
        const m = /^Rung listening on (http:\/\/\S+)/.exec(line);
        if (m) resolve({ process: child, url: m[1], lines, exited });
      }
    });
    child.once('exit', (code) => reject(new Error(`rung exited with ${code}: ${stderr}`)));
  });
}

describe('server process', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rung-server-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a write acknowledged with 201 survives kill -9, and a restart finds the data', async () => {
    const db = join(dir, 'rung.db');
    const first = await startCli(['--db', db]);
    const created = await fetch(`${first.url}/countries`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Durableland', capital: 'Walton', area: 42 }),
    });
    expect(created.status).to.equal(201);
    const location = new URL(created.headers.get('location')!).pathname;
    first.process.kill('SIGKILL');
    expect((await first.exited).signal).to.equal('SIGKILL');

    const second = await startCli([], { RUNG_DB: db });
    try {
      const res = await fetch(second.url + location, { headers: { Accept: 'application/ld+json' } });
      expect(res.status).to.equal(200);
      const body = await res.json();
      expect(body).to.include({ name: 'Durableland', capital: 'Walton', area: 42 });
      const all = await (await fetch(`${second.url}/countries?pageSize=1`)).json();
      expect(all.totalItems).to.equal(251); // seeded once, not twice, plus ours
    } finally {
      second.process.kill('SIGTERM');
      await second.exited;
    }
  });

  it('logs one structured line per request, and stops cleanly on SIGTERM', async () => {
    const child = await startCli(['--db', join(dir, 'log.db')]);
    const res = await fetch(`${child.url}/countries/1`, { headers: { 'X-Request-Id': 'test-request-42' } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('x-request-id')).to.equal('test-request-42');
    await fetch(`${child.url}/nowhere`);
    child.process.kill('SIGTERM');
    const { code } = await child.exited;
    expect(code).to.equal(0);
    const entries = child.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    const requests = entries.filter((e) => e.method);
    expect(requests).to.have.length(2);
    expect(requests[0]).to.include({ method: 'GET', path: '/countries/1', status: 200, requestId: 'test-request-42' });
    expect(requests[0].ms).to.be.a('number');
    expect(requests[1]).to.include({ method: 'GET', path: '/nowhere', status: 404 });
    expect(requests[1].requestId).to.match(/^[0-9a-f-]{36}$/);
  });

  it('RUNG_REQUIRE_PRECONDITIONS=1 and --require-preconditions make If-Match mandatory', async () => {
    for (const [args, env] of [[[], { RUNG_REQUIRE_PRECONDITIONS: '1' }], [['--require-preconditions'], {}]] as const) {
      const child = await startCli(['--db', join(dir, `pre-${args.length}.db`), ...args], { LOG_LEVEL: 'silent', ...env });
      try {
        const res = await fetch(`${child.url}/countries/1`, { method: 'DELETE' });
        expect(res.status).to.equal(428);
        expect(res.headers.get('content-type')).to.equal('application/problem+json');
      } finally {
        child.process.kill('SIGTERM');
        await child.exited;
      }
    }
  });

  it('LOG_LEVEL=silent turns request logging off', async () => {
    const child = await startCli(['--db', join(dir, 'quiet.db')], { LOG_LEVEL: 'silent' });
    await fetch(`${child.url}/`);
    child.process.kill('SIGTERM');
    await child.exited;
    expect(child.lines.filter((l) => l.startsWith('{'))).to.deep.equal([]);
  });

  it('--help documents every option and its environment variable', () => {
    const out = spawnSync(process.execPath, [...CLI, 'serve', '--help'], { encoding: 'utf8' });
    expect(out.status).to.equal(0);
    for (const word of ['--port', '--host', '--db', '--require-preconditions', '--log-level', '--public-base-url', '--body-limit', 'PORT', 'HOST', 'RUNG_DB', 'LOG_LEVEL', 'RUNG_REQUIRE_PRECONDITIONS', 'SIGTERM']) {
      expect(out.stdout, word).to.include(word);
    }
    const top = spawnSync(process.execPath, [...CLI, '--help'], { encoding: 'utf8' });
    expect(top.stdout).to.include('serve');
  });

  it('a bad --port is refused with a message', () => {
    const out = spawnSync(process.execPath, [...CLI, 'serve', '--port', 'abc'], { encoding: 'utf8' });
    expect(out.status).to.not.equal(0);
    expect(out.stderr).to.include('--port');
  });
});

describe('graceful shutdown', () => {
  it('finishes requests in flight, then closes', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const slow = defineResource({
      name: 'Slow',
      segment: 'slow',
      context: 'slow.jsonld',
      schema: { type: 'object', properties: { name: { type: 'string' } } },
      handlers: {
        collection: {
          async get(request) {
            await gate;
            return request.generic.collection.get(request);
          },
        },
      },
    });
    const running = await startLiveApi({ resources: [slow], contextsDir: 'test/fixtures/contexts' });
    try {
      const inFlight = fetch(`${running.url}/slow`);
      await new Promise((r) => setTimeout(r, 100));
      const stopped = running.stop();
      let stoppedYet = false;
      stopped.then(() => (stoppedYet = true));
      await new Promise((r) => setTimeout(r, 100));
      expect(stoppedYet, 'waits for the request in flight').to.equal(false);
      release();
      const res = await inFlight;
      expect(res.status).to.equal(200);
      expect((await res.json()).totalItems).to.equal(0);
      await stopped;
      let refused = false;
      await fetch(`${running.url}/slow`).catch(() => (refused = true));
      expect(refused, 'new connections refused after stop').to.equal(true);
    } finally {
      release();
      await running.stop();
    }
  });
});

