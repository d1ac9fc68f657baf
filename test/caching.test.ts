/**
 * Issue 4 §1–5: validators, conditional reads and writes, lost-update
 * prevention under concurrency, Cache-Control / Vary / HEAD, and a real
 * cache's view of it all (http-cache-semantics).
 */
import { expect } from 'chai';
import CachePolicy from 'http-cache-semantics';
import { createCountry, createEvent, createGuest, snapshot, startTestApi, type TestApi } from './helpers.js';

describe('HTTP caching and conditional requests', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.close());

  describe('validators', () => {
    it('every 200 to GET or HEAD carries a strong ETag: items, pages, entry point, docs, contexts', async () => {
      const country = await createCountry(api);
      for (const path of ['/', '/docs', '/contexts/country.jsonld', '/contexts/rung.jsonld', '/countries', '/countries?page=2', country.path]) {
        const get = await api.http.get(path).expect(200);
        expect(get.headers.etag, path).to.match(/^"[^"]+"$/);
        const head = await api.http.head(path).expect(200);
        expect(head.headers.etag, path).to.equal(get.headers.etag);
      }
    });

    it('different pages and filters have different ETags; the same page is stable', async () => {
      const a = await api.http.get('/countries?page=1').expect(200);
      const b = await api.http.get('/countries?page=2').expect(200);
      const a2 = await api.http.get('/countries?page=1').expect(200);
      expect(a.headers.etag).to.equal(a2.headers.etag);
      expect(a.text).to.equal(a2.text);
      // pages share the collection's state token; the representation differs, so the key does too
      expect(a.text).to.not.equal(b.text);
    });

    it('JSON and JSON-LD variants of one resource have their own ETags', async () => {
      const ld = await api.http.get('/countries/1').set('Accept', 'application/ld+json').expect(200);
      const json = await api.http.get('/countries/1').set('Accept', 'application/json').expect(200);
      expect(ld.headers.etag).to.not.equal(json.headers.etag);
    });

    it('items and collections send Last-Modified', async () => {
      const country = await createCountry(api);
      const item = await api.http.get(country.path).expect(200);
      expect(new Date(item.headers['last-modified']).getTime()).to.be.closeTo(Date.now(), 60_000);
      const page = await api.http.get('/countries').expect(200);
      expect(page.headers['last-modified']).to.be.a('string');
    });
  });

  describe('conditional reads', () => {
    it('If-None-Match with the current ETag: 304, no body, with ETag, Cache-Control, Vary, Last-Modified', async () => {
      for (const path of ['/countries/1', '/countries', '/', '/docs', '/contexts/country.jsonld']) {
        const first = await api.http.get(path).expect(200);
        const res = await api.http.get(path).set('If-None-Match', first.headers.etag).expect(304);
        expect(res.text ?? '', path).to.equal('');
        expect(res.headers.etag).to.equal(first.headers.etag);
        expect(res.headers['cache-control']).to.equal(first.headers['cache-control']);
        expect(res.headers.vary).to.equal(first.headers.vary);
        expect(res.headers['last-modified']).to.equal(first.headers['last-modified']);
        expect(res.headers).to.not.have.property('content-type');
      }
    });

    it('If-None-Match: weak form, lists and * all give 304; HEAD too', async () => {
      const first = await api.http.get('/countries/1').expect(200);
      await api.http.get('/countries/1').set('If-None-Match', `W/${first.headers.etag}`).expect(304);
      await api.http.get('/countries/1').set('If-None-Match', `"nope", ${first.headers.etag}`).expect(304);
      await api.http.get('/countries/1').set('If-None-Match', '*').expect(304);
      await api.http.head('/countries/1').set('If-None-Match', first.headers.etag).expect(304);
      await api.http.get('/countries/1').set('If-None-Match', '"stale"').expect(200);
    });

    it('a write changes the ETag, so the old one gets 200 again', async () => {
      const country = await createCountry(api);
      const first = await api.http.get(country.path).expect(200);
      await api.http.patch(country.path).set('Content-Type', 'application/json').send({ area: 77 }).expect(200);
      const res = await api.http.get(country.path).set('If-None-Match', first.headers.etag).expect(200);
      expect(res.body.area).to.equal(77);
      const page = await api.http.get('/countries').expect(200);
      await createCountry(api, { name: 'Another' });
      await api.http.get('/countries').set('If-None-Match', page.headers.etag).expect(200);
    });

    it('If-Modified-Since is honoured when there is no If-None-Match', async () => {
      const first = await api.http.get('/countries/1').expect(200);
      await api.http.get('/countries/1').set('If-Modified-Since', first.headers['last-modified']).expect(304);
      await api.http.get('/countries/1').set('If-Modified-Since', 'Thu, 01 Jan 1970 00:00:00 GMT').expect(200);
      await api.http
        .get('/countries/1')
        .set('If-Modified-Since', first.headers['last-modified'])
        .set('If-None-Match', '"other"')
        .expect(200);
    });

    it('If-Match on GET that does not hold: 412', async () => {
      const res = await api.http.get('/countries/1').set('If-Match', '"stale-jsonld"').expect(412);
      expect(res.headers['content-type']).to.equal('application/problem+json');
    });
  });

  describe('conditional writes', () => {
    it('PUT, PATCH and DELETE with a stale If-Match: 412 problem+json linking the current representation; nothing changes', async () => {
      const country = await createCountry(api);
      await api.http.patch(country.path).set('Content-Type', 'application/json').send({ area: 5 }).expect(200);
      const before = snapshot(api);
      const requests = [
        () => api.http.put(country.path).set('Content-Type', 'application/json').send({ name: 'Stale' }),
        () => api.http.patch(country.path).set('Content-Type', 'application/merge-patch+json').send({ name: 'Stale' }),
        () => api.http.delete(country.path),
      ];
      for (const request of requests) {
        const res = await request().set('If-Match', country.etag);
        expect(res.status).to.equal(412);
        expect(res.headers['content-type']).to.equal('application/problem+json');
        expect(res.body.links).to.deep.equal([{ rel: 'current', href: country.iri }]);
        expect(res.headers.link).to.include(`<${country.iri}>; rel=current`);
        expect(res.headers).to.not.have.property('etag');
      }
      expect(snapshot(api)).to.deep.equal(before);
    });

    it('a current If-Match (from any variant, or a list, or *) lets the write through and returns the new ETag', async () => {
      const country = await createCountry(api);
      const ttlLike = country.etag.replace(/-jsonld"$/, '-json"');
      const res = await api.http.put(country.path).set('If-Match', ttlLike).set('Content-Type', 'application/json').send({ name: 'Fresh' }).expect(200);
      expect(res.headers.etag).to.not.equal(country.etag);
      const got = await api.http.get(country.path).expect(200);
      expect(got.headers.etag).to.equal(res.headers.etag);
      const patched = await api.http
        .patch(country.path)
        .set('If-Match', `"old-jsonld", ${res.headers.etag}`)
        .set('Content-Type', 'application/merge-patch+json')
        .send({ area: 1 })
        .expect(200);
      await api.http.delete(country.path).set('If-Match', '*').expect(204);
      expect(patched.headers.etag).to.match(/^"/);
    });

    it('a weak If-Match never matches (strong comparison)', async () => {
      const country = await createCountry(api);
      await api.http.delete(country.path).set('If-Match', `W/${country.etag}`).expect(412);
      await api.http.get(country.path).expect(200);
    });

    it('If-None-Match: * makes PUT a create-if-absent', async () => {
      const created = await api.http.put('/countries/70000').set('If-None-Match', '*').set('Content-Type', 'application/json').send({ name: 'New' }).expect(201);
      expect(created.headers.location).to.match(/\/countries\/70000$/);
      const before = snapshot(api);
      const again = await api.http.put('/countries/70000').set('If-None-Match', '*').set('Content-Type', 'application/json').send({ name: 'Overwrite' }).expect(412);
      expect(again.headers['content-type']).to.equal('application/problem+json');
      expect(snapshot(api)).to.deep.equal(before);
    });

    it('nested resources (guests) get the same treatment', async () => {
      const country = await createCountry(api);
      const event = await createEvent(api, country.iri);
      const guest = await createGuest(api, event.path);
      const first = await api.http.get(guest.path).expect(200);
      await api.http.get(guest.path).set('If-None-Match', first.headers.etag).expect(304);
      const ok = await api.http.patch(guest.path).set('If-Match', first.headers.etag).set('Content-Type', 'application/json').send({ name: 'Ada B.' }).expect(200);
      await api.http.patch(guest.path).set('If-Match', first.headers.etag).set('Content-Type', 'application/json').send({ name: 'Lost' }).expect(412);
      await api.http.delete(guest.path).set('If-Match', first.headers.etag).expect(412);
      await api.http.delete(guest.path).set('If-Match', ok.headers.etag).expect(204);
      const list = await api.http.get(`${event.path}/guests`).expect(200);
      await api.http.get(`${event.path}/guests`).set('If-None-Match', list.headers.etag).expect(304);
    });
  });

  describe('Cache-Control, Vary, HEAD', () => {
    it('items and collections must revalidate; contexts and the documentation are long-lived', async () => {
      expect((await api.http.get('/countries/1')).headers['cache-control']).to.equal('no-cache');
      expect((await api.http.get('/countries')).headers['cache-control']).to.equal('no-cache');
      expect((await api.http.get('/')).headers['cache-control']).to.equal('no-cache');
      expect((await api.http.get('/docs')).headers['cache-control']).to.equal('public, max-age=3600');
      expect((await api.http.get('/contexts/country.jsonld')).headers['cache-control']).to.equal('public, max-age=86400');
      expect((await api.http.get('/nowhere')).headers['cache-control']).to.equal('no-store');
    });

    it('Cache-Control is configurable per kind of resource', async () => {
      const custom = await startTestApi({ seed: false, cacheControl: { item: 'private, max-age=5', documentation: 'public, max-age=60' } });
      try {
        const country = await createCountry(custom);
        expect((await custom.http.get(country.path)).headers['cache-control']).to.equal('private, max-age=5');
        expect((await custom.http.get('/docs')).headers['cache-control']).to.equal('public, max-age=60');
        expect((await custom.http.get('/countries')).headers['cache-control']).to.equal('no-cache');
      } finally {
        await custom.close();
      }
    });

    it('Vary: Accept on every negotiated response', async () => {
      for (const path of ['/', '/docs', '/countries', '/countries/1', '/contexts/country.jsonld']) {
        expect((await api.http.get(path)).headers.vary, path).to.equal('Accept');
      }
    });

    it('HEAD returns exactly the headers of GET, without the body', async () => {
      for (const path of ['/', '/docs', '/countries?page=3', '/countries/1']) {
        const get = await api.http.get(path).expect(200);
        const head = await api.http.head(path).expect(200);
        const strip = (h: Record<string, string>) => {
          // RateLimit counts down with every request, like Date.
          const { date, 'x-request-id': _id, connection, 'keep-alive': _ka, ratelimit: _rl, ...rest } = h;
          void date; void connection;
          return rest;
        };
        expect(strip(head.headers), path).to.deep.equal(strip(get.headers));
        expect(head.text ?? '').to.equal('');
      }
    });
  });

  describe('as a real HTTP cache sees it (http-cache-semantics)', () => {
    const asRequest = (path: string, headers: Record<string, string> = {}) => ({ url: path, method: 'GET', headers: { host: 'localhost', ...headers } });
    const asResponse = (res: { status: number; headers: Record<string, string> }) => ({ status: res.status, headers: res.headers });

    it('stores an item, requires revalidation, and revalidates to a fresh response with a 304', async () => {
      const req = asRequest('/countries/1', { accept: 'application/ld+json' });
      const res = await api.http.get('/countries/1').set('Accept', 'application/ld+json').expect(200);
      const policy = new CachePolicy(req, asResponse(res), { shared: true });
      expect(policy.storable()).to.equal(true);
      expect(policy.satisfiesWithoutRevalidation(req)).to.equal(false); // no-cache: must revalidate
      const revalidation = policy.revalidationHeaders(req) as Record<string, string>;
      expect(revalidation['if-none-match']).to.equal(res.headers.etag);
      const notModified = await api.http.get('/countries/1').set(revalidation).expect(304);
      const { policy: updated, modified } = policy.revalidatedPolicy(req, asResponse(notModified));
      expect(modified).to.equal(false);
      expect(updated.responseHeaders()['etag']).to.equal(res.headers.etag);
    });

    it('a stored response does not satisfy a request with another Accept (Vary)', async () => {
      const req = asRequest('/docs', { accept: 'application/ld+json' });
      const res = await api.http.get('/docs').set('Accept', 'application/ld+json').expect(200);
      const policy = new CachePolicy(req, asResponse(res), { shared: true });
      expect(policy.storable()).to.equal(true);
      expect(policy.satisfiesWithoutRevalidation(req)).to.equal(true); // max-age=3600
      expect(policy.satisfiesWithoutRevalidation(asRequest('/docs', { accept: 'application/json' }))).to.equal(false);
    });

    it('after a write the revalidation brings a modified response', async () => {
      const country = await createCountry(api);
      const req = asRequest(country.path);
      const res = await api.http.get(country.path).expect(200);
      const policy = new CachePolicy(req, asResponse(res), { shared: true });
      await api.http.patch(country.path).set('Content-Type', 'application/json').send({ area: 9 }).expect(200);
      const again = await api.http.get(country.path).set(policy.revalidationHeaders(req) as Record<string, string>).expect(200);
      expect(policy.revalidatedPolicy(req, asResponse(again)).modified).to.equal(true);
      expect(again.body.area).to.equal(9);
    });

    it('errors are not stored', async () => {
      const res = await api.http.get('/countries/999999').expect(404);
      const policy = new CachePolicy(asRequest('/countries/999999'), asResponse(res), { shared: true });
      expect(policy.storable()).to.equal(false);
    });
  });
});

describe('required preconditions (--require-preconditions)', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({ requirePreconditions: true });
  });
  after(() => api.close());

  it('PUT, PATCH and DELETE without If-Match: 428 problem+json; with it they work', async () => {
    const country = await createCountry(api);
    const before = snapshot(api);
    for (const req of [
      () => api.http.put(country.path).set('Content-Type', 'application/json').send({ name: 'X' }),
      () => api.http.patch(country.path).set('Content-Type', 'application/json').send({ name: 'X' }),
      () => api.http.delete(country.path),
    ]) {
      const res = await req();
      expect(res.status).to.equal(428);
      expect(res.headers['content-type']).to.equal('application/problem+json');
      expect(res.body.detail).to.include('If-Match');
    }
    expect(snapshot(api)).to.deep.equal(before);
    const ok = await api.http.patch(country.path).set('If-Match', country.etag).set('Content-Type', 'application/json').send({ name: 'X' }).expect(200);
    await api.http.delete(country.path).set('If-Match', ok.headers.etag).expect(204);
  });

  it('applies to nested resources; POST is not affected; PUT-create takes If-None-Match: *', async () => {
    const country = await createCountry(api);
    const event = await createEvent(api, country.iri);
    const guest = await createGuest(api, event.path);
    await api.http.delete(guest.path).expect(428);
    await api.http.put('/countries/80000').set('Content-Type', 'application/json').send({ name: 'N' }).expect(428);
    await api.http.put('/countries/80000').set('If-None-Match', '*').set('Content-Type', 'application/json').send({ name: 'N' }).expect(201);
  });
});

describe('concurrency: lost updates are prevented', () => {
  it('20 concurrent PUTs with the same If-Match: exactly one wins, 19 get 412, the store holds the winner', async () => {
    const api = await startTestApi({ seed: false });
    try {
      const country = await createCountry(api, { name: 'Contested', capital: 'C0', area: 0 });
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          api.http
            .put(country.path)
            .set('If-Match', country.etag)
            .set('Content-Type', 'application/json')
            .send({ name: `Writer ${i}`, capital: `C${i}`, area: i }),
        ),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).to.have.length(1);
      expect(statuses.filter((s) => s === 412)).to.have.length(19);
      const winner = responses.find((r) => r.status === 200)!;
      const stored = await api.http.get(country.path).expect(200);
      expect(stored.body).to.include({ name: winner.body.name, capital: winner.body.capital, area: winner.body.area });
      expect(stored.headers.etag).to.equal(winner.headers.etag);
      const row = snapshot(api).countries[0] as { version: number; name: string };
      expect(row.version).to.equal(2);
      expect(row.name).to.equal(winner.body.name);
    } finally {
      await api.close();
    }
  });
});

