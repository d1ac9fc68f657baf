/**
 * Issue 10 §5: a 304 must not shrink the `Link` header. A cache replaces the
 * stored header fields with those of a 304 (RFC 9111 §3.2, §4.3.4), so after
 * a revalidation the stored response must still carry every link of the 200 —
 * whether the 304 comes from the responder or from the whole-response cache.
 */
import { expect } from 'chai';
import CachePolicy from 'http-cache-semantics';
import LinkHeader from 'http-link-header';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore, type Store } from '../src/index.js';
import { createCountry, createEvent, createGuest, startTestApi, type TestApi } from './helpers.js';

/** A store that counts every call: the whole-response cache answers without one. */
function countingStore(inner: Store) {
  let calls = 0;
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (property !== 'freshness') calls++;
        return value.apply(target, args);
      };
    },
  });
  return { store, calls: () => calls };
}

describe('a 304 carries the same Link set as the 200 (http-cache-semantics)', () => {
  let dir: string;
  let sqlite: SqliteStore;
  let counted: ReturnType<typeof countingStore>;
  let api: TestApi;
  const paths: Record<string, string> = {};

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rung-304-'));
    sqlite = new SqliteStore({ path: join(dir, 'links.db') });
    counted = countingStore(sqlite);
    api = await startTestApi({ store: counted.store, seed: false });
    const country = await createCountry(api, { name: 'Linkland', capital: 'Hub', area: 1 });
    const event = await createEvent(api, country.iri);
    const guest = await createGuest(api, event.path);
    Object.assign(paths, { 'a country': country.path, 'an event': event.path, 'a guest': guest.path, 'a page': '/countries?pageSize=1' });
  });
  after(async () => {
    await api.close();
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const asRequest = (path: string, accept: string) => ({ url: path, method: 'GET', headers: { host: new URL(api.base).host, accept } });
  const asResponse = (res: { status: number; headers: Record<string, string> }) => ({ status: res.status, headers: res.headers });

  /** Store a 200 in a shared cache, revalidate it with a 304, and return both Link headers and whether the store was read. */
  async function revalidate(path: string, accept: string, gets: number) {
    const req = asRequest(path, accept);
    let res!: Awaited<ReturnType<typeof api.http.get>>;
    for (let i = 0; i < gets; i++) res = await api.http.get(path).set('Accept', accept).expect(200);
    const policy = new CachePolicy(req, asResponse(res), { shared: true });
    expect(policy.storable()).to.equal(true);
    const before = counted.calls();
    const notModified = await api.http.get(path).set(policy.revalidationHeaders(req) as Record<string, string>).expect(304);
    const storeRead = counted.calls() > before;
    const { policy: updated, modified } = policy.revalidatedPolicy(req, asResponse(notModified));
    expect(modified).to.equal(false);
    return { link200: res.headers.link, stored: updated.responseHeaders().link as string, link304: notModified.headers.link, storeRead };
  }

  for (const name of ['a country', 'an event', 'a guest', 'a page']) {
    for (const accept of ['application/ld+json', 'text/turtle', 'application/json']) {
      it(`${name} as ${accept}: the responder's 304 and the response cache's 304 keep every link`, async () => {
        const path = paths[name];
        // Answered by the responder: the response was made once only, so it is not cached whole yet.
        const fromResponder = await revalidate(path, accept, 1);
        expect(fromResponder.storeRead, 'the responder answered').to.equal(true);
        // Answered by the whole-response cache: made twice, so it is cached.
        const fromCache = await revalidate(path, accept, 2);
        expect(fromCache.storeRead, 'the response cache answered').to.equal(false);

        for (const { link200, link304, stored } of [fromResponder, fromCache]) {
          expect(link304, 'the 304 sends the Link set of the 200').to.equal(link200);
          expect(stored, 'the stored Link after revalidation').to.equal(link200);
          const rels = LinkHeader.parse(stored).refs.map((r) => r.rel);
          expect(rels).to.include('http://www.w3.org/ns/hydra/core#apiDocumentation');
          expect(rels.filter((r) => r === 'http://www.w3.org/ns/hydra/core#apiDocumentation'), 'once').to.have.length(1);
          expect(rels).to.include('describedby');
          if (name !== 'a page') expect(rels).to.include.members(['collection', 'up']);
          if (accept === 'application/json') expect(rels).to.include('http://www.w3.org/ns/json-ld#context');
        }
      });
    }
  }
});
