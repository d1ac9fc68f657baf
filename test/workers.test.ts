/**
 * Issue 13 §3: `rung serve --workers N` (the compiled CLI, bin/rung.js, as
 * users run it): N processes answer on one port, a write through one is
 * read through another, a worker that dies is replaced, and SIGTERM on the
 * primary lets every worker finish its requests in flight, then exits 0.
 *
 * Which worker answered is read from the request log (each line carries the
 * worker's pid under --workers); requests go on fresh connections (no
 * keep-alive) so the primary hands them to the workers in turn.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE_FLAGS, withNodeFlags } from '../src/cli/node-flags.js';
import { parseWorkers, restartDelay } from '../src/cli/workers.js';
import { startCli, type Child } from './helpers.js';

describe("Rung's V8 flags (node-flags.ts)", () => {
  const cases: [string[], string[]][] = [
    [[], [...NODE_FLAGS]],
    [['--inspect'], ['--inspect', ...NODE_FLAGS]],
    [['--max-semi-space-size=16'], ['--max-semi-space-size=16']],
    [[...NODE_FLAGS], [...NODE_FLAGS]],
  ];
  for (const [given, expected] of cases) {
    it(`${JSON.stringify(given)} → ${JSON.stringify(expected)}`, () => expect(withNodeFlags(given)).to.deep.equal(expected));
  }
  it('npm start and npm run dev pass them to node', () => {
    const scripts = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['start', 'dev']) {
      const node = scripts[name].split(' ').slice(scripts[name].split(' ').indexOf('node'));
      for (const flag of NODE_FLAGS) expect(node, `scripts.${name}`).to.include(flag);
    }
  });
});

describe('--workers rules', () => {
  const valid: [string | undefined, number | undefined][] = [
    [undefined, undefined],
    ['1', 1],
    ['2', 2],
    [' 3 ', 3],
    ['256', 256],
    ['auto', 6],
    ['AUTO', 6],
  ];
  for (const [value, expected] of valid) {
    it(`${JSON.stringify(value)} → ${expected} (on 6 cores)`, () => expect(parseWorkers(value, 6)).to.equal(expected));
  }
  for (const value of ['0', '-1', '1.5', 'two', '', '257', '2x']) {
    it(`"${value}" is a usage error`, () =>
      expect(() => parseWorkers(value, 6)).to.throw(`--workers must be a whole number 1–256 or "auto" (one per core), not "${value}"`));
  }
  it('a worker that ran a while is replaced at once; quick deaths in a row back off to 30 s', () => {
    expect([0, 1, 2, 3, 4, 10, 100].map(restartDelay)).to.deep.equal([0, 100, 200, 400, 800, 30_000, 30_000]);
  });
});

interface Answer {
  status: number;
  body: string;
  location?: string;
}

/** One request on a connection of its own (no agent, no keep-alive). */
function fresh(url: string, requestId: string, method = 'GET', body?: object): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body && JSON.stringify(body);
    const headers: Record<string, string> = { 'X-Request-Id': requestId, Accept: 'application/json' };
    if (payload) headers['Content-Type'] = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
    const req = httpRequest(url, { method, agent: false, headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: text, location: res.headers.location }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** The pid of the worker that logged the request with this id. */
function workerOf(child: Child, requestId: string): number | undefined {
  for (const line of child.lines) {
    if (!line.includes(requestId)) continue;
    const entry = JSON.parse(line);
    if (entry.requestId === requestId && entry.method) return entry.pid;
  }
  return undefined;
}

async function until<T>(probe: () => T | undefined, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const startedWorkers = (child: Child) =>
  child.lines.filter((l) => l.includes('"worker started"')).map((l) => JSON.parse(l).worker as number);

describe('rung serve --workers 2', function () {
  this.timeout(120_000);
  let dir: string;
  let rung: Child;
  let seq = 0;
  const id = () => `workers-${process.pid}-${++seq}`;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rung-workers-'));
    rung = await startCli(['--db', join(dir, 'workers.db'), '--anonymous', 'write', '--rate-limit', 'off', '--workers', '2'], {}, [
      process.execPath,
      ['bin/rung.js', 'serve', '--port', '0'],
    ]);
  });

  after(async () => {
    if (rung && rung.process.exitCode === null && rung.process.signalCode === null) {
      rung.process.kill('SIGTERM');
      await rung.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints one listening line naming the workers, and two worker processes answer', async () => {
    expect(rung.lines.filter((l) => l.startsWith('Rung listening on'))).to.have.length(1);
    expect(rung.lines.find((l) => l.startsWith('Rung listening on'))).to.match(/\(database: .*workers\.db, workers: 2\)$/);
    const ids = Array.from({ length: 30 }, id);
    for (const requestId of ids) expect((await fresh(`${rung.url}/countries/1`, requestId)).status).to.equal(200);
    const pids = await until<Set<number | undefined>>(() => {
      const found = ids.map((r) => workerOf(rung, r));
      return found.every((p) => p !== undefined) ? new Set(found) : undefined;
    }, 'every request in the log');
    expect(pids.size, 'distinct workers').to.equal(2);
    expect(pids.has(rung.process.pid!), 'the primary answers nothing').to.equal(false);
    for (const pid of pids) expect(startedWorkers(rung)).to.include(pid);
    // The primary was started without Rung's V8 flags; its workers run with them (src/cli/node-flags.ts).
    for (const pid of pids) expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'), `worker ${pid}'s command line`).to.include.members([...NODE_FLAGS]);
  });

  it('reads its writes across workers: 60 rounds of create, read, update, read, each on a new connection', async () => {
    let crossed = 0;
    for (let round = 0; round < 60; round++) {
      const post = id();
      const created = await fresh(`${rung.url}/countries`, post, 'POST', { name: `Round ${round}` });
      expect(created.status).to.equal(201);
      const path = new URL(created.location!).pathname;
      const read = id();
      const first = await fresh(`${rung.url}${path}`, read);
      expect(first.status).to.equal(200);
      expect(JSON.parse(first.body).name).to.equal(`Round ${round}`);
      const patch = id();
      expect((await fresh(`${rung.url}${path}`, patch, 'PATCH', { capital: `Capital ${round}` })).status).to.equal(200);
      const reread = id();
      const second = await fresh(`${rung.url}${path}`, reread);
      expect(JSON.parse(second.body)).to.include({ name: `Round ${round}`, capital: `Capital ${round}` });
      const [a, b, c, d] = await until(() => {
        const p = [post, read, patch, reread].map((r) => workerOf(rung, r));
        return p.every((x) => x !== undefined) ? p : undefined;
      }, 'the round in the log');
      if (a !== b) crossed++;
      if (c !== d) crossed++;
    }
    expect(crossed, 'reads served by another worker than the write').to.be.greaterThan(20);
  });

  it('replaces a worker killed with SIGKILL; the API keeps answering', async () => {
    const before = new Set(startedWorkers(rung));
    const victim = [...before][0];
    process.kill(victim, 'SIGKILL');
    const replacement = await until(() => startedWorkers(rung).find((p) => !before.has(p)), 'a replacement worker');
    expect(rung.lines.some((l) => l.includes('"worker exited; replacing it"') && JSON.parse(l).worker === victim)).to.equal(true);
    // The replacement answers once it listens.
    const served = new Set<number>();
    for (let i = 0; i < 200 && !served.has(replacement); i++) {
      const requestId = id();
      expect((await fresh(`${rung.url}/countries/1`, requestId)).status).to.equal(200);
      const pid = await until(() => workerOf(rung, requestId), 'the request in the log');
      served.add(pid);
      if (!served.has(replacement)) await new Promise((r) => setTimeout(r, 50));
    }
    expect(served.has(replacement), 'the replacement answers').to.equal(true);
    expect(served.has(victim)).to.equal(false);
  });

  it('SIGTERM on the primary: a request in flight completes, then every process exits 0', async () => {
    const workers = startedWorkers(rung).filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    // A POST whose body is only half sent: a request in flight in some worker.
    const url = new URL(rung.url);
    const body = JSON.stringify({ name: 'Sent during shutdown' });
    const socket = connect(Number(url.port), url.hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    let response = '';
    socket.on('data', (d) => (response += d));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write(
      `POST /countries HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 300));
    rung.process.kill('SIGTERM');
    await until(() => rung.lines.filter((l) => l.includes('"shutting down"')).length >= workers.length || undefined, 'the workers to start draining');
    socket.write(body.slice(10));
    await closed;
    expect(response).to.match(/^HTTP\/1\.1 201 /);
    const { code } = await rung.exited;
    expect(code).to.equal(0);
    for (const pid of workers) expect(() => process.kill(pid, 0), `worker ${pid} is gone`).to.throw();
  });
});

describe('rung serve --workers: usage errors', function () {
  this.timeout(60_000);
  for (const [args, message] of [
    [['--workers', 'many'], '--workers must be a whole number 1–256 or "auto" (one per core), not "many"'],
    [['--workers', '2', '--db', ':memory:'], '--workers needs a database file'],
  ] as [string[], string][]) {
    it(`${args.join(' ')}: exit 1 and one line`, () => {
      const out = spawnSync(process.execPath, ['bin/rung.js', 'serve', '--port', '0', ...args], { encoding: 'utf8' });
      expect(out.status).to.equal(1);
      expect(out.stderr).to.include(message);
    });
  }
  it('RUNG_WORKERS is read like --workers', () => {
    const out = spawnSync(process.execPath, ['bin/rung.js', 'serve', '--port', '0'], { encoding: 'utf8', env: { ...process.env, RUNG_WORKERS: '0' } });
    expect(out.status).to.equal(1);
    expect(out.stderr).to.include('not "0"');
  });
});
