/**
 * Shared test fixtures: the example API on a fresh temporary SQLite file,
 * driven in-process by supertest.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import supertest from 'supertest';
import { createExampleApi } from '../src/example/index.js';
import type { Rung, RungOptions } from '../src/index.js';

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
