/**
 * Issue 13 §1: one contract, two engines. The same cases run against SQLite
 * and PostgreSQL: CRUD, versions, filters, sorting, paging, totals,
 * conditional writes, cascades, restrict, taken ids, transactions, what
 * `freshness()` reports after a write, and bearer tokens.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  DuplicateIdError,
  PostgresStore,
  PostgresTokenStore,
  SqliteStore,
  SqliteTokenStore,
  hashToken,
  type Store,
  type TableModel,
  type TokenStore,
} from '../src/index.js';
import { rowTags, tableTag } from '../src/store/changes.js';
import { createTestDatabase, requirePostgres, type TestDatabase } from './helpers-pg.js';

const countries: TableModel = {
  table: 'countries',
  columns: [
    { name: 'name', kind: 'text', indexed: true },
    { name: 'capital', kind: 'text', indexed: false },
    { name: 'area', kind: 'real', indexed: true },
    { name: 'population', kind: 'integer', indexed: true },
    { name: 'member', kind: 'boolean', indexed: true },
    { name: 'tags', kind: 'json', indexed: false },
  ],
};
const events: TableModel = {
  table: 'events',
  columns: [
    { name: 'name', kind: 'text', indexed: true },
    { name: 'location', kind: 'integer', indexed: true, references: { table: 'countries', onDelete: 'restrict' } },
  ],
  cascadesTo: ['guests'],
};
const guests: TableModel = {
  table: 'guests',
  columns: [{ name: 'name', kind: 'text', indexed: true }],
  parent: { table: 'events' },
};
const MODELS = [countries, events, guests];

interface Engine {
  store: Store;
  tokens: TokenStore;
  /** A second store on the same database, as another process or instance has (closed by the caller). */
  another(): Store;
  close(): Promise<void>;
}

export function storeContract(name: string, setup: { before?: (ctx: Mocha.Context) => Promise<void>; after?: () => Promise<void>; make: () => Promise<Engine> }) {
  describe(`store contract: ${name}`, function () {
    this.timeout(30_000);
    let engine: Engine;
    let store: Store;
    before(async function () {
      await setup.before?.(this);
    });
    after(async () => setup.after?.());
    beforeEach(async () => {
      engine = await setup.make();
      store = engine.store;
      await store.migrate(MODELS);
    });
    afterEach(async () => engine?.close());

    const seedCountries = async () => {
      const rows = [
        { name: 'France', capital: 'Paris', area: 551695, population: 68_000_000, member: true, tags: ['eu', { sea: true }] },
        { name: 'Écosse', capital: 'Édimbourg', area: 77933, population: 5_400_000, member: false },
        { name: 'iceland', capital: 'Reykjavík', area: 103000, population: 380_000, member: false },
        { name: 'Germany', capital: 'Berlin', area: 357022, population: 84_000_000, member: true },
        { name: 'Andorra', area: 468, population: 80_000, member: false },
      ];
      const items = [];
      for (const row of rows) items.push(await store.insert(countries, row));
      return items;
    };
    const names = (items: { values: Record<string, unknown> }[]) => items.map((i) => i.values.name);
    const list = (query: Partial<Parameters<Store['list']>[1]> = {}) => store.list(countries, { where: [], order: [], limit: 100, offset: 0, ...query });

    it('inserts and reads every column kind back, at version 1', async () => {
      const item = await store.insert(countries, { name: 'France', capital: 'Paris', area: 551695.5, population: 68_000_000, member: true, tags: ['eu', { sea: true }] });
      expect(item.version).to.equal(1);
      expect(item.createdAt).to.be.instanceOf(Date);
      const read = await store.get(countries, item.id);
      expect(read).to.deep.include({ id: item.id, version: 1 });
      expect(read!.values).to.deep.equal({ name: 'France', capital: 'Paris', area: 551695.5, population: 68_000_000, member: true, tags: ['eu', { sea: true }] });
      expect(read!.createdAt.getTime()).to.equal(item.createdAt.getTime());
      expect(read!.updatedAt.getTime()).to.equal(item.updatedAt.getTime());
      const unset = await store.insert(countries, { name: 'Nowhere', member: false });
      expect((await store.get(countries, unset.id))!.values).to.deep.equal({ name: 'Nowhere', member: false });
      expect(await store.get(countries, 999_999)).to.equal(undefined);
    });

    it('replaces all values and moves the version; conditional replace refuses a stale version and a missing row', async () => {
      const item = await store.insert(countries, { name: 'France', capital: 'Paris' });
      const replaced = await store.replace(countries, item.id, { name: 'République française' }, 1);
      expect(replaced).to.not.be.a('string');
      expect((replaced as { version: number }).version).to.equal(2);
      expect((await store.get(countries, item.id))!.values).to.deep.equal({ name: 'République française' });
      expect(await store.replace(countries, item.id, { name: 'Stale' }, 1)).to.equal('conflict');
      expect(await store.replace(countries, 424_242, { name: 'Ghost' }, 1)).to.equal('missing');
      expect(await store.replace(countries, 424_242, { name: 'Ghost' })).to.equal('missing');
      const unconditional = await store.replace(countries, item.id, { name: 'France' });
      expect((unconditional as { version: number }).version).to.equal(3);
      expect((await store.get(countries, item.id))!.values.name).to.equal('France');
    });

    it('of concurrent conditional replaces with the same version exactly one wins', async () => {
      const item = await store.insert(countries, { name: 'Contested' });
      const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => store.replace(countries, item.id, { name: `Writer ${i}` }, 1)));
      const won = outcomes.filter((o) => typeof o !== 'string');
      expect(won).to.have.length(1);
      expect(outcomes.filter((o) => o === 'conflict')).to.have.length(11);
      const stored = await store.get(countries, item.id);
      expect(stored!.version).to.equal(2);
      expect(stored!.values.name).to.equal((won[0] as { values: Record<string, unknown> }).values.name);
    });

    it('deletes with the same version rule', async () => {
      const item = await store.insert(countries, { name: 'Gone' });
      expect(await store.delete(countries, item.id, 7)).to.equal('conflict');
      expect(await store.get(countries, item.id)).to.not.equal(undefined);
      expect(await store.delete(countries, item.id, 1)).to.equal('deleted');
      expect(await store.get(countries, item.id)).to.equal(undefined);
      expect(await store.delete(countries, item.id)).to.equal('missing');
      expect(await store.delete(countries, item.id, 1)).to.equal('missing');
    });

    it('filters with =, >=, <=, contains (ignoring case, Unicode) and any (OR)', async () => {
      await seedCountries();
      expect(names((await list({ where: [{ column: 'name', op: '=', value: 'France' }] })).items)).to.deep.equal(['France']);
      expect(names((await list({ where: [{ column: 'area', op: '>=', value: 357022 }] })).items)).to.deep.equal(['France', 'Germany']);
      expect(names((await list({ where: [{ column: 'population', op: '<=', value: 380_000 }] })).items)).to.deep.equal(['iceland', 'Andorra']);
      expect(names((await list({ where: [{ column: 'member', op: '=', value: true }] })).items)).to.deep.equal(['France', 'Germany']);
      expect(names((await list({ where: [{ column: 'name', op: 'contains', value: 'AN' }] })).items)).to.deep.equal(['France', 'iceland', 'Germany', 'Andorra']);
      expect(names((await list({ where: [{ column: 'capital', op: 'contains', value: 'édim' }] })).items)).to.deep.equal(['Écosse']);
      expect(names((await list({ where: [{ column: 'name', op: 'contains', value: 'écosse' }] })).items)).to.deep.equal(['Écosse']);
      const either = await list({
        where: [
          { any: [{ column: 'name', op: 'contains', value: 'ice' }, { column: 'capital', op: 'contains', value: 'berl' }] },
          { column: 'member', op: '=', value: false },
        ],
      });
      expect(names(either.items)).to.deep.equal(['iceland']);
      expect(either.total).to.equal(1);
      expect((await list({ where: [{ column: 'name', op: 'contains', value: '%' }] })).total).to.equal(0);
      expect((await list({ where: [{ column: 'name', op: 'contains', value: '_' }] })).total).to.equal(0);
    });

    it('sorts by code point with NULLs first ascending, last descending, then by id', async () => {
      await seedCountries();
      expect(names((await list({ order: [{ column: 'name', descending: false }] })).items)).to.deep.equal(['Andorra', 'France', 'Germany', 'iceland', 'Écosse']);
      expect(names((await list({ order: [{ column: 'area', descending: true }] })).items)).to.deep.equal(['France', 'Germany', 'iceland', 'Écosse', 'Andorra']);
      expect(names((await list({ order: [{ column: 'capital', descending: false }] })).items)[0]).to.equal('Andorra');
      expect(names((await list({ order: [{ column: 'capital', descending: true }] })).items).at(-1)).to.equal('Andorra');
      expect(names((await list({ order: [{ column: 'member', descending: true }] })).items)).to.deep.equal(['France', 'Germany', 'Écosse', 'iceland', 'Andorra']);
    });

    it('pages with limit and offset, and counts the total of every page', async () => {
      await seedCountries();
      const order = [{ column: 'name', descending: false }];
      const first = await list({ order, limit: 2, offset: 0 });
      const second = await list({ order, limit: 2, offset: 2 });
      const last = await list({ order, limit: 2, offset: 4 });
      const beyond = await list({ order, limit: 2, offset: 10 });
      expect(names(first.items)).to.deep.equal(['Andorra', 'France']);
      expect(names(second.items)).to.deep.equal(['Germany', 'iceland']);
      expect(names(last.items)).to.deep.equal(['Écosse']);
      expect(beyond.items).to.deep.equal([]);
      expect([first.total, second.total, last.total, beyond.total]).to.deep.equal([5, 5, 5, 5]);
      const filtered = await list({ where: [{ column: 'member', op: '=', value: false }], limit: 1, offset: 1 });
      expect(filtered.total).to.equal(3);
      expect(filtered.items).to.have.length(1);
      expect(await store.count(countries)).to.equal(5);
    });

    it('moves the collection version with every write to the table, and only then', async () => {
      const start = await store.collectionState(countries);
      expect(start.version).to.equal(0);
      const item = await store.insert(countries, { name: 'A' });
      await store.replace(countries, item.id, { name: 'B' }, 1);
      expect(await store.replace(countries, item.id, { name: 'C' }, 1)).to.equal('conflict');
      expect((await store.collectionState(countries)).version).to.equal(2);
      expect((await store.collectionState(events)).version).to.equal(0);
      await store.delete(countries, item.id);
      const after = await store.collectionState(countries);
      expect(after.version).to.equal(3);
      expect(after.createdAt.getTime()).to.equal(start.createdAt.getTime());
    });

    it('refuses to delete a row a restrict link points at, and deletes nested rows with their parent', async () => {
      const country = await store.insert(countries, { name: 'Host' });
      const event = await store.insert(events, { name: 'Conf', location: country.id });
      const guest = await store.insert(guests, { name: 'Ada' }, { parentId: event.id });
      expect(await store.get(guests, guest.id, event.id)).to.deep.include({ parentId: event.id });
      expect(await store.get(guests, guest.id, event.id + 1)).to.equal(undefined);
      expect(await store.isReferenced(events, 'location', country.id)).to.equal(true);
      expect(await store.isReferenced(events, 'location', country.id + 1)).to.equal(false);
      expect(await store.delete(countries, country.id)).to.deep.equal({ referencedBy: 'another resource' });
      expect(await store.get(countries, country.id)).to.not.equal(undefined);
      const guestsBefore = (await store.collectionState(guests)).version;
      expect(await store.delete(events, event.id)).to.equal('deleted');
      expect(await store.get(guests, guest.id)).to.equal(undefined);
      expect((await store.collectionState(guests)).version).to.equal(guestsBefore + 1);
      expect(await store.delete(countries, country.id)).to.equal('deleted');
    });

    it('refuses a taken id, and picks later ids above one chosen by a caller', async () => {
      const chosen = await store.insert(countries, { name: 'Chosen' }, { id: 50 });
      expect(chosen.id).to.equal(50);
      let error: unknown;
      try {
        await store.insert(countries, { name: 'Again' }, { id: 50 });
      } catch (err) {
        error = err;
      }
      expect(error).to.be.instanceOf(DuplicateIdError);
      expect((await store.get(countries, 50))!.values.name).to.equal('Chosen');
      const next = await store.insert(countries, { name: 'Next' });
      expect(next.id).to.be.greaterThan(50);
      expect(await store.count(countries)).to.equal(2);
    });

    it('seeds an empty table once: of two stores on one database seeding at once, exactly one writes', async () => {
      const other = engine.another();
      try {
        await other.migrate(MODELS);
        const rows = Array.from({ length: 300 }, (_, i) => ({ name: `Seeded ${i}` }));
        const outcomes = await Promise.all([store.seedIfEmpty(countries, rows), other.seedIfEmpty(countries, rows)]);
        expect(outcomes.filter(Boolean)).to.have.length(1);
        expect(await store.count(countries)).to.equal(300);
        expect(await other.count(countries)).to.equal(300);
        expect(await store.seedIfEmpty(countries, [{ name: 'Late' }])).to.equal(false);
        expect(await store.count(countries)).to.equal(300);
        expect((await store.collectionState(countries)).version).to.equal(1);
      } finally {
        await other.close();
      }
    });

    it('inserts many rows in one transaction: one that fails leaves nothing stored', async () => {
      await store.insertMany(countries, [{ name: 'One' }, { name: 'Two' }, { name: 'Three' }]);
      expect(await store.count(countries)).to.equal(3);
      expect((await store.collectionState(countries)).version).to.equal(1);
      const country = (await list()).items[0];
      let failed = false;
      try {
        await store.insertMany(events, [{ name: 'Fine', location: country.id }, { name: 'Broken link', location: 987_654 }]);
      } catch {
        failed = true;
      }
      expect(failed).to.equal(true);
      expect(await store.count(events)).to.equal(0);
      expect((await store.collectionState(events)).version).to.equal(0);
    });

    it('reports a write in freshness(): its row and table changed, other rows did not', async () => {
      const a = await store.insert(countries, { name: 'A' });
      const b = await store.insert(countries, { name: 'B' });
      const before = await store.freshness();
      expect(before).to.not.equal(undefined);
      const position = before!.position;
      expect(before!.changedSince([...rowTags('countries', a.id)], position)).to.equal(false);
      await store.replace(countries, a.id, { name: 'A2' }, 1);
      const after = (await store.freshness())!;
      expect(after.position).to.be.greaterThan(position);
      expect(after.changedSince([...rowTags('countries', a.id)], position)).to.equal(true);
      expect(after.changedSince([tableTag('countries')], position)).to.equal(true);
      expect(after.changedSince([...rowTags('countries', b.id)], position)).to.equal(false);
      expect(after.changedSince([tableTag('events')], position)).to.equal(false);
      expect(after.changedSince(undefined, position)).to.equal(true);
    });

    it('keeps bearer tokens as hashes: create, find, list, revoke', async () => {
      const { tokens } = engine;
      const created = await tokens.create({ scopes: ['write'], name: 'ci' });
      expect(created.token).to.match(/^rung_/);
      expect(created.record).to.deep.include({ name: 'ci', scopes: ['read', 'write'] });
      const found = await tokens.findByHash(hashToken(created.token));
      expect(found).to.deep.include({ id: created.record.id, scopes: ['read', 'write'] });
      const other = await tokens.create({ scopes: ['read'] });
      expect((await tokens.list()).map((r) => r.id)).to.deep.equal([created.record.id, other.record.id]);
      expect(await tokens.revoke(created.record.id)).to.equal(true);
      expect(await tokens.revoke(created.record.id)).to.equal(false);
      expect(await tokens.findByHash(hashToken(created.token))).to.equal(undefined);
      expect((await tokens.list())[0].revokedAt).to.be.instanceOf(Date);
      expect(await tokens.findByHash(hashToken(other.token))).to.deep.include({ scopes: ['read'] });
    });
  });
}

storeContract('SQLite', {
  async make() {
    const dir = mkdtempSync(join(tmpdir(), 'rung-contract-'));
    const store = new SqliteStore({ path: join(dir, 'contract.db') });
    const tokens = new SqliteTokenStore({ path: join(dir, 'contract.db') });
    return {
      store,
      tokens,
      another: () => new SqliteStore({ path: join(dir, 'contract.db') }),
      async close() {
        await tokens.close();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});

let database: TestDatabase | undefined;
storeContract('PostgreSQL', {
  async before(ctx) {
    await requirePostgres(ctx, 'the PostgreSQL store contract');
    database = await createTestDatabase();
  },
  async after() {
    await database?.drop();
  },
  async make() {
    // A clean schema for every case.
    const admin = new pg.Client({ connectionString: database!.url });
    await admin.connect();
    await admin.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    await admin.end();
    const store = new PostgresStore({ connectionString: database!.url });
    const tokens = new PostgresTokenStore({ pool: store.pool });
    return {
      store,
      tokens,
      another: () => new PostgresStore({ connectionString: database!.url }),
      async close() {
        await tokens.close();
        await store.close();
      },
    };
  },
});
