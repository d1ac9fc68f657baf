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
  let release: () => void;
  let held: Promise<void>;

  let arm: () => void;

  /** A store whose next replace or delete, once `arm()`ed, waits for `release()`; `held` resolves when one waits. */
  function pausingStore(inner: Store): Store {
    let pause = false;
    let arrived: () => void;
    held = new Promise((resolve) => (arrived = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    arm = () => (pause = true);
    return new Proxy(inner, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'replace' && property !== 'delete') return typeof value === 'function' ? value.bind(target) : value;
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
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rung-life-'));
    store = new SqliteStore({ path: join(dir, 'life.db') });
    rung = await createExampleApi({ store: pausingStore(store), seed: false });
    http = supertest(rung.app.callback());
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
    arm();
    const patch = http.patch('/countries/1').set('Content-Type', 'application/merge-patch+json').send({ name: 'Patched' }).then((r) => r);
    await held;
    await recreate();
    release();
    const res = await patch;
    expect(res.status).to.equal(200);
    expect(res.body).to.not.have.property('capital');
    expect(stored()).to.deep.equal({ name: 'Patched', capital: null, version: 2 });
  });

  it('a DELETE with the If-Match of the old life gets 412 and leaves the new one', async () => {
    const etag = (await http.get('/countries/1')).headers.etag;
    arm();
    const deletion = http.delete('/countries/1').set('If-Match', etag).then((r) => r);
    await held;
    await recreate();
    release();
    expect((await deletion).status).to.equal(412);
    expect(stored()).to.deep.equal({ name: 'Second life', capital: null, version: 1 });
  });

  it('a PUT with the If-Match of the old life gets 412 and leaves the new one', async () => {
    const etag = (await http.get('/countries/1')).headers.etag;
    arm();
    const put = http.put('/countries/1').set('Content-Type', 'application/json').set('If-Match', etag).send({ name: 'Overwritten' }).then((r) => r);
    await held;
    await recreate();
    release();
    expect((await put).status).to.equal(412);
    expect(stored()).to.deep.equal({ name: 'Second life', capital: null, version: 1 });
  });
});
