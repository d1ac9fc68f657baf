/**
 * Shared test fixtures: the example API on a fresh temporary SQLite file,
 * driven in-process by supertest or served on a real loopback port, and a
 * jsonld.js document loader that reads the API's own contexts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import supertest from 'supertest';
import { createExampleApi } from '../src/example/index.js';
import { createRung, startServer, type ResourceDefinition, type Rung, type RungOptions, type RunningServer } from '../src/index.js';

export interface TestApi {
  rung: Rung;
  /** supertest agent bound to the app (in-process, no port). */
  http: ReturnType<typeof supertest>;
  dbPath: string;
  /** Base URL supertest's requests are made to (IRIs start with it). */
  base: string;
  close(): Promise<void>;
}

export async function startTestApi(options: Omit<RungOptions, 'resources'> & { seed?: boolean } = {}): Promise<TestApi> {
  const dir = mkdtempSync(join(tmpdir(), 'rung-test-'));
  const dbPath = join(dir, 'test.db');
  const rung = await createExampleApi({ db: dbPath, ...options });
  // One listening server, so every request (and every IRI) has the same origin.
  const server = createServer(rung.app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const http = supertest(server);
  const { port } = server.address() as AddressInfo;
  return {
    rung,
    http,
    dbPath,
    base: options.publicBaseUrl ?? `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rung.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface LiveApi {
  rung: Rung;
  /** Origin the server listens on, e.g. `http://127.0.0.1:40123` (no trailing slash). */
  url: string;
  /** supertest agent making real HTTP requests to `url`. */
  http: ReturnType<typeof supertest>;
  /** Graceful stop (safe to call again), then removes the temporary directory. */
  stop(): Promise<void>;
}

export type LiveApiOptions = Omit<RungOptions, 'resources' | 'db' | 'store'> & {
  /** Serve these resources (through createRung) instead of the example API. */
  resources?: ResourceDefinition[];
  /** Seed the example API's countries (default true; ignored with `resources`). */
  seed?: boolean;
  /** Grace period given to requests in flight on stop (ms). */
  shutdownGraceMs?: number;
};

/**
 * Start the example API (or `options.resources`) on a fresh temporary SQLite
 * file, listening on a random loopback port through the real `startServer`,
 * for clients that speak HTTP over a socket (fetch, alcaeus, ketting, a browser).
 */
export async function startLiveApi(options: LiveApiOptions = {}): Promise<LiveApi> {
  const { resources, shutdownGraceMs, ...rungOptions } = options;
  const dir = mkdtempSync(join(tmpdir(), 'rung-live-'));
  const db = join(dir, 'test.db');
  let rung: Rung;
  let server: RunningServer;
  try {
    // Resources of a test's own: an open API (as the example is), unless the test gives `auth`.
    rung = resources ? await createRung({ auth: { anonymous: 'write' }, ...rungOptions, resources, db }) : await createExampleApi({ ...rungOptions, db });
    server = await startServer(rung, { port: 0, host: '127.0.0.1', shutdownGraceMs, logLevel: 'silent' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    rung,
    url: server.url,
    http: supertest(server.url),
    stop: () => server.stop().then(() => rmSync(dir, { recursive: true, force: true })),
  };
}

/**
 * A jsonld.js document loader that fetches this API's contexts (`<base>/contexts/…`)
 * through `api.http` (in-process for startTestApi, over the socket for
 * startLiveApi), requires 200, and refuses any other URL.
 */
export function contextLoader(api: { base: string; http: ReturnType<typeof supertest> }) {
  return async (url: string) => {
    if (!new URL(url).href.startsWith(`${api.base}/contexts/`)) throw new Error(`Refusing to load ${url}`);
    const res = await api.http.get(pathOf(url)).set('Accept', 'application/ld+json').expect(200);
    return { contextUrl: undefined, documentUrl: url, document: res.body };
  };
}

/** Every row of every table, to compare stored state before and after a rejected request. */
export function snapshot(api: TestApi): Record<string, unknown[]> {
  const store = api.rung.runtime.store as unknown as { db: { prepare(sql: string): { all(): unknown[] } } };
  const out: Record<string, unknown[]> = {};
  for (const resource of api.rung.runtime.registry.resources) {
    out[resource.model.table] = store.db.prepare(`SELECT * FROM "${resource.model.table}" ORDER BY id`).all();
  }
  out.rung_collections = store.db.prepare('SELECT * FROM rung_collections ORDER BY name').all();
  return out;
}

/** The path part of an absolute IRI (supertest requests take paths). */
export const pathOf = (iri: string) => {
  const url = new URL(iri);
  return url.pathname + url.search;
};

/** Create a country and return its IRI path and body. */
export async function createCountry(api: TestApi, body: Record<string, unknown> = { name: 'Wakanda', capital: 'Birnin Zana', area: 1000 }) {
  const res = await api.http.post('/countries').set('Content-Type', 'application/json').send(body).expect(201);
  return { path: pathOf(res.headers.location), iri: res.headers.location as string, body: res.body, etag: res.headers.etag as string };
}

export async function createEvent(api: TestApi, countryIri: string, body: Record<string, unknown> = {}) {
  const res = await api.http
    .post('/events')
    .set('Content-Type', 'application/json')
    .send({ name: 'RestConf', startDate: '2027-05-01T09:00:00Z', location: countryIri, ...body })
    .expect(201);
  return { path: pathOf(res.headers.location), iri: res.headers.location as string, body: res.body, etag: res.headers.etag as string };
}

export async function createGuest(api: TestApi, eventPath: string, body: Record<string, unknown> = {}) {
  const res = await api.http
    .post(`${eventPath}/guests`)
    .set('Content-Type', 'application/json')
    .send({ name: 'Ada Lovelace', email: 'ada@example.org', ...body })
    .expect(201);
  return { path: pathOf(res.headers.location), iri: res.headers.location as string, body: res.body, etag: res.headers.etag as string };
}

export interface Child {
  process: ChildProcess;
  url: string;
  /** Every line the process printed on stdout so far. */
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The CLI as node arguments (tsx compiles it on load). */
export const CLI = ['--import', 'tsx', 'src/cli/rung.ts'];

/**
 * Run a command that starts Rung and wait for its "Rung listening on <url>"
 * line. By default `rung serve --port 0` through node; `command` runs
 * something else (e.g. `npm start`).
 */
export function startCli(
  args: string[],
  env: Record<string, string> = {},
  command: [string, string[]] = [process.execPath, [...CLI, 'serve', '--port', '0']],
): Promise<Child> {
  const child = spawn(command[0], [...command[1], ...args], {
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
