/**
 * RDF serialisations: Turtle, N-Quads and N-Triples. Each is derived from the
 * compacted JSON-LD with jsonld.js `toRDF` (in-process contexts, safe mode),
 * so every format states exactly the same graph. Like expanded and flattened
 * JSON-LD, this runs on a render-cache miss only, never per GET.
 *
 * @see RDF 1.1 Turtle, N-Quads, N-Triples (W3C Recommendations, 2014)
 * @see JSON-LD 1.1 API §8 (RDF serialization/deserialization)
 */
import jsonld from 'jsonld';
import { Parser, Writer, type Quad } from 'n3';
import type { Format, RenderEnv } from './format.js';
import type { Document } from '../http/representation.js';
import { jsonldOptions } from './jsonld.js';
import { HYDRA, IANA, RDFS, SCHEMA, XSD, vocabularyIri } from '../resources/vocabulary.js';

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';

/** The document as N-Quads (canonical line syntax, one statement per line). */
async function toNQuads(doc: Document, env: RenderEnv): Promise<string> {
  const options = { ...jsonldOptions(env), format: 'application/n-quads' as const };
  return (await jsonld.toRDF(doc.data as jsonld.JsonLdDocument, options)) as string;
}

/**
 * The document's statements, which must all be in the default graph: Turtle
 * and N-Triples cannot state named graphs, and Rung's documents have none.
 */
async function triples(doc: Document, env: RenderEnv): Promise<Quad[]> {
  const quads = new Parser({ format: 'application/n-quads', blankNodePrefix: '' }).parse(await toNQuads(doc, env));
  const named = quads.find((q) => q.graph.termType !== 'DefaultGraph');
  if (named) throw new Error(`Cannot serialise named graph ${named.graph.value} as triples`);
  return quads;
}

function write(quads: Quad[], options: ConstructorParameters<typeof Writer>[0]): Promise<string> {
  const writer = new Writer(options);
  writer.addQuads(quads);
  return new Promise((resolve, reject) => writer.end((err: Error | null, result: string) => (err ? reject(err) : resolve(result))));
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
    return { body: await write(await triples(doc, env), { format: 'Turtle', prefixes: turtlePrefixes(env.base) }) };
  },
};

export const nquads: Format = {
  key: 'nq',
  mediaType: 'application/n-quads',
  contentType: 'application/n-quads; charset=utf-8',
  async render(doc, env) {
    return { body: await toNQuads(doc, env) };
  },
};

export const ntriples: Format = {
  key: 'nt',
  mediaType: 'application/n-triples',
  contentType: 'application/n-triples; charset=utf-8',
  async render(doc, env) {
    return { body: await write(await triples(doc, env), { format: 'N-Triples' }) };
  },
};

/** The RDF family, in order of preference among themselves. */
export const RDF_FORMATS: Format[] = [turtle, nquads, ntriples];
