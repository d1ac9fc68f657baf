/**
 * The example API at levels 0, 1 and 2 beside the real one: one store (a
 * write at any level is seen at every other), each level's own way of
 * asking and answering, the level named in `Rung-Level`, the guide linked
 * with rel="help" and served as HTML without script.
 */
import { expect } from 'chai';
import LinkHeader from 'http-link-header';
import { createRung } from '../src/index.js';
import { exampleResources } from '../src/example/index.js';
import { snapshot, startTestApi, type TestApi } from './helpers.js';

const JSON_TYPE = 'application/json';

describe('REST maturity levels', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.close());

  const level0 = (body: unknown) => api.http.post('/levels/0').set('Content-Type', JSON_TYPE).send(JSON.stringify(body));
  const level1 = (path: string, body: unknown) => api.http.post(`/levels/1${path}`).set('Content-Type', JSON_TYPE).send(JSON.stringify(body));
  const helpOf = (res: { headers: Record<string, string> }) => LinkHeader.parse(res.headers.link ?? '').rel('help').map((l) => l.uri);

  describe('level 0: one endpoint, POST only, 200 with errors inside', () => {
    it('runs the five tasks through one URL, and the result is the same data as level 3', async () => {
      const created = await level0({ action: 'createCountry', data: { name: 'Atlantis', capital: 'Poseidonia', area: 5000 } }).expect(200);
      expect(created.body.ok).to.equal(true);
      const id = created.body.result.id;
      expect(created.body.result).to.deep.equal({ id, name: 'Atlantis', capital: 'Poseidonia', area: 5000 });
      const level3 = await api.http.get(`/countries/${id}`).expect(200);
      expect(level3.body).to.include({ name: 'Atlantis', capital: 'Poseidonia', area: 5000 });

      const listed = await level0({ action: 'listCountries', params: { name: 'Atlantis' } }).expect(200);
      expect(listed.body.result).to.deep.include({ total: 1, page: 1 });
      expect(listed.body.result.items).to.deep.equal([{ id, name: 'Atlantis', capital: 'Poseidonia', area: 5000 }]);

      const updated = await level0({ action: 'updateCountry', id, data: { area: 4200 } }).expect(200);
      expect(updated.body.result.area).to.equal(4200);
      expect((await api.http.get(`/countries/${id}`)).body.area).to.equal(4200);

      expect((await level0({ action: 'deleteCountry', id }).expect(200)).body).to.deep.equal({ ok: true, result: null });
      await api.http.get(`/countries/${id}`).expect(404);
      const gone = await level0({ action: 'getCountry', id }).expect(200);
      expect(gone.body).to.deep.equal({ ok: false, error: { code: 'not-found', message: 'No resource exists at this URL.' } });
    });

    it('answers everything with 200: GET, unknown actions, bad JSON, a body type it does not take, invalid data', async () => {
      const before = snapshot(api);
      const answers = [
        await api.http.get('/levels/0'),
        await api.http.delete('/levels/0'),
        await level0({ action: 'launchRocket' }),
        await level0({ nothing: true }),
        await api.http.post('/levels/0').set('Content-Type', JSON_TYPE).send('{"action": '),
        await api.http.post('/levels/0').set('Content-Type', 'application/xml').send('<action/>'),
        await level0({ action: 'createCountry', data: { capital: 42, area: -5 } }),
        await level0({ action: 'getCountry', id: 'five' }),
      ];
      const codes = answers.map((res) => {
        expect(res.status).to.equal(200);
        expect(res.headers['rung-level']).to.equal('0');
        expect(res.body.ok).to.equal(false);
        return res.body.error.code;
      });
      expect(codes).to.deep.equal(['use-post', 'use-post', 'unknown-action', 'invalid-request', 'malformed-body', 'unsupported-media-type', 'validation-failed', 'invalid-request']);
      expect(answers[6].body.error.violations.map((v: { pointer: string }) => v.pointer)).to.have.members(['/name', '/capital', '/area']);
      expect(snapshot(api)).to.deep.equal(before);
    });

    it('reaches nested resources and relations by id', async () => {
      const country = (await level0({ action: 'createCountry', data: { name: 'Lemuria' } })).body.result.id;
      const event = await level0({ action: 'createEvent', data: { name: 'RestConf', startDate: '2027-05-01T11:00:00+02:00', location: country } });
      expect(event.body.result).to.deep.include({ name: 'RestConf', startDate: '2027-05-01T09:00:00Z', location: country });
      const eventId = event.body.result.id;
      expect((await api.http.get(`/events/${eventId}`)).body.location).to.equal(`${api.base}/countries/${country}`);
      const guest = await level0({ action: 'createGuest', event: eventId, data: { name: 'Ada', email: 'ada@example.org' } });
      expect(guest.body.result).to.deep.include({ event: eventId, name: 'Ada' });
      expect((await level0({ action: 'listGuests' })).body.error.code).to.equal('invalid-request');
      const refused = await level0({ action: 'deleteCountry', id: country });
      expect(refused.status).to.equal(200);
      expect(refused.body.error.code).to.equal('still-referenced');
    });
  });

  describe('level 1: a URL per resource, still POST and 200', () => {
    it('reads, creates, updates and deletes through resource URLs', async () => {
      const created = await level1('/countries', { action: 'create', data: { name: 'Mu' } }).expect(200);
      const id = created.body.result.id;
      const read = await level1(`/countries/${id}`, { action: 'read' }).expect(200);
      expect(read.body).to.deep.equal({ ok: true, result: { id, name: 'Mu' } });
      const list = await level1('/countries', { action: 'read', params: { name: 'Mu' } });
      expect(list.body.result.items).to.deep.equal([{ id, name: 'Mu' }]);
      await level1(`/countries/${id}`, { action: 'update', data: { area: 7 } }).expect(200);
      const level0Read = await level0({ action: 'getCountry', id });
      expect(level0Read.body.result).to.deep.equal({ id, name: 'Mu', area: 7 });
      expect((await level1(`/countries/${id}`, { action: 'delete' })).body.ok).to.equal(true);
      const missing = await level1(`/countries/${id}`, { action: 'read' }).expect(200);
      expect(missing.body.error.code).to.equal('not-found');
      expect((await level1('/countries', { action: 'delete' })).body.error.code).to.equal('unknown-action');
      expect((await level1('/planets/1', { action: 'read' })).body.error.code).to.equal('not-found');
      const get = await api.http.get('/levels/1/countries').expect(200);
      expect(get.body.error.code).to.equal('use-post');
      expect(get.headers['rung-level']).to.equal('1');
    });
  });

  describe('level 2: verbs, status codes, validators; no links', () => {
    it('201 + Location, 200, 304, 412, 204, 404, with ids and no links', async () => {
      const created = await api.http.post('/levels/2/countries').set('Content-Type', JSON_TYPE).send({ name: 'Hyperborea', area: 10 }).expect(201);
      const location = created.headers.location as string;
      expect(location).to.match(new RegExp(`^${api.base}/levels/2/countries/\\d+$`));
      const id = created.body.id;
      expect(created.body).to.deep.equal({ id, name: 'Hyperborea', area: 10 });
      const path = `/levels/2/countries/${id}`;
      const got = await api.http.get(path).expect(200);
      expect(got.headers['content-type']).to.equal('application/json; charset=utf-8');
      expect(got.headers['cache-control']).to.equal('no-cache');
      expect(got.headers.etag).to.match(/-level2"$/);
      expect(got.headers['last-modified']).to.be.a('string');
      expect(LinkHeader.parse(got.headers.link).refs.map((r) => r.rel)).to.deep.equal(['help']);
      expect(JSON.stringify(got.body)).to.not.contain('http');
      await api.http.get(path).set('If-None-Match', got.headers.etag).expect(304);
      const patched = await api.http.patch(path).set('Content-Type', 'application/merge-patch+json').set('If-Match', got.headers.etag).send({ area: 11 }).expect(200);
      expect(patched.body.area).to.equal(11);
      // Level-3 and level-2 tags name the same state: either authorises a write.
      const level3Tag = (await api.http.get(`/countries/${id}`)).headers.etag;
      await api.http.put(path).set('Content-Type', JSON_TYPE).set('If-Match', got.headers.etag).send({ id, name: 'Hyperborea' }).expect(412);
      const put = await api.http.put(path).set('Content-Type', JSON_TYPE).set('If-Match', level3Tag).send({ id, name: 'Hyperborea' }).expect(200);
      expect(put.body).to.deep.equal({ id, name: 'Hyperborea' });
      await api.http.delete(path).expect(204);
      const missing = await api.http.get(path).expect(404);
      expect(missing.headers['content-type']).to.equal('application/problem+json');
    });

    it('405 + Allow, 406, 415 + Accept-Post, 422, OPTIONS; a 409 and a 412 carry no links', async () => {
      const refused = await api.http.delete('/levels/2/countries').expect(405);
      expect(refused.headers.allow).to.equal('GET, HEAD, POST, OPTIONS');
      await api.http.get('/levels/2/countries').set('Accept', 'application/ld+json').expect(406);
      const wrongType = await api.http.post('/levels/2/countries').set('Content-Type', 'application/ld+json').send('{"name": "X"}').expect(415);
      expect(wrongType.headers['accept-post']).to.equal('application/json');
      const invalid = await api.http.post('/levels/2/countries').set('Content-Type', JSON_TYPE).send({ capital: 42 }).expect(422);
      expect(invalid.body.violations.length).to.equal(2);
      const options = await api.http.options('/levels/2/countries/1').expect(204);
      expect(options.headers.allow).to.equal('GET, HEAD, PUT, PATCH, DELETE, OPTIONS');
      const country = (await api.http.post('/levels/2/countries').set('Content-Type', JSON_TYPE).send({ name: 'Ys' })).body.id;
      await api.http.post('/levels/2/events').set('Content-Type', JSON_TYPE).send({ name: 'E', startDate: '2027-01-01T00:00:00Z', location: country }).expect(201);
      const conflict = await api.http.delete(`/levels/2/countries/${country}`).expect(409);
      expect(conflict.body).to.not.have.property('links');
      expect(LinkHeader.parse(conflict.headers.link).refs.map((r) => r.rel)).to.deep.equal(['help']);
      const stale = await api.http.delete(`/levels/2/countries/${country}`).set('If-Match', '"old-level2"').expect(412);
      expect(LinkHeader.parse(stale.headers.link).refs.map((r) => r.rel)).to.deep.equal(['help']);
      await api.http.get('/levels/2/countries/abc').expect(404);
      await api.http.get('/levels/2').expect(404);
    });
  });

  describe('level 3 and the guide', () => {
    it('names every level in Rung-Level and links to the guide, marking the level', async () => {
      for (const [path, level] of [['/levels/0', '0'], ['/levels/1/countries', '1'], ['/levels/2/countries', '2'], ['/countries', '3'], ['/', '3']]) {
        const res = await api.http.get(path);
        expect(res.headers['rung-level'], path).to.equal(level);
        expect(helpOf(res), path).to.deep.equal([`${api.base}/levels?level=${level}#level-${level}`]);
      }
      const redirect = await api.http.get('/levels/3').expect(308);
      expect(redirect.headers.location).to.equal(`${api.base}/`);
      expect((await api.http.get('/levels/3/countries?name=Iceland').expect(308)).headers.location).to.equal(`${api.base}/countries?name=Iceland`);
      // A 304 repeats the whole Link set of its 200, help link included (RFC 9111 §3.2:
      // a cache replaces the stored fields with the 304's; issue 10 §5).
      const entry = await api.http.get('/');
      const notModified = await api.http.get('/').set('If-None-Match', entry.headers.etag).expect(304);
      expect(helpOf(notModified)).to.deep.equal(helpOf(entry));
    });

    it('serves the guide as HTML, readable without script, with the ladder and the reader marked', async () => {
      const res = await api.http.get('/levels?level=2').set('Accept', 'text/html').expect(200);
      expect(res.headers['content-type']).to.equal('text/html; charset=utf-8');
      const page = res.text;
      expect(page).to.contain('<svg').and.to.contain('class="rung here" data-level="2"').and.to.contain('you are here');
      expect(page.match(/class="rung here"/g)).to.have.length(1);
      for (const n of [0, 1, 2, 3]) expect(page).to.contain(`<h2 id="level-${n}">`);
      // Its commands are written for this server.
      expect(page).to.contain(`curl -si ${api.base.replace('http://', '')}/levels/0`).and.to.not.contain('localhost:3000');
      expect(page).to.contain('<table class="levels-api">').and.to.contain('listGuests');
      const unmarked = await api.http.get('/levels').set('Accept', 'text/html').expect(200);
      expect(unmarked.text).to.not.contain('class="rung here"');
      await api.http.get('/levels').set('If-None-Match', unmarked.headers.etag).expect(304);
      const markdown = await api.http.get('/levels').set('Accept', 'text/markdown').expect(200);
      expect(markdown.text).to.match(/^# REST maturity, level by level/);
      // A page for people: a client asking for JSON-LD (following rel="help") gets it as HTML, not a 406.
      const asJsonLd = await api.http.get('/levels').set('Accept', 'application/ld+json').expect(200);
      expect(asJsonLd.headers['content-type']).to.equal('text/html; charset=utf-8');
      await api.http.get('/levels?level=7').expect(400);
      await api.http.post('/levels').expect(405);
      await api.http.get('/levels/9').expect(404);
    });

    it('is linked from the entry point and from every page of the HTML browser', async () => {
      const entry = await api.http.get('/').set('Accept', 'text/html').expect(200);
      expect(entry.text).to.contain(`<a href="${api.base}/levels">REST levels</a>`);
      expect(helpOf(await api.http.get('/'))).to.have.length(1);
      const item = await api.http.get('/countries?name=Iceland').set('Accept', 'text/html').expect(200);
      expect(item.text).to.contain(`<a href="${api.base}/levels">REST levels</a>`);
    });
  });

  it('is off unless asked for: createRung({ levels: true })', async () => {
    const rung = await createRung({ resources: exampleResources, db: ':memory:' });
    try {
      const { default: supertest } = await import('supertest');
      const res = await supertest(rung.app.callback()).get('/levels/2/countries');
      expect(res.status).to.equal(404);
      expect(res.headers).to.not.have.property('rung-level');
    } finally {
      await rung.close();
    }
  });
});
