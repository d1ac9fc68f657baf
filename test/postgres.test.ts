/**
 * Issue 13 §1, §5: what only the PostgreSQL engine has to prove — migrations
 * that several instances may run at once, an unreachable database answered
 * 503 with Retry-After (never 500), and the example API's key HTTP flows
 * (create, read, conditional update, 412, 304, filters, restrict, cascade,
 * tokens) served over PostgreSQL.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import supertest from 'supertest';
import { createExampleApi } from '../src/example/index.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiFileError, PostgresStore, StoreUnavailableError, createRungFromFile, loadApiFile, redactUrl, type Rung, type TableModel } from '../src/index.js';
import { isUnavailable, translate } from '../src/store/postgres-sql.js';
import { CLI } from './helpers.js';
import { createTestDatabase, requirePostgres, type TestDatabase } from './helpers-pg.js';

const things: TableModel = { table: 'things', columns: [{ name: 'name', kind: 'text', indexed: true }] };
const parts: TableModel = {
  table: 'parts',
  columns: [
    { name: 'name', kind: 'text', indexed: true },
    { name: 'thing', kind: 'integer', indexed: true, references: { table: 'things', onDelete: 'cascade' } },
  ],
};

describe('PostgreSQL errors', () => {
  const cases: [string, unknown, boolean][] = [
    ['admin shutdown 57P01', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }), true],
    ['crash shutdown 57P02', Object.assign(new Error('crash'), { code: '57P02' }), true],
    ['cannot connect now 57P03', Object.assign(new Error('the database system is starting up'), { code: '57P03' }), true],
    ['connection failure 08006', Object.assign(new Error('connection failure'), { code: '08006' }), true],
    ['too many connections 53300', Object.assign(new Error('too many clients'), { code: '53300' }), true],
    ['serialization failure 40001 (after retries)', Object.assign(new Error('could not serialize'), { code: '40001' }), true],
    ['deadlock 40P01 (after retries)', Object.assign(new Error('deadlock detected'), { code: '40P01' }), true],
    ['refused socket', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), true],
    ['reset socket', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), true],
    ['pool timeout', new Error('timeout exceeded when trying to connect'), true],
    ['connection terminated', new Error('Connection terminated unexpectedly'), true],
    ['unique violation 23505', Object.assign(new Error('duplicate key'), { code: '23505' }), false],
    ['syntax error 42601', Object.assign(new Error('syntax error'), { code: '42601' }), false],
    ['a bug of ours', new TypeError('x is undefined'), false],
  ];
  for (const [name, error, unavailable] of cases) {
    it(`${name}: ${unavailable ? '503 with Retry-After' : 'passed through'}`, () => {
      expect(isUnavailable(error)).to.equal(unavailable);
      const translated = translate(error) as { status?: number; headers?: Record<string, string> };
      if (unavailable) {
        expect(translated).to.be.instanceOf(StoreUnavailableError);
        expect(translated.status).to.equal(503);
        expect(translated.headers).to.deep.equal({ 'Retry-After': '1' });
      } else expect(translated).to.equal(error);
    });
  }

  it('hides the password of a database URL', () => {
    expect(redactUrl('postgres://rung:s3cret@db.example.org:5432/rung')).to.equal('postgres://rung:***@db.example.org:5432/rung');
    expect(redactUrl('postgres://rung@db.example.org/rung')).to.equal('postgres://rung@db.example.org/rung');
  });
});

describe('PostgreSQL engine', function () {
  this.timeout(60_000);
  let database: TestDatabase | undefined;

  before(async function () {
    await requirePostgres(this, 'the PostgreSQL engine suite');
    database = await createTestDatabase();
  });
  after(async () => database?.drop());

  it('runs three migrations at once on a fresh database: all succeed, one schema, idempotent', async () => {
    const stores = [0, 1, 2].map(() => new PostgresStore({ connectionString: database!.url }));
    try {
      await Promise.all(stores.map((store) => store.migrate([things, parts])));
      await stores[0].migrate([things, parts]);
      const a = await stores[0].insert(things, { name: 'made by A' });
      expect((await stores[2].get(things, a.id))!.values.name).to.equal('made by A');
      const client = new pg.Client({ connectionString: database!.url });
      await client.connect();
      try {
        const { rows } = await client.query(`SELECT name, version FROM rung_collections ORDER BY name`);
        expect(rows).to.deep.equal([
          { name: 'parts', version: '0' },
          { name: 'things', version: '1' },
        ]);
        const tables = await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
        expect(tables.rows.map((r) => r.table_name)).to.deep.equal(['parts', 'rung_changes', 'rung_clock', 'rung_collections', 'things']);
      } finally {
        await client.end();
      }
      // A column added to a model is added by the next start, by any instance.
      await Promise.all(stores.map((store) => store.migrate([{ ...things, columns: [...things.columns, { name: 'colour', kind: 'text', indexed: true }] }, parts])));
      const coloured = { ...things, columns: [...things.columns, { name: 'colour', kind: 'text' as const, indexed: true }] };
      const red = await stores[1].insert(coloured, { name: 'apple', colour: 'red' });
      expect((await stores[0].get(coloured, red.id))!.values).to.deep.equal({ name: 'apple', colour: 'red' });
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('retries a create whose id from the sequence a concurrent PUT took meanwhile: the next id, not a 500', async () => {
    const racers: TableModel = { table: 'racers', columns: [{ name: 'name', kind: 'text', indexed: false }] };
    const store = new PostgresStore({ connectionString: database!.url });
    const client = new pg.Client({ connectionString: database!.url });
    try {
      await store.migrate([racers]);
      await client.connect();
      // What a PUT creating id 1 has done before its setval runs: the row is there, the sequence has not moved.
      await client.query(`INSERT INTO racers (id, version, created_at, updated_at, name) VALUES (1, 1, 0, 0, 'chosen')`);
      const posted = await store.insert(racers, { name: 'posted' });
      expect(posted.id).to.equal(2);
      expect((await store.get(racers, 1))!.values.name).to.equal('chosen');
      expect(await store.count(racers)).to.equal(2);
    } finally {
      await client.end();
      await store.close();
    }
  });

  it('answers 503 with Retry-After, never 500, when the database cannot be reached', async () => {
    const store = new PostgresStore({ connectionString: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMs: 1000 });
    try {
      for (const attempt of [() => store.get(things, 1), () => store.freshness(), () => store.insert(things, { name: 'x' }), () => store.migrate([things])]) {
        let error: unknown;
        try {
          await attempt();
        } catch (err) {
          error = err;
        }
        expect(error).to.be.instanceOf(StoreUnavailableError);
        expect((error as StoreUnavailableError).headers['Retry-After']).to.equal('1');
      }
    } finally {
      await store.close();
    }
  });

  it('takes databaseUrl from an API file, and refuses one that is not postgres://', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rung-pg-file-'));
    try {
      const notes = { auth: { anonymous: 'write' }, resources: { Note: { segment: 'notes', fields: { text: 'string' }, required: ['text'] } } };
      writeFileSync(join(dir, 'notes.json'), JSON.stringify({ ...notes, databaseUrl: database!.url }));
      const rung = await createRungFromFile(join(dir, 'notes.json'));
      try {
        expect(rung.store.kind).to.equal('postgres');
        await supertest(rung.app.callback()).post('/notes').send({ text: 'kept in PostgreSQL' }).expect(201);
        const client = new pg.Client({ connectionString: database!.url });
        await client.connect();
        const { rows } = await client.query('SELECT text FROM notes');
        await client.end();
        expect(rows).to.deep.equal([{ text: 'kept in PostgreSQL' }]);
      } finally {
        await rung.close();
      }
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...notes, databaseUrl: 'mysql://x@y/z' }));
      expect(() => loadApiFile(join(dir, 'bad.json'))).to.throw(ApiFileError, /databaseUrl/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('the example API over PostgreSQL', () => {
    let rung: Rung;
    let http: ReturnType<typeof supertest>;
    before(async () => {
      const client = new pg.Client({ connectionString: database!.url });
      await client.connect();
      await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
      await client.end();
      rung = await createExampleApi({ databaseUrl: database!.url, rateLimit: false });
      http = supertest(rung.app.callback());
    });
    after(async () => rung?.close());

    it('keeps resources and tokens in PostgreSQL', () => {
      expect(rung.store.kind).to.equal('postgres');
      expect(rung.tokens.constructor.name).to.equal('PostgresTokenStore');
    });

    it('seeds, filters, pages and sorts the countries', async () => {
      const all = await http.get('/countries').set('Accept', 'application/ld+json').expect(200);
      expect(all.body.totalItems).to.be.greaterThan(100);
      const found = await http.get('/countries?name_contains=THAIL').set('Accept', 'application/ld+json').expect(200);
      expect(found.body.member.map((m: { name: string }) => m.name)).to.deep.equal(['Thailand']);
      const exact = await http.get('/countries?name=Thailand').set('Accept', 'application/ld+json').expect(200);
      expect(exact.body.totalItems).to.equal(1);
      const page = await http.get('/countries?sort=-name&page=2').set('Accept', 'application/ld+json').expect(200);
      const names = page.body.member.map((m: { name: string }) => m.name);
      expect(names).to.have.length(20);
      expect([...names].sort().reverse()).to.deep.equal(names);
      expect(page.body.totalItems).to.equal(all.body.totalItems);
    });

    it('creates, reads, revalidates (304), updates conditionally (412 for a stale ETag) and deletes', async () => {
      const created = await http.post('/countries').set('Content-Type', 'application/json').send({ name: 'Wakanda', capital: 'Birnin Zana' }).expect(201);
      const path = new URL(created.headers.location).pathname;
      const read = await http.get(path).set('Accept', 'application/ld+json').expect(200);
      expect(read.body.name).to.equal('Wakanda');
      expect(read.headers.etag).to.equal(created.headers.etag);
      await http.get(path).set('Accept', 'application/ld+json').set('If-None-Match', read.headers.etag).expect(304);
      const updated = await http.put(path).set('Content-Type', 'application/json').set('If-Match', read.headers.etag).send({ name: 'Wakanda Forever' }).expect(200);
      expect(updated.body.capital).to.equal(undefined);
      await http.put(path).set('Content-Type', 'application/json').set('If-Match', read.headers.etag).send({ name: 'Lost' }).expect(412);
      expect((await http.get(path).set('Accept', 'application/ld+json').expect(200)).body.name).to.equal('Wakanda Forever');
      await http.put('/countries/70000').set('Content-Type', 'application/json').send({ name: 'Chosen id' }).expect(201);
      const next = await http.post('/countries').set('Content-Type', 'application/json').send({ name: 'After' }).expect(201);
      expect(Number(new URL(next.headers.location).pathname.split('/').pop())).to.be.greaterThan(70000);
      await http.delete(path).set('If-Match', updated.headers.etag).expect(204);
      await http.get(path).expect(404);
    });

    it('refuses to delete a country an event is held in (409), and deletes guests with their event', async () => {
      const country = await http.post('/countries').set('Content-Type', 'application/json').send({ name: 'Host' }).expect(201);
      const event = await http
        .post('/events')
        .set('Content-Type', 'application/json')
        .send({ name: 'RestConf', startDate: '2027-05-01T09:00:00Z', location: country.headers.location })
        .expect(201);
      const eventPath = new URL(event.headers.location).pathname;
      const guest = await http.post(`${eventPath}/guests`).set('Content-Type', 'application/json').send({ name: 'Ada', email: 'ada@example.org' }).expect(201);
      await http.delete(new URL(country.headers.location).pathname).expect(409);
      await http.delete(eventPath).expect(204);
      await http.get(new URL(guest.headers.location).pathname).expect(404);
      await http.delete(new URL(country.headers.location).pathname).expect(204);
    });

    it('answers an administrator\'s shutdown of its connections with 503 and Retry-After at worst, never 500, and recovers', async () => {
      await http.get('/countries/2').set('Accept', 'application/ld+json').expect(200);
      const admin = new pg.Client({ connectionString: database!.url });
      await admin.connect();
      try {
        const { rows } = await admin.query('SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
        expect(rows.length).to.be.greaterThan(0);
      } finally {
        await admin.end();
      }
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const res =
          i % 3 === 2
            ? await http.patch('/countries/3').set('Content-Type', 'application/merge-patch+json').send({ area: 1000 + i })
            : await http.get(`/countries/${2 + (i % 5)}`).set('Accept', 'application/ld+json');
        statuses.push(res.status);
        if (res.status === 503) {
          expect(res.headers['retry-after']).to.equal('1');
          expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
        }
      }
      expect(statuses.every((s) => s === 200 || s === 503), statuses.join(',')).to.equal(true);
      expect(statuses.slice(-3), statuses.join(',')).to.deep.equal([200, 200, 200]);
    });

    it('accepts a bearer token kept in PostgreSQL', async () => {
      const { token } = await rung.tokens.create({ scopes: ['read'] });
      await http.get('/countries/1').set('Authorization', `Bearer ${token}`).expect(200);
      await http.get('/countries/1').set('Authorization', 'Bearer rung_not-a-token').expect(401);
    });

    it('rung token create --database-url makes a token every instance accepts; the password is never printed', async () => {
      const url = new URL(database!.url);
      url.password = 'unused-by-trust-auth';
      const run = spawnSync(process.execPath, [...CLI, 'token', 'create', '--scopes', 'read', '--name', 'from the CLI', '--database-url', url.toString()], { encoding: 'utf8' });
      expect(run.status, run.stderr).to.equal(0);
      expect(run.stderr).to.include('***').and.not.include('unused-by-trust-auth');
      const token = run.stdout.trim();
      await http.get('/countries/1').set('Authorization', `Bearer ${token}`).expect(200);
      expect((await rung.tokens.list()).map((r) => r.name)).to.include('from the CLI');
    });
  });
});
