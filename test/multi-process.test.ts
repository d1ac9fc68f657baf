/**
 * Issue 17 §1: two Rung processes over one SQLite file take concurrent
 * writes without a 5xx, and lose none they acknowledged; a database still
 * busy after the timeout is a 503 to retry, never a 500.
 */
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExampleApi } from '../src/example/index.js';
import { SqliteStore } from '../src/index.js';
import { snapshot, startCli, type Child } from './helpers.js';
import supertest from 'supertest';

describe('two processes over one SQLite file', function () {
  this.timeout(120_000);
  let dir: string;
  let a: Child;
  let b: Child;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rung-two-'));
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

  it('answers hundreds of concurrent PATCH, DELETE and POST without a 5xx, and keeps every acknowledged write', async () => {
    const N = 240;
    const ids: number[] = [];
    for (let i = 0; i < N; i++) {
      const res = await fetch(`${(i % 2 ? a : b).url}/countries`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: `Country ${i}` }),
      });
      expect(res.status).to.equal(201);
      ids.push(Number(new URL(res.headers.get('location')!).pathname.split('/').pop()));
    }
    // Each item gets one write, alternately through A and B, all at once:
    // PATCH the even ones, DELETE the odd ones, and create as many again.
    const writes = ids.flatMap((id, i) => {
      const server = (i % 2 ? a : b).url;
      const write =
        i % 2 === 0
          ? fetch(`${server}/countries/${id}`, {
              method: 'PATCH',
              headers: { 'Content-Type': 'application/merge-patch+json' },
              body: JSON.stringify({ capital: `Capital ${id}` }),
            })
          : fetch(`${server}/countries/${id}`, { method: 'DELETE' });
      const create = fetch(`${(i % 2 ? b : a).url}/countries`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: `New ${i}` }),
      });
      return [write.then((res) => ({ kind: i % 2 === 0 ? 'patch' : 'delete', id, res })), create.then((res) => ({ kind: 'post', id: 0, res }))];
    });
    const results = await Promise.all(writes);
    const statuses = results.map((r) => r.res.status);
    expect(statuses.filter((s) => s >= 500), 'no 5xx').to.deep.equal([]);

    for (const { kind, id, res } of results) {
      if (kind === 'patch') {
        expect(res.status).to.equal(200);
        const stored = await (await fetch(`${b.url}/countries/${id}`)).json();
        expect(stored.capital).to.equal(`Capital ${id}`);
      } else if (kind === 'delete') {
        expect(res.status).to.equal(204);
        expect((await fetch(`${a.url}/countries/${id}`)).status).to.equal(404);
      } else {
        expect(res.status).to.equal(201);
        expect((await fetch(res.headers.get('location')!)).status).to.equal(200);
      }
    }
    const total = (await (await fetch(`${a.url}/countries?pageSize=1`)).json()).totalItems;
    expect(total).to.equal(N / 2 + N);
  });
});

describe('a database busy past the timeout', () => {
  it('is a 503 problem with Retry-After, and nothing is stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rung-busy-'));
    const path = join(dir, 'busy.db');
    const store = new SqliteStore({ path, busyTimeoutMs: 50 });
    const rung = await createExampleApi({ store, seed: false });
    const http = supertest(rung.app.callback());
    // Another connection holds the write lock for the whole request.
    const other = new Database(path);
    try {
      const before = snapshot({ rung } as never);
      other.exec('BEGIN IMMEDIATE');
      const res = await http.post('/countries').set('Content-Type', 'application/json').send({ name: 'Busyland' });
      other.exec('ROLLBACK');
      expect(res.status).to.equal(503);
      expect(res.headers['content-type']).to.equal('application/problem+json');
      expect(res.headers['retry-after']).to.equal('1');
      expect(res.body.type).to.match(/\/problems\/service-unavailable$/);
      expect(res.body.detail).to.match(/busy/);
      expect(res.text).to.not.match(/SQLITE|locked/i);
      expect(snapshot({ rung } as never)).to.deep.equal(before);
      // Once the lock is gone, the same request succeeds.
      await http.post('/countries').set('Content-Type', 'application/json').send({ name: 'Busyland' }).expect(201);
    } finally {
      other.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
