/**
 * Issue 3 §7: the API documentation agrees with itself, with the contexts
 * and with what the API serves. Everything is compared as expanded IRIs
 * (jsonld.js, safe mode, contexts fetched from the API in-process).
 */
import { expect } from 'chai';
import jsonld from 'jsonld';
import { termIri } from '../src/resources/contexts.js';
import { contextLoader, createCountry, createEvent, createGuest, pathOf, startTestApi, type TestApi } from './helpers.js';

const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const OWL = 'http://www.w3.org/2002/07/owl#';
const IANA = 'http://www.iana.org/assignments/relation/';
/** Vocabularies a client knows without this API's documentation. */
const STANDARD = [HYDRA, XSD, RDF, RDFS, OWL];

type Node = Record<string, any>;

const isAbsolute = (iri: string) => /^https?:\/\/[^/]+/.test(iri);

async function expand(api: TestApi, document: Node, base: string): Promise<Node[]> {
  return (await jsonld.expand(document as jsonld.JsonLdDocument, {
    base,
    documentLoader: contextLoader(api),
    safe: true,
  } as jsonld.Options.Expand)) as Node[];
}

async function fetchExpanded(api: TestApi, path: string): Promise<Node[]> {
  const res = await api.http.get(path).set('Accept', 'application/ld+json').expect(200);
  return expand(api, res.body, api.base + path);
}

/** Every node object in an expanded document, nested ones included. */
function nodes(values: unknown): Node[] {
  const out: Node[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    const node = value as Node;
    if ('@value' in node) return;
    if ('@list' in node) return visit(node['@list']);
    out.push(node);
    for (const [key, v] of Object.entries(node)) if (!key.startsWith('@')) visit(v);
  };
  visit(values);
  return out;
}

const ids = (values: Node[] | undefined) => (values ?? []).map((v) => v['@id'] as string);

describe('API documentation consistency', () => {
  let api: TestApi;
  let docs: Node[];
  /** supportedClass IRI → IRIs of its supported properties. */
  const classes = new Map<string, Set<string>>();
  let samples: Record<string, string>;

  before(async () => {
    api = await startTestApi();
    docs = await fetchExpanded(api, '/docs');
    const [documentation] = docs;
    expect(documentation['@type']).to.deep.equal([`${HYDRA}ApiDocumentation`]);
    for (const cls of documentation[`${HYDRA}supportedClass`] as Node[]) {
      const properties = (cls[`${HYDRA}supportedProperty`] ?? []).flatMap((sp: Node) => ids(sp[`${HYDRA}property`]));
      classes.set(cls['@id'], new Set(properties));
    }
    const thailand = (await api.http.get('/countries?name=Thailand').expect(200)).body.member[0]['@id'];
    const host = await createCountry(api, { name: 'Docland', capital: 'Specville', area: 1 });
    const event = await createEvent(api, host.iri);
    const guest = await createGuest(api, event.path);
    samples = {
      'entry point': '/',
      'a country with events': host.path,
      'a country without events (inline DELETE)': pathOf(thailand),
      'an event': event.path,
      'a guest': guest.path,
      countries: '/countries',
      events: `/events?location=${encodeURIComponent(host.iri)}`,
      guests: `${event.path}/guests`,
    };
  });
  after(() => api.close());

  it('documents the example API\'s classes: items, their collections and the entry point', () => {
    expect([...classes.keys()]).to.have.members([
      'https://schema.org/Country',
      // A Country nothing refers to, whose class carries DELETE (issue 11).
      `${api.base}/docs#DeletableCountry`,
      'https://schema.org/Event',
      'https://schema.org/Person',
      `${api.base}/docs#CountryCollection`,
      `${api.base}/docs#EventCollection`,
      `${api.base}/docs#GuestCollection`,
      `${api.base}/docs#EntryPoint`,
    ]);
  });

  it('every class it refers to (expects, returns, range, subClassOf) is a supportedClass or a standard one', () => {
    const referenced = new Set<string>();
    for (const node of nodes(docs)) {
      for (const key of [`${HYDRA}expects`, `${HYDRA}returns`, `${RDFS}range`, `${RDFS}subClassOf`]) {
        for (const iri of ids(node[key])) referenced.add(iri);
      }
    }
    expect(referenced.size).to.be.above(5);
    const missing = [...referenced].filter((iri) => !classes.has(iri) && !STANDARD.some((ns) => iri.startsWith(ns)));
    expect(missing, 'referenced but not documented').to.deep.equal([]);
  });

  // Issue 11: alcaeus reads operations from classes only.
  it('a DELETE that depends on state belongs to a subclass, DeletableCountry, and the Country class says when', () => {
    const [documentation] = docs;
    const byId = new Map((documentation[`${HYDRA}supportedClass`] as Node[]).map((c) => [c['@id'], c]));
    const methods = (cls: Node) => (cls[`${HYDRA}supportedOperation`] ?? []).map((o: Node) => o[`${HYDRA}method`][0]['@value']);
    const country = byId.get('https://schema.org/Country')!;
    const deletable = byId.get(`${api.base}/docs#DeletableCountry`)!;
    expect(methods(country)).to.deep.equal(['GET', 'PATCH', 'PUT']);
    expect(methods(deletable)).to.deep.equal(['DELETE']);
    expect(ids(deletable[`${RDFS}subClassOf`])).to.deep.equal(['https://schema.org/Country']);
    const [deletion] = deletable[`${HYDRA}supportedOperation`];
    expect(deletion[`${HYDRA}possibleStatus`].map((st: Node) => st[`${HYDRA}statusCode`][0]['@value'])).to.include.members([204, 409, 412]);
    expect(country[`${HYDRA}description`][0]['@value']).to.match(/DELETE is possible only while no Event refers to it/);
    // An event's DELETE does not depend on state: its own class carries it.
    expect(methods(byId.get('https://schema.org/Event')!)).to.deep.equal(['GET', 'PATCH', 'PUT', 'DELETE']);
  });

  it('every operation states a method and its possible status codes', () => {
    let count = 0;
    for (const node of nodes(docs)) {
      for (const operation of node[`${HYDRA}supportedOperation`] ?? []) {
        count++;
        expect(operation[`${HYDRA}method`], operation['@id']).to.have.length(1);
        const codes = (operation[`${HYDRA}possibleStatus`] ?? []).map((s: Node) => s[`${HYDRA}statusCode`][0]['@value']);
        expect(codes, operation['@id']).to.not.be.empty;
        for (const code of codes) expect(code).to.be.within(100, 599);
      }
    }
    expect(count).to.be.above(10);
  });

  it('every property of every representation is a supportedProperty of its class, or a Hydra, RDF, RDFS or IANA term', async () => {
    const typesSeen = new Set<string>();
    let checked = 0;
    for (const [name, path] of Object.entries(samples)) {
      for (const node of nodes(await fetchExpanded(api, path))) {
        const types: string[] = node['@type'] ?? [];
        types.forEach((t) => typesSeen.add(t));
        const documented = types.filter((t) => classes.has(t));
        const undocumented = types.filter((t) => !classes.has(t) && !t.startsWith(HYDRA));
        expect(undocumented, `${name}: types of ${node['@id'] ?? 'a blank node'}`).to.deep.equal([]);
        const supported = new Set(documented.flatMap((t) => [...classes.get(t)!]));
        for (const property of Object.keys(node)) {
          if (property.startsWith('@') || [HYDRA, RDF, RDFS, IANA].some((ns) => property.startsWith(ns))) continue;
          expect(supported.has(property), `${name}: ${property} on ${node['@id']} (${types.join(', ')})`).to.equal(true);
          checked++;
        }
      }
    }
    expect(checked).to.be.above(30);
    // Every documented class was seen in a representation.
    expect([...typesSeen]).to.include.members([...classes.keys()]);
  });

  describe('contexts', () => {
    let files: string[];
    before(() => {
      files = api.rung.runtime.contexts.fileNames;
      expect(files).to.include.members(['rung.jsonld', 'entrypoint.jsonld', 'country.jsonld', 'event.jsonld', 'guest.jsonld']);
    });

    /** Expand one term of a served context, as a property and as a type. */
    async function expandTerm(url: string, term: string, definition: unknown) {
      const type = typeof definition === 'object' ? (definition as Node)['@type'] : undefined;
      const value = type === '@id' || type === '@vocab' ? { '@id': 'http://example.org/value' } : 'value';
      const [node] = await expand(api, { '@context': url, '@id': 'http://example.org/subject', '@type': term, [term]: value }, url);
      const properties = Object.keys(node).filter((k) => !k.startsWith('@'));
      expect(properties, `${url} ${term}`).to.have.length(1);
      return { property: properties[0], type: node['@type'][0] as string };
    }

    it('every term of every context expands to an absolute IRI', async () => {
      let count = 0;
      for (const file of files) {
        const url = `${api.base}/contexts/${file}`;
        const context = (await api.http.get(pathOf(url)).expect(200)).body['@context'] as Node;
        for (const [term, definition] of Object.entries(context)) {
          if (term.startsWith('@')) continue;
          const { property, type } = await expandTerm(url, term, definition);
          expect(isAbsolute(property), `${file}: ${term} → ${property}`).to.equal(true);
          expect(type, `${file}: @type ${term}`).to.equal(property);
          count++;
        }
      }
      expect(count).to.be.above(60);
    });

    it('termIri() agrees with jsonld.js for every term', async () => {
      for (const file of files) {
        const url = `${api.base}/contexts/${file}`;
        const context = api.rung.runtime.contexts.document(api.base, file)!['@context'];
        expect((await api.http.get(pathOf(url)).expect(200)).body['@context']).to.deep.equal(context);
        for (const [term, definition] of Object.entries(context)) {
          if (term.startsWith('@')) continue;
          const { property } = await expandTerm(url, term, definition);
          expect(termIri(context, term), `${file}: ${term}`).to.equal(property);
        }
      }
    });

    it('vocab: names the documentation, so the API\'s own terms are documented at /docs', async () => {
      const context = api.rung.runtime.contexts.document(api.base, 'rung.jsonld')!['@context'];
      expect(context.vocab).to.equal(`${api.base}/docs#`);
      for (const iri of classes.keys()) {
        if (iri.startsWith(`${api.base}/`)) expect(iri.startsWith(`${api.base}/docs#`), iri).to.equal(true);
      }
    });
  });
});
