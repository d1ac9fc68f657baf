/**
 * The write path reads JSON-LD, not just our own JSON shape: a body in
 * expanded form (absolute-IRI keys) or with its own inline @context naming
 * the same IRIs with other terms is the same country; an IRI the resource
 * does not know is a 422 that names it, and nothing is stored.
 */
import { expect } from 'chai';
import { pathOf, snapshot, startTestApi, type TestApi } from './helpers.js';

const SCHEMA = 'https://schema.org/';

describe('JSON-LD request bodies', () => {
  let api: TestApi;
  let vocab: string;

  before(async () => {
    api = await startTestApi();
    // The API's vocabulary is <base>/docs#, with base the origin IRIs are built from.
    const root = await api.http.get('/').expect(200);
    vocab = `${new URL(root.body['@id']).origin}/docs#`;
  });
  after(() => api.close());

  const post = (body: unknown, type = 'application/ld+json') =>
    api.http.post('/countries').set('Content-Type', type).set('Accept', 'application/ld+json').send(JSON.stringify(body));

  /** The stored country, read back through GET on Location. */
  async function stored(location: string) {
    const res = await api.http.get(pathOf(location)).set('Accept', 'application/ld+json').expect(200);
    return res.body as Record<string, unknown>;
  }

  it('takes a country in expanded form (arrays of value objects, absolute IRIs)', async () => {
    const res = await post([
      {
        '@type': [`${SCHEMA}Country`],
        [`${SCHEMA}name`]: [{ '@value': 'Narnia' }],
        [`${vocab}capital`]: [{ '@value': 'Cair Paravel' }],
        [`${vocab}area`]: [{ '@value': 9000 }],
      },
    ]).expect(201);
    expect(res.headers.location).to.match(/\/countries\/\d+$/);
    const narnia = await stored(res.headers.location);
    expect(narnia).to.include({ name: 'Narnia', capital: 'Cair Paravel', area: 9000 });
    // Nothing refers to it yet: it is also a DeletableCountry (issue 11).
    expect(narnia['@type']).to.deep.equal(['Country', 'DeletableCountry']);
  });

  it('takes a node object whose keys are absolute IRIs, without @context', async () => {
    const res = await post({
      '@type': `${SCHEMA}Country`,
      [`${SCHEMA}name`]: 'Genovia',
      [`${vocab}capital`]: 'Pyrus',
      [`${vocab}area`]: 12.5,
    }).expect(201);
    expect(await stored(res.headers.location)).to.include({ name: 'Genovia', capital: 'Pyrus', area: 12.5 });
  });

  it('takes a body with its own inline @context mapping other terms to the same IRIs', async () => {
    const res = await post({
      '@context': {
        schema: SCHEMA,
        nom: 'schema:name',
        hauptstadt: `${vocab}capital`,
        superficie: { '@id': `${vocab}area` },
        Pays: 'schema:Country',
      },
      '@type': 'Pays',
      nom: 'Elbonia',
      hauptstadt: 'Mudville',
      superficie: 321,
    }).expect(201);
    expect(await stored(res.headers.location)).to.include({ name: 'Elbonia', capital: 'Mudville', area: 321 });
  });

  it('takes the same inline-context body as application/json too (it carries its own @context)', async () => {
    const res = await post(
      { '@context': { n: `${SCHEMA}name`, c: `${vocab}capital` }, n: 'Freedonia', c: 'Fredonia City' },
      'application/json',
    ).expect(201);
    expect(await stored(res.headers.location)).to.include({ name: 'Freedonia', capital: 'Fredonia City' });
  });

  it('refuses an IRI the resource does not know with 422 naming it, and stores nothing', async () => {
    const before = snapshot(api);
    const unknown = 'http://example.org/unknown';
    const res = await post({ [`${SCHEMA}name`]: 'Oz', [unknown]: 'somewhere' }).expect(422);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(JSON.stringify(res.body.violations)).to.include(unknown);
    expect(res.body.detail).to.include(unknown);
    expect(snapshot(api)).to.deep.equal(before);
  });

  it('refuses an unknown IRI reached through an inline @context term the same way', async () => {
    const before = snapshot(api);
    const res = await post({ '@context': { name: `${SCHEMA}name`, colour: 'http://example.org/colour' }, name: 'Oz', colour: 'green' }).expect(422);
    expect(res.body.detail).to.include('http://example.org/colour');
    expect(snapshot(api)).to.deep.equal(before);
  });

  it('refuses a node typed as something other than a Country with 422', async () => {
    const res = await post({ '@type': `${SCHEMA}Person`, [`${SCHEMA}name`]: 'Nobody' }).expect(422);
    expect(res.body.violations.map((v: { pointer: string }) => v.pointer)).to.include('/@type');
  });

  it('does not fetch a remote @context: 400, nothing stored', async () => {
    const before = snapshot(api);
    const res = await post({ '@context': 'http://example.org/context.jsonld', name: 'Lilliput' }).expect(400);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(snapshot(api)).to.deep.equal(before);
  });

  // Issue 11, found through API Platform Admin: JSON-LD processing drops nulls,
  // but in a merge patch null removes a field (RFC 7396), with @context or without.
  it('a merge patch with its own @context removes the fields it sets to null', async () => {
    const context = `${vocab.replace(/\/docs#$/, '')}/contexts/country.jsonld`;
    const res = await post({ name: 'Ruritania', capital: 'Strelsau', area: 3 }, 'application/json').expect(201);
    const path = pathOf(res.headers.location);
    const patched = await api.http
      .patch(path)
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ '@context': context, '@id': res.headers.location, '@type': 'Country', name: 'Ruritania', capital: null, area: 4 }))
      .expect(200);
    expect(patched.body).to.include({ name: 'Ruritania', area: 4 }).and.not.have.property('capital');
    expect(await stored(res.headers.location)).to.not.have.property('capital');
    // The same with an inline context naming the IRI with another term, and on a link-valued term.
    await api.http
      .patch(path)
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ '@context': { size: { '@id': `${vocab}area`, '@type': '@id' } }, size: null }))
      .expect(200);
    expect(await stored(res.headers.location)).to.not.have.property('area');
    // A null where a value is required is judged by the schema, as in plain JSON.
    const before = snapshot(api);
    const refused = await api.http
      .patch(path)
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ '@context': context, name: null }))
      .expect(422);
    expect(refused.body.violations).to.deep.include({ pointer: '/name', message: 'is required' });
    expect(snapshot(api)).to.deep.equal(before);
  });

  it('takes the API\'s own context by URL', async () => {
    const context = `${vocab.replace(/\/docs#$/, '')}/contexts/country.jsonld`;
    const res = await post({ '@context': context, '@type': 'Country', name: 'Zubrowka', capital: 'Lutz' }).expect(201);
    expect(await stored(res.headers.location)).to.include({ name: 'Zubrowka', capital: 'Lutz' });
  });
});
