/**
 * Issue 10: group commit. The writes requested in one turn of the event loop
 * share one IMMEDIATE transaction, each in its own savepoint: acknowledged
 * only once it committed (so a 201 survives kill -9), a failing write fails
 * alone, and a database busy past the timeout fails the group with a 503 and
 * stores nothing.
 */
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExampleApi } from '../src/example/index.js';
import { DuplicateIdError, SqliteStore, type Rung } from '../src/index.js';
import { startCli } from './helpers.js';

describe('group commit', function () {
  this.timeout(60_000);
  let dir: string;
  let store: SqliteStore;
  let rung: Rung;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rung-group-'));
    store = new SqliteStore({ path: join(dir, 'group.db'), busyTimeoutMs: 50 });
    rung = await createExampleApi({ store, seed: false });
  });
  afterEach(async () => {
    await rung.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const countries = () => rung.runtime.registry.get('Country')!.model;
  const events = () => rung.runtime.registry.get('Event')!.model;
  const rows = () => store.db.prepare('SELECT id, name, version FROM countries ORDER BY id').all() as { id: number; name: string; version: number }[];

  it('writes requested in the same turn commit together: every one acknowledged and stored, in two transactions', async () => {
    const before = store.commits;
    const created = await Promise.all(Array.from({ length: 40 }, (_, i) => store.insert(countries(), { name: `Group ${i}` })));
    // The first write of the turn commits at once, the 39 others as one group.
    expect(store.commits - before).to.equal(2);
    expect(created.map((c) => c.values.name)).to.deep.equal(Array.from({ length: 40 }, (_, i) => `Group ${i}`));
    expect(rows().map((r) => r.name)).to.deep.equal(created.map((c) => c.values.name));
    expect(new Set(created.map((c) => c.id)).size).to.equal(40);
  });

  it('a write that fails in a group is rolled back alone; the others are stored', async () => {
    const [country] = await Promise.all([store.insert(countries(), { name: 'Held' })]);
    const taken = await store.insert(countries(), { name: 'Taken' });
    await store.insert(events(), { name: 'E', startDate: '2027-01-01T00:00:00Z', location: country.id });
    const before = store.commits;
    // Wait for the next turn, so that all five land in one group.
    await new Promise((resolve) => setImmediate(resolve));
    const outcomes = await Promise.allSettled([
      store.insert(countries(), { name: 'First' }),
      store.insert(countries(), { name: 'Duplicate' }, { id: taken.id }),
      store.delete(countries(), country.id),
      store.replace(countries(), taken.id, { name: 'Stale' }, taken.version + 5),
      store.insert(countries(), { name: 'Last' }),
      store.replace(countries(), taken.id, { name: 'Renamed' }, taken.version),
    ]);
    expect(store.commits - before).to.equal(2);
    expect(outcomes[0]).to.include({ status: 'fulfilled' });
    expect(outcomes[1].status).to.equal('rejected');
    expect((outcomes[1] as PromiseRejectedResult).reason).to.be.instanceOf(DuplicateIdError);
    expect(outcomes[2]).to.deep.include({ status: 'fulfilled', value: { referencedBy: 'another resource' } });
    expect(outcomes[3]).to.deep.include({ status: 'fulfilled', value: 'conflict' });
    expect(outcomes[4]).to.include({ status: 'fulfilled' });
    expect(outcomes[5]).to.include({ status: 'fulfilled' });
    expect(rows().map((r) => r.name)).to.deep.equal(['Held', 'Renamed', 'First', 'Last']);
    expect(rows()[1].version).to.equal(2);
  });

  it('the row cache keeps the last write of a group to a row: a row updated then deleted in one group stays deleted', async () => {
    const item = await store.insert(countries(), { name: 'Doomed' });
    const guest = rung.runtime.registry.get('Guest')!.model;
    const country = await store.insert(countries(), { name: 'Host' });
    const event = await store.insert(events(), { name: 'E', startDate: '2027-01-01T00:00:00Z', location: country.id });
    const invited = await store.insert(guest, { name: 'G', email: 'g@example.org' }, { parentId: event.id });
    await new Promise((resolve) => setImmediate(resolve));
    const before = store.commits;
    const outcomes = await Promise.all([
      // The first write of a turn commits alone; the others form one group.
      store.insert(countries(), { name: 'First' }),
      store.replace(countries(), item.id, { name: 'Renamed' }),
      store.delete(countries(), item.id),
      // A guest renamed, then removed by the cascade of its event's delete.
      store.replace(guest, invited.id, { name: 'H', email: 'g@example.org' }),
      store.delete(events(), event.id),
      // A row written twice: the later version is the one kept.
      store.replace(countries(), country.id, { name: 'Host 2' }),
      store.replace(countries(), country.id, { name: 'Host 3' }),
    ]);
    expect(outcomes[2]).to.equal('deleted');
    expect(outcomes[4]).to.equal('deleted');
    expect(store.commits - before).to.equal(2);
    expect(await store.get(countries(), item.id)).to.equal(undefined);
    expect(await store.get(guest, invited.id)).to.equal(undefined);
    expect((await store.get(countries(), country.id))?.values.name).to.equal('Host 3');
    expect((await store.get(countries(), country.id))?.version).to.equal(3);
  });

  it('a database busy past the timeout fails every write of the group with a 503, and stores nothing', async () => {
    await store.insert(countries(), { name: 'Before' });
    const other = new Database(store.db.name);
    try {
      other.exec('BEGIN IMMEDIATE');
      await new Promise((resolve) => setImmediate(resolve));
      const outcomes = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => store.insert(countries(), { name: `Busy ${i}` })));
      other.exec('ROLLBACK');
      for (const outcome of outcomes) {
        expect(outcome.status).to.equal('rejected');
        expect((outcome as PromiseRejectedResult).reason).to.include({ status: 503 });
      }
      expect(rows().map((r) => r.name)).to.deep.equal(['Before']);
      await store.insert(countries(), { name: 'After' });
      expect(rows().map((r) => r.name)).to.deep.equal(['Before', 'After']);
    } finally {
      other.close();
    }
  });
});

describe('group commit and durability', function () {
  this.timeout(60_000);

  it('every write acknowledged with 201 under concurrency survives kill -9', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rung-group-kill-'));
    const db = join(dir, 'kill.db');
    try {
      const first = await startCli(['--db', db, '--no-seed'], { LOG_LEVEL: 'silent' });
      const responses = await Promise.all(
        Array.from({ length: 120 }, (_, i) =>
          fetch(`${first.url}/countries`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: `Durable ${i}` }) }),
        ),
      );
      expect(responses.map((r) => r.status)).to.deep.equal(Array(120).fill(201));
      const locations = responses.map((r) => new URL(r.headers.get('location')!).pathname);
      first.process.kill('SIGKILL');
      expect((await first.exited).signal).to.equal('SIGKILL');

      const second = await startCli(['--db', db, '--no-seed'], { LOG_LEVEL: 'silent' });
      try {
        const names = await Promise.all(locations.map(async (path) => (await (await fetch(second.url + path)).json()).name));
        expect(names).to.deep.equal(Array.from({ length: 120 }, (_, i) => `Durable ${i}`));
        const total = (await (await fetch(`${second.url}/countries?pageSize=1`)).json()).totalItems;
        expect(total).to.equal(120);
      } finally {
        second.process.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
