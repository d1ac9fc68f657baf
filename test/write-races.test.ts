/**
 * Issue 17 §7: a write without a precondition never gets 412, even when the
 * store yields between the generic handler's read and its write (as an
 * asynchronous, networked store does) and concurrent writers win the race.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import supertest from 'supertest';
import { createExampleApi } from '../src/example/index.js';
import { SqliteStore, type Rung, type Store } from '../src/index.js';

/** A store whose every call first yields to the event loop, so concurrent requests interleave. */
function yieldingStore(inner: Store): Store {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'changeCounter') return value;
      return async (...args: unknown[]) => {
        await new Promise((resolve) => setImmediate(resolve));
        return value.apply(target, args);
      };
    },
  });
}

describe('concurrent writes through a store that yields', function () {
  this.timeout(30_000);
  let dir: string;
  let store: SqliteStore;
  let rung: Rung;
  let http: ReturnType<typeof supertest>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rung-race-'));
    store = new SqliteStore({ path: join(dir, 'race.db') });
    rung = await createExampleApi({ store: yieldingStore(store), seed: false });
    http = supertest(rung.app.callback());
    await http.put('/countries/1').set('Content-Type', 'application/json').send({ name: 'Start' }).expect(201);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const version = () => (store.db.prepare('SELECT version FROM countries WHERE id = 1').get() as { version: number }).version;

  it('30 concurrent blind PATCHes all succeed, and each one is applied', async () => {
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        http.patch('/countries/1').set('Content-Type', 'application/merge-patch+json').send({ capital: `Capital ${i}` }),
      ),
    );
    expect(responses.map((r) => r.status)).to.deep.equal(Array(30).fill(200));
    expect(version()).to.equal(31);
    const capital = (store.db.prepare('SELECT capital FROM countries WHERE id = 1').get() as { capital: string }).capital;
    expect(responses.map((r) => r.body.capital)).to.include(capital);
  });

  it('blind PATCHes of different fields merge: none overwrites another field with the state it read', async () => {
    const fields = [{ capital: 'C' }, { area: 5 }, { name: 'N' }];
    const responses = await Promise.all(
      fields.flatMap((patch) => Array.from({ length: 5 }, () => http.patch('/countries/1').set('Content-Type', 'application/merge-patch+json').send(patch))),
    );
    expect(responses.map((r) => r.status)).to.deep.equal(Array(15).fill(200));
    const stored = store.db.prepare('SELECT name, capital, area FROM countries WHERE id = 1').get();
    expect(stored).to.deep.equal({ name: 'N', capital: 'C', area: 5 });
  });

  it('20 concurrent blind PUTs (replacing, and creating one free id) all succeed', async () => {
    const responses = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => http.put('/countries/1').set('Content-Type', 'application/json').send({ name: `Put ${i}` })),
      ...Array.from({ length: 10 }, (_, i) => http.put('/countries/2').set('Content-Type', 'application/json').send({ name: `New ${i}` })),
    ]);
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s !== 200 && s !== 201), 'only 200 and 201').to.deep.equal([]);
    expect(statuses.slice(10).filter((s) => s === 201), 'one PUT created /countries/2').to.have.length(1);
    expect(version()).to.equal(11);
  });

  it('blind DELETEs racing blind PATCHes: 204, 200 or 404, never 412', async () => {
    const responses = await Promise.all([
      ...Array.from({ length: 5 }, () => http.patch('/countries/1').set('Content-Type', 'application/merge-patch+json').send({ area: 1 })),
      http.delete('/countries/1'),
      ...Array.from({ length: 5 }, () => http.patch('/countries/1').set('Content-Type', 'application/merge-patch+json').send({ area: 2 })),
    ]);
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => ![200, 204, 404].includes(s))).to.deep.equal([]);
    expect(statuses[5]).to.equal(204);
  });

  it('with If-Match, the losers of the race get 412 and exactly one wins', async () => {
    const etag = (await http.get('/countries/1')).headers.etag;
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        http.patch('/countries/1').set('Content-Type', 'application/merge-patch+json').set('If-Match', etag).send({ capital: `C${i}` }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).to.deep.equal([200, ...Array(9).fill(412)]);
    expect(version()).to.equal(2);
  });
});

interface PausingStore {
  store: Store;
  /** The next insert, replace or delete waits for `release()`. */
  arm(): void;
  /** Resolves once the armed call waits. */
  held: Promise<void>;
  release(): void;
}

/** A store that can hold one write between the handler's read and the write itself. */
function pausingStore(inner: Store): PausingStore {
  let pause = false;
  let arrived!: () => void;
  let release!: () => void;
  const held = new Promise<void>((resolve) => (arrived = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (!['insert', 'replace', 'delete'].includes(property as string)) return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: unknown[]) => {
        if (pause) {
          pause = false;
          arrived();
          await gate;
        }
        return value.apply(target, args);
      };
    },
  });
  return { store, arm: () => (pause = true), held, release };
}

/** The example API, unseeded, on a fresh SQLite file, through a store whose next write can be held (pausingStore). */
async function pausedExampleApi() {
  const dir = mkdtempSync(join(tmpdir(), 'rung-paused-'));
  const store = new SqliteStore({ path: join(dir, 'paused.db') });
  const paused = pausingStore(store);
  const rung = await createExampleApi({ store: paused.store, seed: false });
  return { dir, store, rung, http: supertest(rung.app.callback()), paused };
}

/**
 * Issue 15 §5: a version number names a state only within one life of an
 * id; deleted and created again, the id starts over at version 1. A write
 * that read the old life must not land on the new one because the numbers
 * agree (found by test/serializability.test.ts with two processes, where one
 * process's cached row was older than the other's delete and re-create).
 */
describe('a write that read an item before it was deleted and created again', function () {
  this.timeout(30_000);
  let dir: string;
  let store: SqliteStore;
  let rung: Rung;
  let http: ReturnType<typeof supertest>;
  let paused: PausingStore;

  beforeEach(async () => {
    ({ dir, store, rung, http, paused } = await pausedExampleApi());
    await http.put('/countries/1').set('Content-Type', 'application/json').send({ name: 'First life', capital: 'Old capital' }).expect(201);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const countries = () => rung.runtime.registry.get('Country')!.model;
  /** Delete /countries/1 and create it again (a later millisecond: a new life), behind the API's back. */
  async function recreate() {
    expect(await store.delete(countries(), 1)).to.equal('deleted');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.insert(countries(), { name: 'Second life' }, { id: 1 });
  }
  const stored = () => store.db.prepare('SELECT name, capital, version FROM countries WHERE id = 1').get();

  it('a blind PATCH merges into the new life, not into the fields of the old one', async () => {
    paused.arm();
    const patch = http.patch('/countries/1').set('Content-Type', 'application/merge-patch+json').send({ name: 'Patched' }).then((r) => r);
    await paused.held;
    await recreate();
    paused.release();
    const res = await patch;
    expect(res.status).to.equal(200);
    expect(res.body).to.not.have.property('capital');
    expect(stored()).to.deep.equal({ name: 'Patched', capital: null, version: 2 });
  });

  it('a DELETE with the If-Match of the old life gets 412 and leaves the new one', async () => {
    const etag = (await http.get('/countries/1')).headers.etag;
    paused.arm();
    const deletion = http.delete('/countries/1').set('If-Match', etag).then((r) => r);
    await paused.held;
    await recreate();
    paused.release();
    expect((await deletion).status).to.equal(412);
    expect(stored()).to.deep.equal({ name: 'Second life', capital: null, version: 1 });
  });

  it('a PUT with the If-Match of the old life gets 412 and leaves the new one', async () => {
    const etag = (await http.get('/countries/1')).headers.etag;
    paused.arm();
    const put = http.put('/countries/1').set('Content-Type', 'application/json').set('If-Match', etag).send({ name: 'Overwritten' }).then((r) => r);
    await paused.held;
    await recreate();
    paused.release();
    expect((await put).status).to.equal(412);
    expect(stored()).to.deep.equal({ name: 'Second life', capital: null, version: 1 });
  });
});

/**
 * Issue 15 §1/§5: a write whose parent or linked item is deleted between the
 * handler's check and the write is refused with a 4xx and stores nothing,
 * never a 500 (found by test/crash-safety.test.ts: a guest POSTed to an event
 * being deleted).
 */
describe('a write whose parent or link is deleted while it runs', function () {
  this.timeout(30_000);
  let dir: string;
  let store: SqliteStore;
  let rung: Rung;
  let http: ReturnType<typeof supertest>;
  let paused: PausingStore;

  beforeEach(async () => {
    ({ dir, store, rung, http, paused } = await pausedExampleApi());
    await http.put('/countries/1').set('Content-Type', 'application/json').send({ name: 'Host' }).expect(201);
    await http.put('/countries/2').set('Content-Type', 'application/json').send({ name: 'Other' }).expect(201);
    await http.put('/events/1').set('Content-Type', 'application/json').send({ name: 'Gala', startDate: '2030-01-01T00:00:00Z', location: '/countries/1' }).expect(201);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const model = (name: string) => rung.runtime.registry.get(name)!.model;
  const count = (table: string) => (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

  it('POST of a guest to an event deleted meanwhile: 404, no guest stored', async () => {
    paused.arm();
    const post = http.post('/events/1/guests').set('Content-Type', 'application/json').send({ name: 'Ada', email: 'ada@example.org' }).then((r) => r);
    await paused.held;
    expect(await store.delete(model('Event'), 1)).to.equal('deleted');
    paused.release();
    const res = await post;
    expect(res.status).to.equal(404);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(count('guests')).to.equal(0);
  });

  it('PUT creating a guest under an event deleted meanwhile: 404, no guest stored', async () => {
    paused.arm();
    const put = http.put('/events/1/guests/7').set('Content-Type', 'application/json').send({ name: 'Ada', email: 'ada@example.org' }).then((r) => r);
    await paused.held;
    expect(await store.delete(model('Event'), 1)).to.equal('deleted');
    paused.release();
    expect((await put).status).to.equal(404);
    expect(count('guests')).to.equal(0);
  });

  it('PATCH of an event to a country deleted meanwhile: 4xx, the event unchanged', async () => {
    paused.arm();
    const patch = http.patch('/events/1').set('Content-Type', 'application/merge-patch+json').send({ location: '/countries/2' }).then((r) => r);
    await paused.held;
    expect(await store.delete(model('Country'), 2)).to.equal('deleted');
    paused.release();
    const res = await patch;
    expect(res.status).to.be.within(400, 499);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(store.db.prepare('SELECT location, version FROM events WHERE id = 1').get()).to.deep.equal({ location: 1, version: 1 });
  });
});
