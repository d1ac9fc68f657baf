/** Issue 2 §3: methods and status codes on a top-level resource, against real SQLite. */
import { expect } from 'chai';
import { mergePatch } from '../src/resources/input.js';
import { createCountry, pathOf, snapshot, startTestApi, type TestApi } from './helpers.js';

describe('CRUD on /countries', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await startTestApi();
  });
  afterEach(() => api.close());

  it('seeds every country on first start, Thailand, Australia and Egypt among them', async () => {
    const all = await api.http.get('/countries?pageSize=100').expect(200);
    expect(all.body.totalItems).to.be.greaterThan(240);
    for (const [name, capital] of [['Thailand', 'Bangkok'], ['Australia', 'Canberra'], ['Egypt', 'Cairo']]) {
      const res = await api.http.get(`/countries?name=${name}`).expect(200);
      expect(res.body.member[0]).to.include({ name, capital });
    }
  });

  it('GET an item: 200 with @context, @id (absolute, dereferenceable) and @type', async () => {
    const list = await api.http.get('/countries?name=Thailand').expect(200);
    const iri = list.body.member[0]['@id'] as string;
    const res = await api.http.get(pathOf(iri)).expect(200);
    expect(res.headers['content-type']).to.equal('application/ld+json');
    expect(res.body['@context']).to.match(/^http:\/\/127\.0\.0\.1:\d+\/contexts\/country\.jsonld$/);
    expect(res.body['@id']).to.equal(iri);
    // No event is held in Thailand: it is also a DeletableCountry (issue 11).
    expect(res.body['@type']).to.deep.equal(['Country', 'DeletableCountry']);
    expect(res.body).to.include({ name: 'Thailand', capital: 'Bangkok', area: 513120 });
    expect(res.body.collection).to.match(/\/countries$/);
  });

  it('GET an unknown item or route: 404 problem+json', async () => {
    for (const path of ['/countries/999999', '/countries/abc', '/countries/0', '/nowhere', '/countries/1/nothing']) {
      const res = await api.http.get(path).expect(404);
      expect(res.headers['content-type']).to.equal('application/problem+json');
      expect(res.body).to.include({ status: 404, title: 'Not Found', instance: path });
    }
  });

  it('POST: 201 with Location, the created representation and a server-generated id', async () => {
    const res = await api.http
      .post('/countries')
      .set('Content-Type', 'application/json')
      .send({ name: 'Germany', capital: 'Berlin', area: 357022 })
      .expect(201);
    expect(res.headers.location).to.match(/^http:\/\/127\.0\.0\.1:\d+\/countries\/\d+$/);
    expect(res.body['@id']).to.equal(res.headers.location);
    expect(res.body).to.include({ name: 'Germany', capital: 'Berlin', area: 357022 });
    expect(res.headers.etag).to.match(/^"[^"]+"$/);
    const stored = await api.http.get(pathOf(res.headers.location)).expect(200);
    expect(stored.body).to.include({ name: 'Germany', capital: 'Berlin', area: 357022 });
  });

  it('POST ignores a client-sent id field by refusing it (ids are the server\'s)', async () => {
    const before = snapshot(api);
    const res = await api.http.post('/countries').set('Content-Type', 'application/json').send({ id: 7, name: 'X' }).expect(422);
    expect(res.body.violations).to.deep.include({ pointer: '/id', message: 'is not a field of Country' });
    expect(snapshot(api)).to.deep.equal(before);
  });

  it('PUT replaces fully: fields not sent are gone; 200 with the full representation', async () => {
    const { path } = await createCountry(api, { name: 'Atlantis', capital: 'Poseidonia', area: 5000 });
    const res = await api.http.put(path).set('Content-Type', 'application/json').send({ name: 'Atlantis' }).expect(200);
    expect(res.body.name).to.equal('Atlantis');
    expect(res.body).to.not.have.property('capital');
    expect(res.body).to.not.have.property('area');
    const stored = await api.http.get(path).expect(200);
    expect(stored.body).to.not.have.property('capital');
  });

  it('PUT validates like a create (422 when a required field is missing)', async () => {
    const { path } = await createCountry(api);
    const before = snapshot(api);
    const res = await api.http.put(path).set('Content-Type', 'application/json').send({ capital: 'Nowhere' }).expect(422);
    expect(res.body.violations).to.deep.include({ pointer: '/name', message: 'is required' });
    expect(snapshot(api)).to.deep.equal(before);
  });

  it('PUT accepts what GET returned (round trip with @context, @id, @type and links)', async () => {
    const { path } = await createCountry(api);
    const got = await api.http.get(path).expect(200);
    const res = await api.http
      .put(path)
      .set('Content-Type', 'application/ld+json')
      .send({ ...got.body, capital: 'Golden City' });
    expect(res.status, res.text).to.equal(200);
    expect(res.body.capital).to.equal('Golden City');
  });

  it('PUT to a free id creates the item there: 201', async () => {
    const res = await api.http.put('/countries/50000').set('Content-Type', 'application/json').send({ name: 'Freedonia' }).expect(201);
    expect(res.headers.location).to.match(/\/countries\/50000$/);
    await api.http.get('/countries/50000').expect(200);
  });

  it('PUT cannot create at an id so large that generated ids would overflow (409), and nothing is stored', async () => {
    const before = snapshot(api);
    const res = await api.http.put('/countries/9007199254740991').set('Content-Type', 'application/json').send({ name: 'Far' }).expect(409);
    expect(res.body.detail).to.include('2147483647');
    expect(snapshot(api)).to.deep.equal(before);
    await api.http.put('/countries/2147483647').set('Content-Type', 'application/json').send({ name: 'Edge' }).expect(201);
    const next = await api.http.post('/countries').set('Content-Type', 'application/json').send({ name: 'After' }).expect(201);
    expect(next.headers.location).to.match(/\/countries\/2147483648$/);
  });

  it('PATCH with merge-patch+json or JSON: partial update, null removes, 200 with the full representation', async () => {
    const { path } = await createCountry(api, { name: 'Sokovia', capital: 'Novi Grad', area: 1234 });
    const res = await api.http.patch(path).set('Content-Type', 'application/merge-patch+json').send({ area: 2000 }).expect(200);
    expect(res.body).to.include({ name: 'Sokovia', capital: 'Novi Grad', area: 2000 });
    const res2 = await api.http.patch(path).set('Content-Type', 'application/json').send({ capital: null }).expect(200);
    expect(res2.body).to.include({ name: 'Sokovia', area: 2000 });
    expect(res2.body).to.not.have.property('capital');
  });

  it('PATCH validates the merged result (removing a required field is 422) and an unknown item is 404', async () => {
    const { path } = await createCountry(api);
    const before = snapshot(api);
    const res = await api.http.patch(path).set('Content-Type', 'application/merge-patch+json').send({ name: null }).expect(422);
    expect(res.body.violations).to.deep.include({ pointer: '/name', message: 'is required' });
    expect(snapshot(api)).to.deep.equal(before);
    await api.http.patch('/countries/999999').set('Content-Type', 'application/merge-patch+json').send({ area: 1 }).expect(404);
  });

  it('a "__proto__" member in a body is refused with 400, never taken as a prototype', async () => {
    const { path } = await createCountry(api, { name: 'Protoland' });
    const before = snapshot(api);
    for (const [method, target, type] of [
      ['patch', path, 'application/merge-patch+json'],
      ['put', path, 'application/json'],
      ['post', '/countries', 'application/json'],
    ] as const) {
      const res = await api.http[method](target).set('Content-Type', type).send('{"name": "Protoland", "__proto__": {"capital": "Injected"}}').expect(400);
      expect(res.headers['content-type']).to.equal('application/problem+json');
      expect(res.body.detail).to.include('prototype');
    }
    expect(snapshot(api)).to.deep.equal(before);
  });

  it('merge patches treat a "__proto__" member as data', () => {
    const merged = mergePatch({ name: 'a' }, JSON.parse('{"__proto__": {"capital": "x"}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(merged)).to.equal(Object.prototype);
    expect(Object.keys(merged)).to.deep.equal(['name', '__proto__']);
    expect((merged as { capital?: string }).capital).to.equal(undefined);
  });

  it('a write that changes nothing writes nothing: same version, same ETag', async () => {
    const country = await createCountry(api, { name: 'Stillland', capital: 'Calm' });
    const before = snapshot(api);
    const patched = await api.http.patch(country.path).set('Content-Type', 'application/merge-patch+json').send({}).expect(200);
    expect(patched.headers.etag).to.equal(country.etag);
    const put = await api.http.put(country.path).set('Content-Type', 'application/json').send({ name: 'Stillland', capital: 'Calm' }).expect(200);
    expect(put.headers.etag).to.equal(country.etag);
    expect(snapshot(api)).to.deep.equal(before);
  });

  it('a merge patch that is not an object is a 422 (RFC 7396 would replace the whole item with it)', async () => {
    const { path } = await createCountry(api);
    const before = snapshot(api);
    for (const body of ['[]', '[{"name": "x"}]', '"x"', '7']) {
      const res = await api.http.patch(path).set('Content-Type', 'application/merge-patch+json').send(body).expect(422);
      expect(res.body.violations[0].pointer, body).to.equal('');
    }
    expect(snapshot(api)).to.deep.equal(before);
  });

  it('DELETE: 204, then the item is 404', async () => {
    const { path } = await createCountry(api);
    const res = await api.http.delete(path).expect(204);
    expect(res.text).to.equal('');
    await api.http.get(path).expect(404);
    await api.http.delete(path).expect(404);
  });

  it('every write increments the stored version and updates the timestamps', async () => {
    const { path } = await createCountry(api);
    const id = Number(path.split('/').pop());
    const store = api.rung.runtime.store;
    const model = api.rung.runtime.registry.get('Country')!.model;
    const v1 = (await store.get(model, id))!;
    expect(v1.version).to.equal(1);
    await new Promise((r) => setTimeout(r, 5));
    await api.http.patch(path).set('Content-Type', 'application/json').send({ area: 1 }).expect(200);
    const v2 = (await store.get(model, id))!;
    expect(v2.version).to.equal(2);
    expect(v2.createdAt.getTime()).to.equal(v1.createdAt.getTime());
    expect(v2.updatedAt.getTime()).to.be.greaterThan(v1.updatedAt.getTime());
  });

  // Issue 11: RFC 9110 §6.4.2 — with Content-Location equal to the target (or the
  // new resource), a write's body is identified as that resource's new state.
  it('every write answered with the representation names it in Content-Location; reads do not', async () => {
    const created = await api.http.post('/countries').set('Content-Type', 'application/json').send({ name: 'Located' }).expect(201);
    expect(created.headers['content-location']).to.equal(created.headers.location);
    const path = pathOf(created.headers.location);
    const put = await api.http.put(path).set('Content-Type', 'application/json').send({ name: 'Located', area: 1 }).expect(200);
    expect(put.headers['content-location']).to.equal(created.headers.location);
    const patch = await api.http.patch(path).set('Content-Type', 'application/merge-patch+json').send({ area: 2 }).expect(200);
    expect(patch.headers['content-location']).to.equal(created.headers.location);
    expect(patch.body['@id']).to.equal(patch.headers['content-location']);
    const free = `${path.replace(/\d+$/, '')}${777000 + Math.floor(Math.random() * 1000)}`;
    const createdByPut = await api.http.put(free).set('Content-Type', 'application/json').send({ name: 'Put Land' }).expect(201);
    expect(createdByPut.headers['content-location']).to.equal(createdByPut.headers.location);
    const read = await api.http.get(path).expect(200);
    expect(read.headers).to.not.have.property('content-location');
    const deleted = await api.http.delete(free).expect(204);
    expect(deleted.headers).to.not.have.property('content-location');
  });

  it('HEAD is GET without a body; OPTIONS answers with Allow; other methods get 405 with Allow', async () => {
    const { path } = await createCountry(api);
    const get = await api.http.get(path).expect(200);
    const head = await api.http.head(path).expect(200);
    expect(head.text ?? '').to.equal('');
    for (const h of ['content-type', 'etag', 'content-length', 'cache-control', 'vary', 'last-modified', 'link']) {
      expect(head.headers[h], h).to.equal(get.headers[h]);
    }
    const opts = await api.http.options(path).expect(204);
    expect(opts.headers.allow).to.equal('GET, HEAD, PUT, PATCH, DELETE, OPTIONS');
    expect(opts.headers['accept-patch']).to.include('application/merge-patch+json');
    const collOpts = await api.http.options('/countries').expect(204);
    expect(collOpts.headers.allow).to.equal('GET, HEAD, POST, OPTIONS');
    expect(collOpts.headers['accept-post']).to.equal('application/ld+json, application/json');
    const post = await api.http.post(path).set('Content-Type', 'application/json').send({ name: 'x' }).expect(405);
    expect(post.headers.allow).to.equal('GET, HEAD, PUT, PATCH, DELETE, OPTIONS');
    expect(post.headers['content-type']).to.equal('application/problem+json');
    const del = await api.http.delete('/countries').expect(405);
    expect(del.headers.allow).to.equal('GET, HEAD, POST, OPTIONS');
    const put = await api.http.put('/').set('Content-Type', 'application/json').send({}).expect(405);
    expect(put.headers.allow).to.equal('GET, HEAD, OPTIONS');
  });
});
