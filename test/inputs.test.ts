/**
 * Issue 9 §5: inputs a newcomer types. A link is accepted as the target's
 * IRI (under any loopback alias or the public base), its path or its bare
 * id, even where the field's schema says `format: uri-reference`; a refusal
 * shows the accepted forms with a real example; `format: date` fields are
 * dates; every JSON Schema keyword's failure reads as plain words. Each case
 * checks the status, the message, and that a refused request stored nothing.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { createRung, defineResource, type Rung } from '../src/index.js';
import { createCountry, pathOf, snapshot, startLiveApi, startTestApi, type LiveApi, type TestApi } from './helpers.js';

type Res = { status: number; body: Record<string, unknown> & { violations?: { pointer: string; message: string }[] } };

describe('inputs a newcomer types: links', () => {
  let api: TestApi;
  let country: { path: string; iri: string; id: string };
  before(async () => {
    api = await startTestApi({ seed: false });
    const created = await createCountry(api);
    country = { path: created.path, iri: created.iri, id: created.path.split('/').pop()! };
  });
  after(() => api.close());

  const post = (location: unknown) =>
    api.http.post('/events').set('Content-Type', 'application/json').send({ name: 'RestConf', startDate: '2027-05-01T09:00:00Z', location });

  /** A request that must be refused: 422, and nothing stored. */
  async function refused(request: () => PromiseLike<Res>): Promise<{ pointer: string; message: string }[]> {
    const before = snapshot(api);
    const res = await request();
    expect(res.status, JSON.stringify(res.body)).to.equal(422);
    expect(snapshot(api)).to.deep.equal(before);
    return res.body.violations!;
  }

  it('takes the IRI, the path, the id as a number and the id as a string; each is stored as the same link', async () => {
    const port = new URL(api.base).port;
    const forms = [
      country.iri,
      country.path,
      Number(country.id),
      country.id,
      `http://localhost:${port}${country.path}`,
      `http://[::1]:${port}${country.path}`,
      `http://127.0.0.1:1${country.path}`, // any port: supertest(app.callback()) gives each request a new one
      `https://localhost${country.path}`,
    ];
    for (const location of forms) {
      const res = await post(location);
      expect(res.status, `${JSON.stringify(location)}: ${JSON.stringify(res.body)}`).to.equal(201);
      expect(res.body.location, JSON.stringify(location)).to.equal(country.iri);
      const stored = await api.http.get(pathOf(res.headers.location)).expect(200);
      expect(stored.body.location).to.equal(country.iri);
    }
  });

  it('refuses what names no country, showing the accepted forms with an existing country', async () => {
    const forms = `its IRI (${country.iri}), its path (${country.path}) or its id (${country.id})`;
    const cases: [unknown, string][] = [
      ['http://elsewhere.example/countries/1', '"http://elsewhere.example/countries/1"'],
      [`${api.base}/events/1`, `"${api.base}/events/1"`],
      [`${api.base}/countries/1?x=1`, `"${api.base}/countries/1?x=1"`],
      ['Wakanda', '"Wakanda"'],
      [5.5, '5.5'],
      [-3, '-3'],
      [0, '0'],
      [true, 'true'],
      [{ '@id': country.iri }, `{"@id":"${country.iri}"}`],
    ];
    for (const [location, shown] of cases) {
      const violations = await refused(() => post(location));
      expect(violations, JSON.stringify(location)).to.deep.equal([
        { pointer: '/location', message: `must name a Country of this API: ${forms}, not ${shown}` },
      ]);
    }
  });

  it('a link to an item that does not exist names the item, in every form', async () => {
    for (const location of [987654, '987654', '/countries/987654', `http://localhost:9/countries/987654`]) {
      const violations = await refused(() => post(location));
      expect(violations).to.deep.equal([{ pointer: '/location', message: `${api.base}/countries/987654 does not exist` }]);
    }
  });

  it('PATCH and PUT take a bare id too, and PUT takes back an @id written with another loopback alias', async () => {
    const second = await createCountry(api, { name: 'Genovia' });
    const event = await post(country.path).expect(201);
    const eventPath = pathOf(event.headers.location);
    const patched = await api.http.patch(eventPath).set('Content-Type', 'application/merge-patch+json').send({ location: Number(second.path.split('/').pop()) }).expect(200);
    expect(patched.body.location).to.equal(second.iri);
    const port = new URL(api.base).port;
    const got = (await api.http.get(eventPath).expect(200)).body;
    const elsewhere = (iri: string) => iri.replace(`127.0.0.1:${port}`, 'localhost:1');
    const put = await api.http
      .put(eventPath)
      .set('Content-Type', 'application/json')
      .send({ ...got, '@id': elsewhere(got['@id']), location: elsewhere(got.location), name: 'RestConf II' })
      .expect(200);
    expect(put.body).to.include({ name: 'RestConf II', location: second.iri });
  });

  it('an @id naming another item is still refused', async () => {
    const event = await post(country.path).expect(201);
    const got = (await api.http.get(pathOf(event.headers.location)).expect(200)).body;
    const violations = await refused(() => api.http.put(pathOf(event.headers.location)).set('Content-Type', 'application/json').send({ ...got, '@id': `${api.base}/events/999` }));
    expect(violations).to.deep.include({ pointer: '/@id', message: `must be ${event.headers.location} (the IRI of the resource being written) or left out` });
  });

  it('filters take a link in any of these forms', async () => {
    const port = new URL(api.base).port;
    for (const value of [country.id, country.path, `http://localhost:${port}${country.path}`, `http://127.0.0.1:2${country.path}`]) {
      const res = await api.http.get('/events').query({ location: value }).expect(200);
      expect(res.body.totalItems, value).to.be.greaterThan(0);
      for (const member of res.body.member) expect(member.location).to.equal(country.iri);
    }
  });

  it('with no country yet, the refusal says so and where to create one', async () => {
    const empty = await startTestApi({ seed: false });
    try {
      const res = await empty.http.post('/events').set('Content-Type', 'application/json').send({ name: 'E', startDate: '2027-05-01T09:00:00Z', location: 'Atlantis' }).expect(422);
      expect(res.body.violations).to.deep.equal([
        {
          pointer: '/location',
          message: `must name a Country of this API: its IRI (${empty.base}/countries/1), its path (/countries/1) or its id (1), not "Atlantis" — there is no Country yet: POST one to ${empty.base}/countries first`,
        },
      ]);
    } finally {
      await empty.close();
    }
  });
});

describe('inputs a newcomer types: the configured public base', () => {
  let api: TestApi;
  const base = 'https://api.example.org/v1';
  before(async () => {
    api = await startTestApi({ seed: false, publicBaseUrl: base });
  });
  after(() => api.close());

  it('takes IRIs under the public base or a loopback alias, and paths with or without its prefix', async () => {
    const country = await createCountry(api);
    expect(country.iri).to.match(/^https:\/\/api\.example\.org\/v1\/countries\/\d+$/);
    const path = new URL(country.iri).pathname.slice('/v1'.length);
    for (const location of [country.iri, `http://localhost:3000${path}`, path, `/v1${path}`]) {
      const res = await api.http.post('/events').set('Content-Type', 'application/json').send({ name: 'E', startDate: '2027-05-01T09:00:00Z', location });
      expect(res.status, `${location}: ${JSON.stringify(res.body)}`).to.equal(201);
      expect(res.body.location).to.equal(country.iri);
    }
    // The public host without the prefix is another site's path: refused.
    const res = await api.http.post('/events').set('Content-Type', 'application/json').send({ name: 'E', startDate: '2027-05-01T09:00:00Z', location: `https://api.example.org${path}` });
    expect(res.status).to.equal(422);
    expect(res.body.violations[0].message).to.match(/^must name a Country of this API: its IRI \(https:\/\/api\.example\.org\/v1\/countries\/\d+\)/);
  });
});

describe('inputs a newcomer types: dates and schema keywords', () => {
  const person = defineResource({
    name: 'Person',
    segment: 'people',
    schema: {
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 10 },
        nick: { type: 'string', minLength: 2 },
        born: { type: 'string', format: 'date' },
        seen: { type: 'string', format: 'date-time' },
        email: { type: 'string', format: 'email' },
        site: { type: 'string', format: 'uri' },
        age: { type: 'integer', minimum: 0, maximum: 150 },
        score: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 10, multipleOf: 0.5 },
        code: { type: 'string', pattern: '^[A-Z]{2}$', examples: ['FR'] },
        status: { enum: ['draft', 'published'] },
        kind: { const: 'person' },
        active: { type: 'boolean' },
        note: { type: ['string', 'null'] },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 2, uniqueItems: true },
        address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
        id2: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
      },
      required: ['name'],
    },
    filters: ['born', 'name'],
    sort: ['born', 'name'],
  });
  let api: LiveApi;
  before(async () => {
    api = await startLiveApi({ resources: [person] });
  });
  after(() => api.stop());

  const post = (body: Record<string, unknown>) => api.http.post('/people').set('Content-Type', 'application/json').send(body);

  it('a format: date field takes a date, stores it as given, filters and sorts by it', async () => {
    for (const [name, born] of [['Ursula', '1929-10-21'], ['Octavia', '1947-06-22'], ['Mary', '1797-08-30']]) {
      const res = await post({ name, born }).expect(201);
      expect(res.body.born).to.equal(born);
      expect((await api.http.get(pathOf(res.headers.location)).expect(200)).body.born).to.equal(born);
    }
    const after1900 = await api.http.get('/people?born_gte=1900-01-01&sort=-born').expect(200);
    expect(after1900.body.member.map((m: { name: string }) => m.name)).to.deep.equal(['Octavia', 'Ursula']);
    const exact = await api.http.get('/people?born=1797-08-30').expect(200);
    expect(exact.body.member.map((m: { name: string }) => m.name)).to.deep.equal(['Mary']);
    const bad = await api.http.get('/people?born_lte=yesterday').expect(400);
    expect(bad.body).to.include({ parameter: 'born_lte', detail: 'Parameter "born_lte" must be an RFC 3339 date such as 2027-05-01, not "yesterday".' });
    const docs = await api.http.get('/docs').set('Accept', 'application/ld+json').expect(200);
    const personClass = docs.body.supportedClass.find((c: { title: string }) => c.title === 'Person');
    const born = personClass.supportedProperty.find((p: { title: string }) => p.title === 'born');
    expect(born.property.range).to.equal('http://www.w3.org/2001/XMLSchema#date');
  });

  it('each keyword that fails is a 422 in plain words, with an example where the form is not obvious', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ name: 42 }, '/name', 'must be a string, not 42'],
      [{ name: '' }, '/name', 'must not be empty'],
      [{ name: 'N', nick: 'x' }, '/nick', 'must be at least 2 characters long, not "x"'],
      [{ name: 'Bartholomew the Great' }, '/name', 'must be at most 10 characters long (this one has 21)'],
      [{ name: 'N', age: -1 }, '/age', 'must be at least 0, not -1'],
      [{ name: 'N', age: 151 }, '/age', 'must be at most 150, not 151'],
      [{ name: 'N', age: 1.5 }, '/age', 'must be a whole number, not 1.5'],
      [{ name: 'N', score: 0 }, '/score', 'must be greater than 0, not 0'],
      [{ name: 'N', score: 10 }, '/score', 'must be less than 10, not 10'],
      [{ name: 'N', score: 1.2 }, '/score', 'must be a multiple of 0.5, not 1.2'],
      [{ name: 'N', code: 'fr' }, '/code', 'must match the pattern ^[A-Z]{2}$ such as "FR", not "fr"'],
      [{ name: 'N', status: 'final' }, '/status', 'must be one of "draft", "published", not "final"'],
      [{ name: 'N', kind: 'robot' }, '/kind', 'must be "person", not "robot"'],
      [{ name: 'N', active: 'yes' }, '/active', 'must be true or false, not "yes"'],
      [{ name: 'N', note: 5 }, '/note', 'must be a string or null, not 5'],
      [{ name: 'N', email: 'ada' }, '/email', 'must be an e-mail address such as ada@example.org, not "ada"'],
      [{ name: 'N', site: 'example.org' }, '/site', 'must be an absolute URI such as https://example.org/page, not "example.org"'],
      [{ name: 'N', born: '21/10/1929' }, '/born', 'must be an RFC 3339 date such as 2027-05-01, not "21/10/1929"'],
      [{ name: 'N', born: '2027-02-30' }, '/born', 'must be an RFC 3339 date such as 2027-05-01, not "2027-02-30"'],
      [{ name: 'N', seen: 'next tuesday' }, '/seen', 'must be an RFC 3339 date-time such as 2027-05-01T09:00:00Z, not "next tuesday"'],
      [{ name: 'N', tags: [] }, '/tags', 'must have at least 1 item (this one has 0)'],
      [{ name: 'N', tags: ['a', 'b', 'c'] }, '/tags', 'must have at most 2 items (this one has 3)'],
      [{ name: 'N', tags: ['a', 'a'] }, '/tags', 'must not repeat an item (items 0 and 1 are equal)'],
      [{ name: 'N', tags: [1] }, '/tags/0', 'must be a string, not 1'],
      [{ name: 'N', address: {} }, '/address/city', 'is required'],
      [{ name: 'N', address: { city: 'Paris', zip: 1 } }, '/address/zip', 'is not allowed here (allowed: city)'],
      [{ name: 'N', id2: true }, '/id2', 'must be a string or a whole number, not true'],
      [{}, '/name', 'is required'],
      [{ name: 'N', nmae: 'x' }, '/nmae', 'is not a field of Person'],
    ];
    const before = (await api.http.get('/people').expect(200)).body.totalItems;
    for (const [body, pointer, message] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).to.equal(422);
      expect(res.headers['content-type']).to.equal('application/problem+json');
      expect(res.body.violations, JSON.stringify(body)).to.deep.equal([{ pointer, message }]);
      expect(res.body.detail).to.equal(`${pointer}: ${message}`);
    }
    expect((await api.http.get('/people').expect(200)).body.totalItems).to.equal(before);
  });
});

describe('inputs a newcomer types: seeding takes links as paths and bare ids', () => {
  let rung: Rung;
  before(async () => {
    const { exampleResources } = await import('../src/example/index.js');
    rung = await createRung({ auth: { anonymous: 'write' }, resources: exampleResources, db: ':memory:' });
  });
  after(() => rung.close());

  it('seeds events linked by id and by path', async () => {
    await rung.seed('Country', [{ name: 'Wakanda' }, { name: 'Genovia' }]);
    expect(await rung.seed('Event', [
      { name: 'A', startDate: '2027-05-01T09:00:00Z', location: 1 },
      { name: 'B', startDate: '2027-05-02T09:00:00Z', location: '/countries/2' },
    ])).to.equal(2);
    const http = supertest(rung.app.callback());
    const events = (await http.get('/events?sort=name').expect(200)).body.member;
    expect(events.map((e: { location: string }) => new URL(e.location).pathname)).to.deep.equal(['/countries/1', '/countries/2']);
  });
});
