/**
 * Issue 10 §3: a write invalidates exactly what it changes — the item, its
 * collection pages, and the items whose state token includes its table — and
 * leaves every other cached response in place; across connections (processes)
 * on one SQLite file too, through the change log, and never stale.
 */
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore, type Store } from '../src/index.js';
import { createCountry, createEvent, startCli, startTestApi, type Child, type TestApi } from './helpers.js';

type Counted = 'get' | 'list' | 'collectionState' | 'isReferenced';

/** A store that counts its reads: a response served from the cache reads nothing. */
function countingStore(inner: Store) {
  const reads: Record<Counted, number> = { get: 0, list: 0, collectionState: 0, isReferenced: 0 };
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (!(property in reads)) return value.bind(target);
      return (...args: unknown[]) => {
        reads[property as Counted]++;
        return value.apply(target, args);
      };
    },
  });
  const total = () => Object.values(reads).reduce((a, b) => a + b, 0);
  return { store, reads, total };
}

/** GET, with the Accept header the cache keys responses by. */
const get = (api: TestApi, path: string, accept = 'application/ld+json') => api.http.get(path).set('Accept', accept);

/** GET twice: the response cache admits a response the second time it is made. */
async function cache(api: TestApi, path: string, accept = 'application/ld+json') {
  await get(api, path, accept).expect(200);
  return get(api, path, accept).expect(200);
}

const patch = (api: TestApi, path: string, body: Record<string, unknown>) =>
  api.http.patch(path).set('Content-Type', 'application/merge-patch+json').send(body).expect(200);

describe('invalidation as fine as the data', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rung-inval-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a write to one item leaves the cached responses of other items in place: they are served without reading the store', async () => {
    const sqlite = new SqliteStore({ path: join(dir, 'one.db') });
    const { store, reads, total } = countingStore(sqlite);
    const api = await startTestApi({ store, seed: false });
    try {
      const a = await createCountry(api, { name: 'Avalon', area: 1 });
      const b = await createCountry(api, { name: 'Brigadoon', area: 2 });
      const cachedA = await cache(api, a.path);
      const ttlA = await cache(api, a.path, 'text/turtle');

      const before = total();
      const hit = await get(api, a.path).expect(200);
      expect(total(), 'a cache hit reads nothing').to.equal(before);
      expect(hit.text).to.equal(cachedA.text);

      await patch(api, b.path, { area: 3 });
      const afterWrite = total();
      const stillA = await get(api, a.path).expect(200);
      const stillTtl = await get(api, a.path, 'text/turtle').expect(200);
      expect(total(), 'the write to B did not evict A').to.equal(afterWrite);
      expect(stillA.text).to.equal(cachedA.text);
      expect(stillA.headers.etag).to.equal(cachedA.headers.etag);
      expect(stillTtl.text).to.equal(ttlA.text);

      // B itself is read again and shows the write.
      const newB = await get(api, b.path).expect(200);
      expect(newB.body.area).to.equal(3);
      expect(reads.get).to.be.greaterThan(0);
      expect(total()).to.be.greaterThan(afterWrite);
    } finally {
      await api.close();
      await sqlite.close();
    }
  });

  it('a write invalidates the item, its collection pages, and items whose state token includes its table', async () => {
    const sqlite = new SqliteStore({ path: join(dir, 'two.db') });
    const { store, total } = countingStore(sqlite);
    const api = await startTestApi({ store, seed: false });
    try {
      const country = await createCountry(api, { name: 'Cockaigne', area: 1 });
      const other = await createCountry(api, { name: 'Dinotopia', area: 1 });
      const item = await cache(api, country.path);
      const page = await cache(api, '/countries?pageSize=5');
      const filtered = await cache(api, '/countries?name=Cockaigne');
      const event = await createEvent(api, other.iri);
      const eventPage = await cache(api, '/events');
      const cachedEvent = await cache(api, event.path);

      // A write to the country: its item and every page of countries are made anew.
      await patch(api, country.path, { area: 7 });
      const item2 = await get(api, country.path).expect(200);
      expect(item2.body.area).to.equal(7);
      expect(item2.headers.etag).to.not.equal(item.headers.etag);
      for (const [path, old] of [['/countries?pageSize=5', page], ['/countries?name=Cockaigne', filtered]] as const) {
        const res = await get(api, path).set('If-None-Match', old.headers.etag).expect(200);
        expect(res.body.member.find((m: { name: string }) => m.name === 'Cockaigne').area, path).to.equal(7);
      }
      // … but not the pages of another table.
      const beforeEvents = total();
      const events = await get(api, '/events').expect(200);
      expect(total(), 'the events page is still cached').to.equal(beforeEvents);
      expect(events.text).to.equal(eventPage.text);

      // A country's state token includes the events table (DELETE is possible only while no event
      // refers to it): a new event moves every country's ETag, and the operation goes away.
      const cachedCountry = await cache(api, country.path);
      expect(cachedCountry.body.operation).to.have.length(1);
      await createEvent(api, country.iri);
      const refused = await get(api, country.path).set('If-None-Match', cachedCountry.headers.etag).expect(200);
      expect(refused.body).to.not.have.property('operation');
      // … while the new event changed nothing of the other event, still served from the cache.
      const beforeEvent = total();
      const eventAgain = await get(api, event.path).expect(200);
      expect(total(), 'the other event is still cached').to.equal(beforeEvent);
      expect(eventAgain.text).to.equal(cachedEvent.text);
    } finally {
      await api.close();
      await sqlite.close();
    }
  });

  it('two connections on one file (as two processes): writes through one drop exactly what they changed in the other', async () => {
    const path = join(dir, 'shared.db');
    const sqliteA = new SqliteStore({ path });
    const sqliteB = new SqliteStore({ path });
    const counted = countingStore(sqliteA);
    const a = await startTestApi({ store: counted.store, seed: false });
    const b = await startTestApi({ store: sqliteB, seed: false });
    try {
      const x = await createCountry(a, { name: 'Xanadu', area: 1 });
      const y = await createCountry(a, { name: 'Ys', area: 1 });
      const cachedX = await cache(a, x.path);
      await cache(a, y.path);

      await patch(b, y.path, { area: 2 });
      const before = counted.total();
      const stillX = await get(a, x.path).expect(200);
      expect(counted.total(), 'X is still served from the cache of A').to.equal(before);
      expect(stillX.text).to.equal(cachedX.text);
      const newY = await get(a, y.path).expect(200);
      expect(newY.body.area, 'A sees the write B made to Y').to.equal(2);

      await patch(b, x.path, { area: 5 });
      const newX = await get(a, x.path).expect(200);
      expect(newX.body.area, 'A sees the write B made to X').to.equal(5);
      expect(newX.headers.etag).to.not.equal(cachedX.headers.etag);
      const page = await get(a, '/countries?name=Xanadu').expect(200);
      expect(page.body.member[0].area).to.equal(5);

      // A country created through B is counted by A's pages at once.
      const onePage = await cache(a, '/countries?pageSize=1');
      await createCountry(b, { name: 'Zanzibar' });
      expect((await get(a, '/countries?pageSize=1').expect(200)).body.totalItems).to.equal(onePage.body.totalItems + 1);

      // An event created through B refers to Y: A stops offering to delete Y at once.
      const cachedY = await cache(a, y.path);
      expect(cachedY.body.operation).to.have.length(1);
      await createEvent(b, `${a.base}${y.path}`.replace(a.base, b.base));
      const refused = await get(a, y.path).expect(200);
      expect(refused.body, 'A knows Y is referred to').to.not.have.property('operation');
      await a.http.delete(y.path).expect(409);
    } finally {
      await a.close();
      await b.close();
      await sqliteA.close();
      await sqliteB.close();
    }
  });

  it('a change log with a gap (trimmed past what a reader saw) or a write without a log entry drops everything: never stale', async () => {
    const path = join(dir, 'gap.db');
    const sqlite = new SqliteStore({ path });
    const api = await startTestApi({ store: sqlite, seed: false });
    const other = new Database(path);
    try {
      const x = await createCountry(api, { name: 'Gap', area: 1 });
      const y = await createCountry(api, { name: 'Other', area: 1 });
      await cache(api, x.path);
      await cache(api, y.path);
      const id = (p: string) => Number(p.split('/').pop());
      // Another writer changes X and Y, logs both, then trims the entry of X away.
      const write = (rowId: number, area: number) => {
        other.prepare('UPDATE countries SET area = ?, version = version + 1 WHERE id = ?').run(area, rowId);
        other.prepare("UPDATE rung_collections SET version = version + 1 WHERE name = 'countries'").run();
        return Number(other.prepare("INSERT INTO rung_changes (tbl, row_id) VALUES ('countries', ?)").run(rowId).lastInsertRowid);
      };
      other.transaction(() => {
        const seqX = write(id(x.path), 10);
        write(id(y.path), 20);
        other.prepare('DELETE FROM rung_changes WHERE seq = ?').run(seqX);
      })();
      expect((await get(api, x.path).expect(200)).body.area).to.equal(10);
      expect((await get(api, y.path).expect(200)).body.area).to.equal(20);

      await cache(api, x.path);
      // A writer that keeps no log at all.
      other.prepare('UPDATE countries SET area = 30, version = version + 1 WHERE id = ?').run(id(x.path));
      expect((await get(api, x.path).expect(200)).body.area).to.equal(30);
    } finally {
      other.close();
      await api.close();
      await sqlite.close();
    }
  });
});

describe('two Rung processes on one SQLite file never serve stale data', function () {
  this.timeout(120_000);
  let dir: string;
  let a: Child;
  let b: Child;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rung-inval-two-'));
    const db = join(dir, 'shared.db');
    a = await startCli(['--db', db, '--no-seed'], { LOG_LEVEL: 'silent' });
    b = await startCli(['--db', db, '--no-seed'], { LOG_LEVEL: 'silent' });
  });
  after(async () => {
    for (const child of [a, b]) {
      child?.process.kill('SIGTERM');
      await child?.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('after each write through one process, the other answers the new state at once (items and pages, cached before)', async () => {
    const get = async (server: Child, path: string) => {
      const res = await fetch(server.url + path, { headers: { Accept: 'application/ld+json' } });
      expect(res.status).to.equal(200);
      return res.json();
    };
    const created = await fetch(`${a.url}/countries`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Shared', area: 0 }) });
    expect(created.status).to.equal(201);
    const path = new URL(created.headers.get('location')!).pathname;
    for (let i = 1; i <= 25; i++) {
      const [reader, writer] = i % 2 ? [a, b] : [b, a];
      // The reader has the item and a page cached…
      for (let k = 0; k < 3; k++) {
        await get(reader, path);
        await get(reader, '/countries?name=Shared');
      }
      // … the other process writes …
      const res = await fetch(writer.url + path, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: JSON.stringify({ area: i }) });
      expect(res.status).to.equal(200);
      // … and the reader's next answers show it.
      expect((await get(reader, path)).area, `round ${i}: item`).to.equal(i);
      expect((await get(reader, '/countries?name=Shared')).member[0].area, `round ${i}: page`).to.equal(i);
    }
  });
});
