/**
 * Proactive content negotiation as a client sees it: which Content-Type an
 * Accept header gets, Vary, one ETag per variant, conditional GETs per
 * variant, 406 with the list of available types, and errors that are always
 * problem+json.
 */
import { expect } from 'chai';
import { createCountry, startTestApi, type TestApi } from './helpers.js';

const JSONLD_NS = 'http://www.w3.org/ns/json-ld#';
const profile = (form: string) => `application/ld+json; profile="${JSONLD_NS}${form}"`;
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const TEXT_TYPES = ['text/turtle', 'text/html'];

/** `type/subtype` of a Content-Type, without parameters. */
const mediaTypeOf = (contentType: string | undefined) => (contentType ?? '').split(';')[0].trim().toLowerCase();

/** Whether a `Vary` value lists `field` (case-insensitive, comma-separated). */
const varies = (vary: string | undefined, field: string) =>
  (vary ?? '').split(',').some((f) => f.trim().toLowerCase() === field.toLowerCase());

describe('content negotiation', () => {
  let api: TestApi;
  let country: string;
  /** The media types the server offers, read from a 406 (so the suite follows the registry). */
  let available: string[];

  before(async () => {
    api = await startTestApi();
    country = (await createCountry(api)).path;
    const res = await api.http.get('/').set('Accept', 'application/xml').expect(406);
    available = res.body.available;
  });
  after(() => api.close());

  const htmlOffered = () => available.includes('text/html');

  /** Accept → the exact Content-Type expected (a function when it depends on what is offered). */
  const table: [string, string | undefined, (contentType: string) => void][] = [
    ['no Accept', undefined, (ct) => expect(ct).to.equal('application/ld+json')],
    ['*/*', '*/*', (ct) => expect(ct).to.equal('application/ld+json')],
    ['application/*', 'application/*', (ct) => expect(ct).to.equal('application/ld+json')],
    ['plain JSON-LD', 'application/ld+json', (ct) => expect(ct).to.equal('application/ld+json')],
    ['compacted profile', `application/ld+json;profile="${JSONLD_NS}compacted"`, (ct) => expect(ct).to.equal(profile('compacted'))],
    ['expanded profile', `application/ld+json;profile="${JSONLD_NS}expanded"`, (ct) => expect(ct).to.equal(profile('expanded'))],
    ['flattened profile', `application/ld+json;profile="${JSONLD_NS}flattened"`, (ct) => expect(ct).to.equal(profile('flattened'))],
    ['unquoted profile', `application/ld+json; profile=${JSONLD_NS}expanded`, (ct) => expect(ct).to.equal(profile('expanded'))],
    ['plain JSON', 'application/json', (ct) => expect(mediaTypeOf(ct)).to.equal('application/json')],
    ['Turtle', 'text/turtle', (ct) => expect(ct).to.equal('text/turtle; charset=utf-8')],
    ['N-Quads', 'application/n-quads', (ct) => expect(ct).to.equal('application/n-quads; charset=utf-8')],
    ['N-Triples', 'application/n-triples', (ct) => expect(ct).to.equal('application/n-triples; charset=utf-8')],
    ['q-values: N-Quads over Turtle', 'text/turtle;q=0.5, application/n-quads', (ct) => expect(mediaTypeOf(ct)).to.equal('application/n-quads')],
    ['q-values: Turtle over N-Triples', 'application/n-triples;q=0.1, text/turtle;q=0.9', (ct) => expect(mediaTypeOf(ct)).to.equal('text/turtle')],
    ['q=0 refuses every JSON-LD profile', 'application/ld+json;q=0, */*;q=0.1', (ct) => expect(mediaTypeOf(ct)).to.equal('application/json')],
    ['unknown type with a fallback', 'application/xml, text/turtle;q=0.2', (ct) => expect(mediaTypeOf(ct)).to.equal('text/turtle')],
    ['text/*: a text type', 'text/*', (ct) => {
      expect(TEXT_TYPES).to.include(mediaTypeOf(ct));
      expect(available).to.include(mediaTypeOf(ct));
    }],
    ['a browser', BROWSER, (ct) => expect(mediaTypeOf(ct)).to.equal(htmlOffered() ? 'text/html' : 'application/ld+json')],
  ];

  for (const path of ['/', '/countries/:id']) {
    describe(`GET ${path}`, () => {
      for (const [name, accept, check] of table) {
        it(`${name} (${accept ?? '-'})`, async () => {
          const req = api.http.get(path === '/' ? '/' : country);
          if (accept !== undefined) req.set('Accept', accept);
          const res = await req.expect(200);
          check(res.headers['content-type']);
          expect(varies(res.headers.vary, 'Accept'), `Vary: ${res.headers.vary}`).to.equal(true);
          expect(res.headers.etag).to.match(/^"[^"]+"$/);
        });
      }
    });
  }

  it('answers 406 problem+json listing every available type for application/xml', async () => {
    const res = await api.http.get(country).set('Accept', 'application/xml').expect(406);
    expect(mediaTypeOf(res.headers['content-type'])).to.equal('application/problem+json');
    expect(res.body).to.include({ status: 406, title: 'Not Acceptable' });
    expect(res.body.available).to.include.members([
      'application/ld+json',
      profile('expanded'),
      profile('flattened'),
      'application/json',
      'text/turtle',
      'application/n-quads',
      'application/n-triples',
    ]);
    expect(res.body.available[0], 'the preferred type comes first').to.equal('application/ld+json');
    expect(varies(res.headers.vary, 'Accept'), `Vary: ${res.headers.vary}`).to.equal(true);
    expect(res.headers.etag).to.equal(undefined);
  });

  it('offers contexts only as JSON-LD and JSON', async () => {
    const res = await api.http.get('/contexts/country.jsonld').set('Accept', 'text/turtle').expect(406);
    expect(res.body.available).to.include.members(['application/ld+json', 'application/json']);
    for (const type of res.body.available as string[]) expect(type).to.match(/^application\/(ld\+)?json\b/);
  });

  it('renders errors as problem+json whatever Accept asks for', async () => {
    for (const accept of ['text/turtle', 'application/n-quads', 'application/n-triples', 'application/json', BROWSER]) {
      const res = await api.http.get('/countries/999999').set('Accept', accept).expect(404);
      expect(mediaTypeOf(res.headers['content-type']), accept).to.equal('application/problem+json');
      expect(res.body).to.include({ status: 404 });
    }
    const unrouted = await api.http.get('/no/such/thing').set('Accept', 'text/turtle').expect(404);
    expect(mediaTypeOf(unrouted.headers['content-type'])).to.equal('application/problem+json');
  });

  describe('one ETag per variant', () => {
    const variants: Record<string, string> = {
      jsonld: 'application/ld+json',
      expanded: profile('expanded'),
      flattened: profile('flattened'),
      json: 'application/json',
      turtle: 'text/turtle',
      nquads: 'application/n-quads',
      ntriples: 'application/n-triples',
    };
    let etags: Record<string, string>;

    before(async () => {
      etags = {};
      for (const [name, accept] of Object.entries(variants)) {
        etags[name] = (await api.http.get(country).set('Accept', accept).expect(200)).headers.etag;
      }
    });

    it('gives every variant of the same resource its own strong ETag', () => {
      for (const etag of Object.values(etags)) expect(etag).to.match(/^"[^"]+"$/);
      expect(new Set(Object.values(etags)).size, JSON.stringify(etags)).to.equal(Object.keys(variants).length);
    });

    it('keeps each variant ETag stable across requests', async () => {
      const again = await api.http.get(country).set('Accept', 'text/turtle').expect(200);
      expect(again.headers.etag).to.equal(etags.turtle);
    });

    it('answers 304 to If-None-Match with the Turtle ETag for Turtle, without a body', async () => {
      const res = await api.http.get(country).set('Accept', 'text/turtle').set('If-None-Match', etags.turtle).expect(304);
      expect(res.text ?? '').to.equal('');
      expect(res.headers.etag).to.equal(etags.turtle);
      expect(varies(res.headers.vary, 'Accept')).to.equal(true);
    });

    it('answers 200 with the JSON-LD variant to If-None-Match with the Turtle ETag for JSON-LD', async () => {
      const res = await api.http.get(country).set('Accept', 'application/ld+json').set('If-None-Match', etags.turtle).expect(200);
      expect(res.headers.etag).to.equal(etags.jsonld);
      expect(res.body).to.include({ name: 'Wakanda' });
    });

    it('answers 200 to If-None-Match with the Turtle ETag for N-Quads and plain JSON', async () => {
      for (const [name, accept] of [['nquads', 'application/n-quads'], ['json', 'application/json']]) {
        const res = await api.http.get(country).set('Accept', accept).set('If-None-Match', etags.turtle).expect(200);
        expect(res.headers.etag).to.equal(etags[name]);
      }
    });

    it('answers 304 when If-None-Match lists several variants including the one negotiated', async () => {
      await api.http
        .get(country)
        .set('Accept', 'application/n-quads')
        .set('If-None-Match', `${etags.turtle}, ${etags.nquads}`)
        .expect(304);
    });
  });
});
