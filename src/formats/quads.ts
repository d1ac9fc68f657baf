/**
 * The RDF graph of one of Rung's documents, built directly from the
 * compacted JSON-LD and its (known, in-process) context: every key is a term
 * whose IRI and type mapping the context gives, links are `@type: @id` terms,
 * values are JSON strings, numbers and booleans. This is the JSON-LD to RDF
 * algorithm for exactly that subset — no expansion, no document loader — so
 * a Turtle or N-Quads response costs about as much as a JSON-LD one.
 *
 * It yields the very statements, blank node labels and order of jsonld.js
 * `toRDF` (blank nodes labelled `b0, b1…` depth-first over properties
 * sorted by IRI, N-Quads lines sorted, duplicates merged); the tests compare
 * both byte for byte. Anything outside the subset (an inline or remote
 * context, `@vocab`, `@language`, `@list`, value objects, relative IRIs …)
 * yields `undefined`, and the caller falls back to jsonld.js.
 *
 * The pieces: rdf-graph.ts (the model), compiled-context.ts (a context made
 * ready once), jsonld-to-rdf.ts (the walk over a document), sorted-graph.ts
 * (N-Quads line order and text), nquads-terms.ts (how a term is written).
 *
 * @see JSON-LD 1.1 Processing Algorithms §7 (Deserialize JSON-LD to RDF), §6.2 (Node Map Generation)
 * @see RDF 1.1 N-Quads §2 (canonical lines as jsonld.js writes them)
 */
import type { ContextRegistry } from '../resources/contexts.js';
import { contextOf } from './compiled-context.js';
import { Converter } from './jsonld-to-rdf.js';
import type { Graph } from './rdf-graph.js';
import { Unsupported } from './unsupported.js';

// The graph's model and N-Quads terms, where the serialisers and the tests have always found them.
export { RDF_TYPE, XSD_STRING, type Graph, type Statement, type Term } from './rdf-graph.js';
export { nquadsIri } from './nquads-terms.js';

/**
 * The RDF graph of `data` (a compacted JSON-LD document of this API), or
 * undefined when it uses anything beyond the subset described above.
 */
export function documentGraph(data: Record<string, unknown>, base: string, contexts: ContextRegistry): Graph | undefined {
  const context = contextOf(data, base, contexts);
  if (!context) return undefined;
  try {
    return new Converter(context).convert(data);
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}
