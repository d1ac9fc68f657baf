/**
 * Issue 2 §5–6: persistence across restarts and kill -9, the CLI, request
 * logging, and a clean SIGTERM that finishes requests in flight.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineResource } from '../src/index.js';
import { CLI, startCli, startLiveApi } from './helpers.js';

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

describe('npm start', function () {
  this.timeout(60_000);

  it('hands SIGTERM to the server: requests in flight finish, then nothing is left listening', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rung-npm-'));
    const npm = await startCli(['--', '--port', '0', '--db', join(dir, 'npm.db'), '--no-seed'], {}, ['npm', ['start', '--silent']]);
    try {
      const { port } = new URL(npm.url);
      const server = spawnSync('pgrep', ['-P', String(npm.process.pid)], { encoding: 'utf8' }).stdout.trim();
      // In flight: the request line and headers are sent, half of the body is not yet.
      const body = JSON.stringify({ name: 'Inflightia' });
      const socket = connect(Number(port), '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(`POST /countries HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
      let answer = '';
      socket.on('data', (d) => (answer += d));
      const closed = new Promise((resolve) => socket.once('close', resolve));
      await new Promise((r) => setTimeout(r, 200));

      npm.process.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      socket.end(body.slice(5));
      await closed;
      expect(answer).to.match(/^HTTP\/1\.1 201 Created/);
      expect(answer).to.include('Inflightia');

      const { code } = await npm.exited;
      expect(code).to.equal(0);
      expect(server, 'npm started the server as its child').to.match(/^\d+$/);
      expect(() => process.kill(Number(server), 0), 'the server process is gone').to.throw();
      let refused = false;
      await fetch(npm.url).catch(() => (refused = true));
      expect(refused, 'nothing listens on the port').to.equal(true);
    } finally {
      npm.process.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
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

