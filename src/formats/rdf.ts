/**
 * RDF serialisations: Turtle, N-Quads and N-Triples, all from one graph, so
 * every format states exactly the same statements.
 *
 * The graph of Rung's own documents is built directly from the compacted
 * JSON-LD and its in-process context (quads.ts): no JSON-LD expansion per
 * request. A document beyond that subset (an inline context, say) goes
 * through jsonld.js `toRDF` (in-process contexts, safe mode) instead; both
 * yield the same N-Quads, byte for byte. Turtle and N-Triples are written
 * from the statements in N-Quads line order (turtle.ts), as n3 writes them.
 *
 * @see RDF 1.1 Turtle, N-Quads, N-Triples (W3C Recommendations, 2014)
 * @see JSON-LD 1.1 API §8 (RDF serialization/deserialization)
 */
import type jsonld from 'jsonld';
import type { Term as N3Term } from 'n3';
import type { Format, RenderEnv } from './format.js';
import type { Document } from '../http/representation.js';
import { jsonldOptions, loadJsonLd } from './jsonld.js';
import { documentGraph } from './quads.js';
import type { Graph, Term } from './rdf-graph.js';
import { Prefixes, writeNTriples, writeTurtle } from './turtle.js';
import { HYDRA, IANA, RDFS, SCHEMA, XSD, vocabularyIri } from '../resources/vocabulary.js';

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';

function term(t: N3Term): Term {
  if (t.termType === 'Literal') return { termType: 'Literal', value: t.value, datatype: t.datatype.value, ...(t.language ? { language: t.language } : {}) };
  return { termType: t.termType === 'BlankNode' ? 'BlankNode' : 'NamedNode', value: t.value };
}

/** The graph through jsonld.js, for documents the direct path does not take. */
async function graphByJsonLd(doc: Document, env: RenderEnv): Promise<Graph> {
  const options = { ...jsonldOptions(env), format: 'application/n-quads' as const };
  const nquads = (await (await loadJsonLd()).toRDF(doc.data as jsonld.JsonLdDocument, options)) as string;
  const { Parser } = await import('n3');
  const quads = new Parser({ format: 'application/n-quads', blankNodePrefix: '' }).parse(nquads);
  // Turtle and N-Triples cannot state named graphs, and Rung's documents have none.
  const named = quads.find((q) => q.graph.termType !== 'DefaultGraph');
  if (named) throw new Error(`Cannot serialise named graph ${named.graph.value} as triples`);
  return { nquads, statements: quads.map((q) => ({ subject: term(q.subject), predicate: q.predicate.value, object: term(q.object) })) };
}

/** The document's graph (direct when possible): statements in N-Quads line order, and the N-Quads. */
export async function graphOf(doc: Document, env: RenderEnv): Promise<Graph> {
  return documentGraph(doc.data, env.base, env.contexts) ?? graphByJsonLd(doc, env);
}

/** Prefixes Turtle output declares: the vocabularies Rung's documents use, and the API's own. */
export function turtlePrefixes(base: string): Record<string, string> {
  return { hydra: HYDRA, schema: SCHEMA, rdf: RDF, rdfs: RDFS, xsd: XSD, iana: IANA, vocab: vocabularyIri(base) };
}

/** Turtle prefixes per base URL, made once (bounded: a server sees a handful of base URLs). */
const prefixesByBase = new Map<string, Prefixes>();
function prefixesFor(base: string): Prefixes {
  let prefixes = prefixesByBase.get(base);
  if (!prefixes) {
    if (prefixesByBase.size >= 64) prefixesByBase.clear();
    prefixesByBase.set(base, (prefixes = new Prefixes(turtlePrefixes(base))));
  }
  return prefixes;
}

export const turtle: Format = {
  key: 'ttl',
  mediaType: 'text/turtle',
  contentType: 'text/turtle; charset=utf-8',
  async render(doc, env) {
    return { body: writeTurtle((await graphOf(doc, env)).statements, prefixesFor(env.base)) };
  },
};

export const nquads: Format = {
  key: 'nq',
  mediaType: 'application/n-quads',
  contentType: 'application/n-quads; charset=utf-8',
  async render(doc, env) {
    return { body: (await graphOf(doc, env)).nquads };
  },
};

export const ntriples: Format = {
  key: 'nt',
  mediaType: 'application/n-triples',
  contentType: 'application/n-triples; charset=utf-8',
  async render(doc, env) {
    return { body: writeNTriples((await graphOf(doc, env)).statements) };
  },
};

/** The RDF family, in order of preference among themselves. */
export const RDF_FORMATS: Format[] = [turtle, nquads, ntriples];
