/**
 * Every format states the same graph: for each kind of resource, Turtle,
 * N-Quads, N-Triples, the three JSON-LD forms and plain JSON (read as JSON-LD
 * through its context Link) canonicalize (RDFC-1.0) to identical N-Quads.
 * Contexts are fetched from the app itself, never from the network.
 */
import { expect } from 'chai';
import LinkHeader from 'http-link-header';
import jsonld from 'jsonld';
import { Parser, Writer, type Quad } from 'n3';
import { documentGraph } from '../src/formats/quads.js';
import { graphOf, turtlePrefixes } from '../src/formats/rdf.js';
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

/**
 * The direct RDF writer (src/formats/quads.ts) states, byte for byte, what
 * jsonld.js toRDF states for the same compacted document — same statements,
 * same blank node labels, same line order — and the Turtle and N-Triples
 * served are what n3 writes from jsonld.js's N-Quads: the bytes the server
 * sent before it wrote RDF directly.
 */
describe('the direct RDF writer matches jsonld.js toRDF byte for byte', function () {
  this.timeout(60_000);
  let api: TestApi;
  const paths: string[] = [];

  const odd = 'Quote " backslash \\ tab \t newline \n return \r control \u0001 \u001f del \u007f é ü 中 😀 <>{}|^`';

  before(async () => {
    api = await startTestApi();
    const plain = await createCountry(api, { name: 'Atlantis', capital: 'Poseidonia', area: 12345.5 });
    const strange = await createCountry(api, { name: odd, capital: 'x', area: 1e21 });
    const tiny = await createCountry(api, { name: 'Tiny', area: 1e-7 });
    const whole = await createCountry(api, { name: 'Whole', area: 180 });
    const negative = await createCountry(api, { name: 'Zero', area: 0 });
    const event = await createEvent(api, strange.iri, { name: odd });
    const guest = await createGuest(api, event.path, { name: odd });
    paths.push(
      '/',
      '/docs',
      plain.path,
      strange.path,
      tiny.path,
      whole.path,
      negative.path,
      event.path,
      guest.path,
      '/countries',
      '/countries?page=2&pageSize=3',
      `/countries?name=${encodeURIComponent(odd)}`,
      '/countries?area_gte=100&sort=-area,name',
      '/events',
      `/events?location=${encodeURIComponent(strange.iri)}`,
      `${event.path}/guests`,
      `${event.path}/guests?pageSize=1`,
    );
  });
  after(() => api.close());

  it('for items, nested items, pages, filtered pages, nested collections, the entry point and the documentation', async () => {
    const contexts = api.rung.runtime.contexts;
    for (const path of paths) {
      const url = `${api.base}${path}`;
      const data = (await api.http.get(path).set('Accept', 'application/ld+json').expect(200)).body;
      const direct = documentGraph(data, api.base, contexts);
      expect(direct, `${path} takes the direct path`).to.not.equal(undefined);
      const reference = (await jsonld.toRDF(data, {
        format: 'application/n-quads',
        base: url,
        safe: true,
        documentLoader: contextLoader(api),
      } as unknown as jsonld.Options.ToRdf)) as unknown as string;
      expect(direct!.nquads, `N-Quads of ${path}`).to.equal(reference);

      // What the server sends is what the jsonld.js pipeline made before.
      const referenceQuads = new Parser({ format: 'application/n-quads', blankNodePrefix: '' }).parse(reference);
      const served = async (accept: string) => (await api.http.get(path).set('Accept', accept).buffer(true).parse(asText as never).expect(200)).body as string;
      expect(await served('application/n-quads'), `served N-Quads of ${path}`).to.equal(reference);
      expect(await served('application/n-triples'), `served N-Triples of ${path}`).to.equal(writeAll(referenceQuads, { format: 'N-Triples' }));
      expect(await served('text/turtle'), `served Turtle of ${path}`).to.equal(writeAll(referenceQuads, { format: 'Turtle', prefixes: turtlePrefixes(api.base) }));
    }
  });

  it('falls back to jsonld.js for a document beyond its subset (an inline context)', async () => {
    const contexts = api.rung.runtime.contexts;
    const data = { '@context': { name: 'https://schema.org/name' }, '@id': `${api.base}/x`, name: 'x "y"' };
    expect(documentGraph(data, api.base, contexts), 'not taken directly').to.equal(undefined);
    const graph = await graphOf({ data, links: [] }, { base: api.base, url: '/x', contexts, etag: '"t-nq"', documentation: () => ({}) });
    expect(graph.nquads).to.equal(`<${api.base}/x> <https://schema.org/name> "x \\"y\\"" .\n`);
    expect(graph.statements).to.deep.equal([
      { subject: { termType: 'NamedNode', value: `${api.base}/x` }, predicate: 'https://schema.org/name', object: { termType: 'Literal', value: 'x "y"', datatype: 'http://www.w3.org/2001/XMLSchema#string' } },
    ]);
  });
});

/** A supertest parser keeping the body as text, whatever its media type. */
const asText = (res: NodeJS.ReadableStream, done: (err: Error | null, body: string) => void) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (body += chunk));
  res.on('end', () => done(null, body));
};

function writeAll(quads: Quad[], options: ConstructorParameters<typeof Writer>[0]): string {
  const writer = new Writer(options);
  writer.addQuads(quads);
  let out = '';
  writer.end((_err: Error | null, result: string) => (out = result));
  return out;
}
