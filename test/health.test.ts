/**
 * Issue 15 §3: liveness and readiness probes, and a shutdown that stops
 * accepting connections, lets requests in flight finish (within a timeout
 * it then enforces), closes the database and exits 0.
 */
import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { healthAnswer, probeOf, type HealthState, type Probe } from '../src/http/health.js';
import { defineResource, type Store } from '../src/index.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { CLI, startCli, startTestApi, type TestApi } from './helpers.js';

describe('health rules', () => {
  const cases: [Probe, HealthState, number][] = [
    ['live', { draining: false }, 200],
    ['live', { draining: true }, 200],
    ['live', { draining: false, storeFailure: 'gone' }, 200],
    ['ready', { draining: false }, 200],
    ['ready', { draining: true }, 503],
    ['ready', { draining: false, storeFailure: 'gone' }, 503],
    ['ready', { draining: true, storeFailure: 'gone' }, 503],
  ];
  for (const [probe, state, status] of cases) {
    it(`${probe} with ${JSON.stringify(state)} → ${status}`, () => {
      const answer = healthAnswer(probe, state);
      if (status === 200) expect(answer).to.deep.equal({ status: 'pass' });
      else {
        expect(answer).to.be.instanceOf(Error);
        const error = answer as unknown as { status: number; headers: Record<string, string>; type: string; expose: boolean };
        expect(error.status).to.equal(503);
        expect(error.headers['Retry-After']).to.equal('5');
        expect(error.type).to.equal('service-unavailable');
        expect(error.expose).to.equal(true);
      }
    });
  }

  it('only the two probe paths are probes', () => {
    expect(['/health/live', '/health/ready', '/health', '/health/', '/health/live/', '/healthy', '/countries'].map(probeOf)).to.deep.equal([
      'live',
      'ready',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('GET /health/live and /health/ready', function () {
  this.timeout(30_000);
  let api: TestApi;
  beforeEach(async () => {
    // Tokens required for everything and a quota of 2 requests: the probes need neither.
    api = await startTestApi({ seed: false, auth: { anonymous: 'none' }, rateLimit: { requests: 2, window: 60 } });
  });
  afterEach(() => api.close());

  for (const path of ['/health/live', '/health/ready']) {
    it(`${path}: 200 application/health+json {"status":"pass"}, no-store, anonymous, not rate limited`, async () => {
      for (let i = 0; i < 5; i++) {
        const res = await api.http.get(path).expect(200);
        expect(res.headers['content-type']).to.equal('application/health+json');
        expect(res.headers['cache-control']).to.equal('no-store');
        expect(res.headers).to.not.have.property('ratelimit');
        expect(res.headers).to.not.have.property('etag');
        expect(JSON.parse(res.text)).to.deep.equal({ status: 'pass' });
      }
      // The API itself still needs a token.
      expect((await api.http.get('/countries')).status).to.equal(401);
    });

    it(`${path}: HEAD answers like GET without a body; OPTIONS lists Allow; POST is 405`, async () => {
      const head = await api.http.head(path).expect(200);
      expect(head.headers['content-type']).to.equal('application/health+json');
      expect(head.text ?? '').to.equal('');
      const options = await api.http.options(path).expect(204);
      expect(options.headers.allow).to.equal('GET, HEAD, OPTIONS');
      const post = await api.http.post(path).send({}).expect(405);
      expect(post.headers.allow).to.equal('GET, HEAD, OPTIONS');
      expect(post.headers['content-type']).to.equal('application/problem+json');
    });
  }

  it('/health itself and other paths under it are no probes: they need a token like the API, then are 404', async () => {
    await api.http.get('/health').expect(401);
    const open = await startTestApi({ seed: false });
    try {
      await open.http.get('/health').expect(404);
      await open.http.get('/health/other').expect(404);
    } finally {
      await open.close();
    }
  });

  it('readiness is 503 problem+json with Retry-After once the database is closed; liveness stays 200', async () => {
    (api.rung.store as SqliteStore).db.close();
    const ready = await api.http.get('/health/ready').expect(503);
    expect(ready.headers['content-type']).to.equal('application/problem+json');
    expect(ready.headers['retry-after']).to.equal('5');
    expect(ready.headers['cache-control']).to.equal('no-store');
    expect(ready.body.type).to.match(/\/problems\/service-unavailable$/);
    expect(ready.body.detail).to.equal('The database does not answer; this instance cannot serve requests for the moment.');
    await api.http.get('/health/live').expect(200);
  });

  it('readiness is 503 while the server drains', async () => {
    api.rung.runtime.draining = true;
    const ready = await api.http.get('/health/ready').expect(503);
    expect(ready.body.detail).to.match(/shutting down/);
    await api.http.get('/health/live').expect(200);
    api.rung.runtime.draining = false;
    await api.http.get('/health/ready').expect(200);
  });
});

describe('where the probes are documented', function () {
  this.timeout(30_000);
  it('the OpenAPI document lists them (anonymous, tag Health); the entry point and the Hydra documentation do not', async () => {
    const api = await startTestApi({ seed: false });
    try {
      const openapi = (await api.http.get('/openapi.json').expect(200)).body;
      for (const path of ['/health/live', '/health/ready']) {
        expect(openapi.paths[path].get.tags).to.deep.equal(['Health']);
        expect(openapi.paths[path].get.security).to.deep.equal([]);
        expect(openapi.paths[path].get.responses[200].content).to.have.key('application/health+json');
      }
      expect(openapi.paths['/health/ready'].get.responses).to.have.keys('200', '503');
      for (const path of ['/', '/docs']) {
        const res = await api.http.get(path).set('Accept', 'application/ld+json').expect(200);
        expect(res.text, path).to.not.include('health');
      }
    } finally {
      await api.close();
    }
  });
});

describe('readiness with a store whose ping fails or hangs', function () {
  this.timeout(30_000);
  it('a rejecting ping and a ping that never answers are both 503; a ping that recovers is 200 again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rung-ping-'));
    const real = new SqliteStore({ path: join(dir, 'ping.db') });
    let mode: 'ok' | 'reject' | 'hang' = 'ok';
    // A double: the real store, but its ping obeys `mode`.
    const store = new Proxy(real, {
      get(target, key, receiver) {
        if (key === 'ping') {
          return () =>
            mode === 'ok' ? target.ping() : mode === 'reject' ? Promise.reject(new Error('connection refused')) : new Promise<void>(() => {});
        }
        const value = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Store;
    const api = await startTestApi({ store, seed: false });
    try {
      await api.http.get('/health/ready').expect(200);
      mode = 'reject';
      await api.http.get('/health/ready').expect(503);
      mode = 'hang';
      const hung = await api.http.get('/health/ready').expect(503);
      expect(hung.headers['retry-after']).to.equal('5');
      mode = 'ok';
      await api.http.get('/health/ready').expect(200);
    } finally {
      await api.close();
      await real.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the health segment is reserved', () => {
  it('no resource may be named /health', async () => {
    const { createRung } = await import('../src/index.js');
    const health = defineResource({ name: 'Health', segment: 'health', context: 'slow.jsonld', schema: { type: 'object', properties: {} } });
    let error: Error | undefined;
    await createRung({ resources: [health], db: ':memory:', contextsDir: 'test/fixtures/contexts' }).catch((e) => (error = e));
    expect(error?.message).to.match(/the segment "health" is a path Rung serves itself .*\/health/);
  });
});

/** Start test/fixtures/slow-server.ts; resolves with its URL and its stderr so far. */
function startSlowServer(db: string, graceMs: number, slowMs: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/slow-server.ts', db, String(graceMs)], {
    env: { ...process.env, SLOW_MS: String(slowMs) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const out = { stderr: '' };
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      out.stderr += d;
      const m = /^url (\S+)$/m.exec(out.stderr);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out.stderr}`)));
  });
  return { child, out, exited, url };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

/** A GET on a new connection (no agent, no keep-alive): its status, or the socket error's code. */
function freshGet(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    req.end();
  });
}

describe('SIGTERM on a real process', function () {
  this.timeout(60_000);
  let dir: string;
  let child: ChildProcess | undefined;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'rung-sigterm-'))));
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses new connections at once, finishes the request in flight, closes the database and exits 0', async () => {
    const server = startSlowServer(join(dir, 'slow.db'), 10_000, 3000);
    child = server.child;
    const url = await server.url;
    expect(await freshGet(`${url}/health/ready`)).to.equal(200);
    const inFlight = freshGet(`${url}/slow`);
    await until(() => server.out.stderr.includes('slow started'), 'the slow request to start');
    child.kill('SIGTERM');
    // The listening socket closes while the slow request still runs.
    let refused: number | string = 0;
    for (let i = 0; i < 40 && refused !== 'ECONNREFUSED'; i++) {
      refused = await freshGet(`${url}/health/live`);
      if (refused !== 'ECONNREFUSED') await new Promise((r) => setTimeout(r, 10));
    }
    expect(refused).to.equal('ECONNREFUSED');
    expect(server.out.stderr, `still serving the slow request: ${server.out.stderr}`).to.not.include("store");
    expect(await inFlight).to.equal(200);
    expect(await server.exited).to.equal(0);
    expect(server.out.stderr).to.include('store closed');
  });

  it('closes the connections of requests still running after the shutdown timeout, then exits 0', async () => {
    const server = startSlowServer(join(dir, 'slow.db'), 300, 20_000);
    child = server.child;
    const url = await server.url;
    const inFlight = freshGet(`${url}/slow`);
    await until(() => server.out.stderr.includes('slow started'), 'the slow request to start');
    child.kill('SIGTERM');
    expect(await inFlight).to.equal('ECONNRESET');
    expect(await server.exited).to.equal(0);
    expect(server.out.stderr).to.include('store closed');
  });
});

describe('rung serve --shutdown-timeout', () => {
  for (const value of ['soon', '-1', '']) {
    it(`"${value}" is a usage error`, () => {
      const out = spawnSync(process.execPath, [...CLI, 'serve', '--port', '0', '--db', ':memory:', '--shutdown-timeout', value], { encoding: 'utf8' });
      expect(out.status).to.equal(1);
      expect(out.stderr).to.include(`--shutdown-timeout must be a number of seconds ≥ 0, not ${value}`);
    });
  }
});

describe('rung serve --cache-size', () => {
  for (const value of ['big', '-2', '']) {
    it(`"${value}" is a usage error`, () => {
      const out = spawnSync(process.execPath, [...CLI, 'serve', '--port', '0', '--db', ':memory:', '--cache-size', value], { encoding: 'utf8' });
      expect(out.status).to.equal(1);
      expect(out.stderr).to.include(`--cache-size must be a number of MiB ≥ 0, not ${value}`);
    });
  }

  it('a small cache still answers every request, and the same bytes twice', async () => {
    const server = await startCli(['--db', ':memory:', '--cache-size', '0.5', '--log-level', 'silent']);
    try {
      const first = await fetch(`${server.url}/countries/3`, { headers: { Accept: 'application/ld+json' } });
      const second = await fetch(`${server.url}/countries/3`, { headers: { Accept: 'application/ld+json' } });
      expect(first.status).to.equal(200);
      expect(second.status).to.equal(200);
      expect(second.headers.get('etag')).to.equal(first.headers.get('etag'));
      expect(await second.text()).to.equal(await first.text());
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
  });
});
