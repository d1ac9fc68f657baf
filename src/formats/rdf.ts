/**
 * RDF serialisations: Turtle, N-Quads and N-Triples, all from one graph, so
 * every format states exactly the same statements.
 *
 * The graph of Rung's own documents is built directly from the compacted
 * JSON-LD and its in-process context (quads.ts): no JSON-LD expansion per
 * request. A document beyond that subset (an inline context, say) goes
 * through jsonld.js `toRDF` (in-process contexts, safe mode) instead; both
 * yield the same N-Quads, byte for byte. Turtle and N-Triples are written by
 * n3 from the quads, in N-Quads line order.
 *
 * @see RDF 1.1 Turtle, N-Quads, N-Triples (W3C Recommendations, 2014)
 * @see JSON-LD 1.1 API §8 (RDF serialization/deserialization)
 */
import jsonld from 'jsonld';
import { Parser, Writer, type Quad } from 'n3';
import type { Format, RenderEnv } from './format.js';
import type { Document } from '../http/representation.js';
import { jsonldOptions } from './jsonld.js';
import { documentGraph, type Graph } from './quads.js';
import { HYDRA, IANA, RDFS, SCHEMA, XSD, vocabularyIri } from '../resources/vocabulary.js';

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';

/** The graph through jsonld.js, for documents the direct path does not take. */
async function graphByJsonLd(doc: Document, env: RenderEnv): Promise<Graph> {
  const options = { ...jsonldOptions(env), format: 'application/n-quads' as const };
  const nquads = (await jsonld.toRDF(doc.data as jsonld.JsonLdDocument, options)) as string;
  return { nquads, quads: new Parser({ format: 'application/n-quads', blankNodePrefix: '' }).parse(nquads) };
}

/** The document's graph (direct when possible), as quads in N-Quads line order and as N-Quads. */
export async function graphOf(doc: Document, env: RenderEnv): Promise<Graph> {
  return documentGraph(doc.data, env.base, env.contexts) ?? graphByJsonLd(doc, env);
}

/**
 * The document's statements, which must all be in the default graph: Turtle
 * and N-Triples cannot state named graphs, and Rung's documents have none.
 */
async function triples(doc: Document, env: RenderEnv): Promise<Quad[]> {
  const { quads } = await graphOf(doc, env);
  const named = quads.find((q) => q.graph.termType !== 'DefaultGraph');
  if (named) throw new Error(`Cannot serialise named graph ${named.graph.value} as triples`);
  return quads;
}

function write(quads: Quad[], options: ConstructorParameters<typeof Writer>[0]): string {
  const writer = new Writer(options);
  writer.addQuads(quads);
  let output = '';
  // Without an output stream, n3 hands the whole text to `end`'s callback, synchronously.
  writer.end((err: Error | null, result: string) => {
    if (err) throw err;
    output = result;
  });
  return output;
}

/** Prefixes Turtle output declares: the vocabularies Rung's documents use, and the API's own. */
export function turtlePrefixes(base: string): Record<string, string> {
  return { hydra: HYDRA, schema: SCHEMA, rdf: RDF, rdfs: RDFS, xsd: XSD, iana: IANA, vocab: vocabularyIri(base) };
}

export const turtle: Format = {
  key: 'ttl',
  mediaType: 'text/turtle',
  contentType: 'text/turtle; charset=utf-8',
  async render(doc, env) {
    return { body: write(await triples(doc, env), { format: 'Turtle', prefixes: turtlePrefixes(env.base) }) };
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
    return { body: write(await triples(doc, env), { format: 'N-Triples' }) };
  },
};

/** The RDF family, in order of preference among themselves. */
export const RDF_FORMATS: Format[] = [turtle, nquads, ntriples];
