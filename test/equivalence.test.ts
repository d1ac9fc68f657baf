/**
 * Every format states the same graph: for each kind of resource, Turtle,
 * N-Quads, N-Triples, the three JSON-LD forms and plain JSON (read as JSON-LD
 * through its context Link) canonicalize (RDFC-1.0) to identical N-Quads.
 * Contexts are fetched from the app itself, never from the network.
 */
import { expect } from 'chai';
import LinkHeader from 'http-link-header';
import jsonld from 'jsonld';
import { Parser, Writer } from 'n3';
import { contextLoader, createCountry, createEvent, createGuest, startTestApi, type TestApi } from './helpers.js';

const JSONLD_NS = 'http://www.w3.org/ns/json-ld#';
const CONTEXT_REL = `${JSONLD_NS}context`;
const profile = (form: string) => `application/ld+json; profile="${JSONLD_NS}${form}"`;

type Variant = 'turtle' | 'nquads' | 'ntriples' | 'expanded' | 'compacted' | 'flattened' | 'json';

const ACCEPT: Record<Variant, string> = {
  turtle: 'text/turtle',
  nquads: 'application/n-quads',
  ntriples: 'application/n-triples',
  expanded: profile('expanded'),
  compacted: 'application/ld+json',
  flattened: profile('flattened'),
  json: 'application/json',
};

describe('every format states the same graph', function () {
  this.timeout(60_000);
  let api: TestApi;
  const paths: Record<string, string> = {};

  /** jsonld.js options a careful client would use: a loader of this API's contexts only, the document's URL as base, safe mode. */
  const options = (url: string, extra: Record<string, unknown> = {}) =>
    ({ documentLoader: contextLoader(api), base: url, safe: true, ...extra }) as unknown as jsonld.Options.Expand;

  const canonize = (input: unknown, opts: Record<string, unknown>) =>
    jsonld.canonize(input as jsonld.JsonLdDocument, { algorithm: 'RDFC-1.0', format: 'application/n-quads', ...opts } as unknown as jsonld.Options.Normalize);

  /** Turtle → N-Quads with n3, resolving relative IRIs against the document URL. */
  const turtleToNQuads = (turtle: string, url: string) =>
    new Writer({ format: 'N-Quads' }).quadsToString(new Parser({ format: 'text/turtle', baseIRI: url }).parse(turtle));

  /** The canonical N-Quads of one variant of the resource at `path`, and the JSON-LD document read (if any). */
  async function canonical(path: string, variant: Variant): Promise<{ nquads: string; document?: unknown; expandOptions?: jsonld.Options.Expand }> {
    const res = await api.http.get(path).set('Accept', ACCEPT[variant]).buffer(true).parse((r, done) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (chunk: string) => (text += chunk));
      r.on('end', () => done(null, text));
    }).expect(200);
    const text = res.body as string;
    const url = `${api.base}${path}`;
    expect(res.headers['content-type'], `${variant} of ${path}`).to.match(new RegExp(`^${ACCEPT[variant].split(';')[0].replace(/[+/]/g, '\\$&')}`));
    switch (variant) {
      case 'turtle':
        return { nquads: await canonize(turtleToNQuads(text, url), { inputFormat: 'application/n-quads' }) };
      case 'nquads':
      case 'ntriples':
        return { nquads: await canonize(text, { inputFormat: 'application/n-quads' }) };
      case 'json': {
        const link = LinkHeader.parse(res.headers.link ?? '').rel(CONTEXT_REL);
        expect(link, `context Link of ${path}`).to.have.length(1);
        const document = JSON.parse(text);
        expect(document).not.to.have.property('@context');
        const expandOptions = options(url, { expandContext: link[0].uri });
        return { nquads: await canonize(document, expandOptions as never), document, expandOptions };
      }
      default: {
        const document = JSON.parse(text);
        const expandOptions = options(url);
        return { nquads: await canonize(document, expandOptions as never), document, expandOptions };
      }
    }
  }

  before(async () => {
    api = await startTestApi();
    const country = await createCountry(api, { name: 'Atlantis', capital: 'Poseidonia', area: 12345.5 });
    const event = await createEvent(api, country.iri, { name: 'Sunken Conf' });
    const guest = await createGuest(api, event.path, { name: 'Grace Hopper', email: 'grace@example.org' });
    Object.assign(paths, {
      'the entry point': '/',
      'the API documentation': '/docs',
      'a collection page': '/countries?pageSize=5',
      'a country': country.path,
      'an event': event.path,
      'a nested guests collection': `${event.path}/guests`,
      'a guest': guest.path,
    });
    // Every IRI is built from the request origin.
    const root = await api.http.get('/').expect(200);
    expect(new URL(root.body['@id']).origin).to.equal(api.base);
  });
  after(() => api.close());

  for (const name of ['the entry point', 'the API documentation', 'a collection page', 'a country', 'an event', 'a nested guests collection', 'a guest']) {
    it(`${name}: Turtle, N-Quads, N-Triples, expanded/compacted/flattened JSON-LD and JSON canonicalize identically`, async () => {
      const path = paths[name];
      const results = {} as Record<Variant, Awaited<ReturnType<typeof canonical>>>;
      for (const variant of Object.keys(ACCEPT) as Variant[]) results[variant] = await canonical(path, variant);

      const reference = results.compacted.nquads;
      expect(reference.trim(), `canonical form of ${path}`).not.to.equal('');
      // The resource itself is a subject of its own graph.
      const self = new URL(path, api.base).href;
      expect(reference).to.include(`<${self}> `);
      for (const [variant, { nquads }] of Object.entries(results)) {
        expect(nquads, `${variant} of ${path} differs from compacted JSON-LD`).to.equal(reference);
      }

      // Safe mode fails on anything a JSON-LD processor would drop: nothing may be.
      for (const variant of ['compacted', 'expanded', 'flattened', 'json'] as const) {
        const { document, expandOptions } = results[variant];
        const expanded = await jsonld.expand(document as jsonld.JsonLdDocument, expandOptions);
        expect(expanded, `${variant} of ${path} expands to something`).to.not.be.empty;
      }
    });
  }

  it('states the stored values, a fractional JSON number as xsd:double (JSON-LD 1.1 API, Object to RDF Conversion)', async () => {
    const { nquads } = await canonical(paths['a country'], 'turtle');
    expect(nquads).to.include(`<${api.base}/docs#capital> "Poseidonia" .`);
    expect(nquads).to.include(`<https://schema.org/name> "Atlantis" .`);
    expect(nquads).to.include(`<${api.base}/docs#area> "1.23455E4"^^<http://www.w3.org/2001/XMLSchema#double> .`);
  });

  it('writes Turtle with the hydra, schema, rdf, rdfs, xsd and vocab prefixes, vocab being <base>/docs#', async () => {
    const res = await api.http.get('/docs').set('Accept', 'text/turtle').expect(200);
    const prefixes = new Map<string, string>();
    new Parser({ format: 'text/turtle' }).parse(res.text, null, (prefix, iri) => prefixes.set(prefix, iri.value));
    expect(Object.fromEntries(prefixes)).to.include({
      hydra: 'http://www.w3.org/ns/hydra/core#',
      schema: 'https://schema.org/',
      rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
      rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
      vocab: `${api.base}/docs#`,
    });
    expect(res.text).to.match(/\bhydra:supportedClass\b/);
  });

  it('reads a page of a collection the same way in every format (members and view links included)', async () => {
    const { nquads } = await canonical(paths['a collection page'], 'turtle');
    expect(nquads).to.include('<http://www.w3.org/ns/hydra/core#member>');
    expect(nquads).to.include('<http://www.w3.org/ns/hydra/core#view>');
    expect(nquads.split('<http://www.w3.org/ns/hydra/core#member>').length - 1).to.equal(5);
  });
});
