/**
 * Issue 13 §2: two `rung serve` processes over one PostgreSQL database are
 * one API. What one instance acknowledged, the other serves — same body,
 * same ETag — from the very next request, even with both caches warm and
 * under concurrent load; conditional writes race fairly across instances.
 */
import { expect } from 'chai';
import { startCli, type Child } from './helpers.js';
import { createTestDatabase, requirePostgres, type TestDatabase } from './helpers-pg.js';

const JSONLD = 'application/ld+json';

describe('two instances over one PostgreSQL database', function () {
  this.timeout(120_000);
  let database: TestDatabase | undefined;
  let a: Child | undefined;
  let b: Child | undefined;

  before(async function () {
    await requirePostgres(this, 'the multi-instance suite');
    database = await createTestDatabase();
    const args = ['--database-url', database.url, '--no-seed', '--rate-limit', 'off'];
    // Started together: migrations take turns under the advisory lock.
    [a, b] = await Promise.all([startCli(args, { LOG_LEVEL: 'silent' }), startCli(args, { LOG_LEVEL: 'silent' })]);
  });

  after(async () => {
    for (const child of [a, b]) {
      child?.process.kill('SIGTERM');
      await child?.exited;
    }
    await database?.drop();
  });

  const get = (server: Child, path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers: { Accept: JSONLD, ...headers } });
  const put = (server: Child, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { method: 'PUT', headers: { 'Content-Type': 'application/json', Accept: JSONLD, ...headers }, body: JSON.stringify(body) });
  async function create(server: Child, name: string): Promise<string> {
    const res = await fetch(`${server.url}/countries`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name }) });
    expect(res.status).to.equal(201);
    return new URL(res.headers.get('location')!).pathname;
  }

  it('serves on B what was created on A, with the same ETag on both', async () => {
    const path = await create(a!, 'Created on A');
    const onB = await get(b!, path);
    expect(onB.status).to.equal(200);
    expect(((await onB.json()) as { name: string }).name).to.equal('Created on A');
    const onA = await get(a!, path);
    expect(onA.status).to.equal(200);
    expect(onB.headers.get('etag')).to.be.a('string').and.equal(onA.headers.get('etag'));
    // And a revalidation on one instance with the other's ETag is a 304.
    expect((await get(a!, path, { 'If-None-Match': onB.headers.get('etag')! })).status).to.equal(304);
  });

  it('answers 412 on B to a PUT carrying the ETag A served before its update', async () => {
    const path = await create(a!, 'Before');
    const before = (await get(a!, path)).headers.get('etag')!;
    const updated = await put(a!, path, { name: 'Updated on A' }, { 'If-Match': before });
    expect(updated.status).to.equal(200);
    const stale = await put(b!, path, { name: 'Lost update' }, { 'If-Match': before });
    expect(stale.status).to.equal(412);
    const now = await get(b!, path);
    expect(((await now.json()) as { name: string }).name).to.equal('Updated on A');
    expect(now.headers.get('etag')).to.equal(updated.headers.get('etag'));
  });

  it('lets exactly one of 20 concurrent conditional PUTs spread over both instances win', async () => {
    const path = await create(b!, 'Contested');
    const etag = (await get(a!, path)).headers.get('etag')!;
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => put(i % 2 ? a! : b!, path, { name: `Writer ${i}` }, { 'If-Match': etag })),
    );
    const statuses = outcomes.map((r) => r.status);
    expect(statuses.filter((s) => s >= 200 && s < 300), statuses.join(',')).to.have.length(1);
    expect(statuses.filter((s) => s === 412), statuses.join(',')).to.have.length(19);
    const winner = outcomes.findIndex((r) => r.status < 300);
    const final = await get(a!, path);
    expect(((await final.json()) as { name: string }).name).to.equal(`Writer ${winner}`);
    expect(final.headers.get('etag')).to.equal(outcomes[winner].headers.get('etag'));
    expect((await get(b!, path)).headers.get('etag')).to.equal(final.headers.get('etag'));
  });

  it('never serves a stale representation after the other instance acknowledged a write: hundreds of rounds under load', async () => {
    const K = 8;
    const paths: string[] = [];
    for (let i = 0; i < K; i++) paths.push(await create(i % 2 ? a! : b!, `Item ${i}`));
    const busy: string[] = [];
    for (let i = 0; i < 4; i++) busy.push(await create(a!, `Busy ${i}`));
    // Warm every cache: each URL read twice on each instance (responses are kept from their second request).
    for (const server of [a!, b!]) for (const path of [...paths, '/countries']) for (let n = 0; n < 2; n++) expect((await get(server, path)).status).to.equal(200);

    // Background load: both instances keep reading the same items (keeping them cached) and writing others.
    let stop = false;
    let backgroundRequests = 0;
    const background = Array.from({ length: 3 }, async (_, w) => {
      for (let n = 0; !stop; n++) {
        const server = (n + w) % 2 ? a! : b!;
        const res =
          w === 2
            ? await put(server, busy[n % busy.length], { name: `Busy ${n}` })
            : await get(server, n % 3 === 0 ? '/countries' : paths[(n * 7 + w) % K]);
        expect(res.status, `background ${res.url}`).to.be.oneOf([200]);
        await res.arrayBuffer();
        backgroundRequests++;
      }
    });

    const ROUNDS = 200;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const [writer, reader] = round % 2 ? [a!, b!] : [b!, a!];
        const path = paths[round % K];
        const name = `Round ${round}`;
        const written = await put(writer, path, { name });
        expect(written.status, `round ${round} write`).to.equal(200);
        const etag = written.headers.get('etag');
        await written.arrayBuffer();
        for (const server of [reader, writer]) {
          const read = await get(server, path);
          expect(read.status).to.equal(200);
          expect(((await read.json()) as { name: string }).name, `round ${round} item on ${server === a ? 'A' : 'B'}`).to.equal(name);
          expect(read.headers.get('etag'), `round ${round} ETag on ${server === a ? 'A' : 'B'}`).to.equal(etag);
        }
        if (round % 4 === 0) {
          const page = (await (await get(reader, '/countries')).json()) as { member: { '@id': string; name: string }[] };
          const member = page.member.find((m) => new URL(m['@id']).pathname === path);
          expect(member?.name, `round ${round} collection page`).to.equal(name);
        }
      }
    } finally {
      stop = true;
      await Promise.all(background);
    }
    expect(backgroundRequests).to.be.greaterThan(ROUNDS);
  });
});
