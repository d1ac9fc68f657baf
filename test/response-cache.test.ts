/** The whole-response cache in front of routing: fast, and never stale. */
import { expect } from 'chai';
import { createCountry, startTestApi, type TestApi } from './helpers.js';

describe('response cache', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.close());

  it('serves a repeated GET with identical bytes and headers, but a fresh request id', async () => {
    const a = await api.http.get('/countries/3').expect(200);
    const b = await api.http.get('/countries/3').expect(200);
    expect(b.text).to.equal(a.text);
    for (const h of ['etag', 'content-type', 'link', 'vary', 'cache-control', 'last-modified', 'content-length']) {
      expect(b.headers[h], h).to.equal(a.headers[h]);
    }
    expect(b.headers['x-request-id']).to.not.equal(a.headers['x-request-id']);
    expect(b.headers.link.match(/apiDocumentation/g)).to.have.length(1);
  });

  it('never serves a response made before a write', async () => {
    const country = await createCountry(api, { name: 'Cacheland', area: 1 });
    const before = await api.http.get(country.path).expect(200);
    await api.http.get(country.path).expect(200);
    await api.http.patch(country.path).set('Content-Type', 'application/json').send({ area: 2 }).expect(200);
    const after = await api.http.get(country.path).expect(200);
    expect(after.body.area).to.equal(2);
    expect(after.headers.etag).to.not.equal(before.headers.etag);
    // a write elsewhere also moves every cached page on
    const page = await api.http.get('/countries?name=Cacheland').expect(200);
    await api.http.delete(country.path).expect(204);
    const empty = await api.http.get('/countries?name=Cacheland').expect(200);
    expect(empty.body.totalItems).to.equal(0);
    expect(page.body.totalItems).to.equal(1);
  });

  it('keeps variants apart by Accept', async () => {
    const ld = await api.http.get('/countries/4').set('Accept', 'application/ld+json').expect(200);
    const json = await api.http.get('/countries/4').set('Accept', 'application/json').expect(200);
    const ld2 = await api.http.get('/countries/4').set('Accept', 'application/ld+json').expect(200);
    expect(json.headers['content-type']).to.equal('application/json');
    expect(json.body).to.not.have.property('@context');
    expect(ld2.headers['content-type']).to.equal('application/ld+json');
    expect(ld2.text).to.equal(ld.text);
  });

  it('answers conditional requests from the cache: 304 with validators, 412 through the full path', async () => {
    const first = await api.http.get('/countries/5').expect(200);
    await api.http.get('/countries/5').expect(200); // cached now
    const notModified = await api.http.get('/countries/5').set('If-None-Match', first.headers.etag).expect(304);
    expect(notModified.headers.etag).to.equal(first.headers.etag);
    expect(notModified.headers['cache-control']).to.equal('no-cache');
    expect(notModified.headers.vary).to.equal('Accept');
    expect(notModified.headers.link).to.include('apiDocumentation');
    const failed = await api.http.get('/countries/5').set('If-Match', '"nope-jsonld"').expect(412);
    expect(failed.headers['content-type']).to.equal('application/problem+json');
    const head = await api.http.head('/countries/5').expect(200);
    expect(head.headers.etag).to.equal(first.headers.etag);
    expect(head.text ?? '').to.equal('');
  });
});
