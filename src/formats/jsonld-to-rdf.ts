/**
 * The graph builder: the statements of one compacted JSON-LD document of
 * Rung's, walked with its compiled context — blank nodes labelled
 * depth-first, properties visited in IRI order, as jsonld.js does.
 *
 * @see JSON-LD 1.1 Processing Algorithms §7 (Deserialize JSON-LD to RDF), §6.2 (Node Map Generation)
 */
import { expandCompact, type CompiledContext } from './compiled-context.js';
import { escapeLiteral, lexicalForm, named, nquadsIri, type Named } from './nquads-terms.js';
import { RDF_TYPE, XSD_STRING, type Graph, type Term } from './rdf-graph.js';
import { SortedGraph, type Emitted } from './sorted-graph.js';
import { unsupported } from './unsupported.js';

type Json = string | number | boolean | null | undefined | Json[] | { [key: string]: Json };

const TYPE: Named = named(RDF_TYPE);
/** Shapes kept per context before the cache is emptied (documents have a handful). */
const MAX_SHAPES = 256;

/** Converts one document; a new one per document (it counts the blank nodes). */
export class Converter {
  private blanks = 0;
  private readonly emitted: Emitted[] = [];
  private readonly prefixIri = (prefix: string) => this.context.prefixes.get(prefix);

  constructor(private readonly context: CompiledContext) {}

  convert(data: Record<string, unknown>): Graph {
    this.node(data as Record<string, Json>, true);
    return new SortedGraph(this.emitted);
  }

  /** An `@id` value: an absolute IRI or a compact one (terms are not expanded here: JSON-LD expands @id document-relative). */
  private id(value: Json): Named {
    if (typeof value !== 'string') return unsupported('@id that is not a string');
    return named(expandCompact(value, this.prefixIri));
  }

  /** A value expanded against the vocabulary: a term, a compact IRI, or an absolute IRI. */
  private vocab(value: Json): Named {
    if (typeof value !== 'string') return unsupported('IRI that is not a string');
    const term = this.context.terms.get(value);
    if (term) return term;
    let known = this.context.vocab.get(value);
    if (!known) {
      known = named(expandCompact(value, this.prefixIri));
      if (this.context.vocab.size < 4096) this.context.vocab.set(value, known);
    }
    return known;
  }

  private emit(subject: Named, predicate: Named, object: Term, objectText: string): void {
    this.emitted.push({ subject, predicate, object, objectText });
  }

  /** The keys of a node object in the order jsonld.js visits them: by IRI (`@type` first). */
  private shape(object: Record<string, Json>, root: boolean) {
    const keys = Object.keys(object);
    const id = (root ? 'root\u0000' : '\u0000') + keys.join('\u0000');
    let shape = this.context.shapes.get(id);
    if (shape) return shape;
    shape = [];
    for (const key of keys) {
      if (key === '@id') continue;
      if (key === '@context') {
        if (!root) unsupported('embedded @context');
        continue;
      }
      if (key === '@type') {
        shape.push({ key, iri: '@type' });
        continue;
      }
      if (key.startsWith('@')) unsupported(`keyword ${key}`);
      const definition = this.context.terms.get(key) ?? (key.includes(':') ? named(expandCompact(key, this.prefixIri)) : unsupported(`unknown term ${key}`));
      shape.push({ key, iri: definition.term.value, definition });
    }
    shape.sort((a, b) => (a.iri < b.iri ? -1 : a.iri > b.iri ? 1 : 0));
    for (let i = 1; i < shape.length; i++) if (shape[i].iri === shape[i - 1].iri) unsupported(`two keys for ${shape[i].iri}`);
    if (this.context.shapes.size >= MAX_SHAPES) this.context.shapes.clear();
    this.context.shapes.set(id, shape);
    return shape;
  }

  /**
   * Emit the statements of a node object and those of the nodes it embeds.
   * A blank node is labelled on entry, before the nodes it embeds, and
   * properties are visited in IRI order: the order jsonld.js labels them in.
   */
  private node(object: Record<string, Json>, root = false): Named {
    let subject: Named;
    if (object['@id'] !== undefined) subject = this.id(object['@id']);
    else {
      const label = `b${this.blanks++}`;
      subject = { term: { termType: 'BlankNode', value: label }, text: `_:${label}` };
    }
    for (const { key, iri, definition } of this.shape(object, root)) {
      const values = object[key];
      for (const value of Array.isArray(values) ? values : [values]) {
        // What JSON.stringify writes as null or leaves out, JSON-LD drops.
        if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value))) continue;
        if (iri === '@type') {
          const type = this.vocab(value);
          this.emit(subject, TYPE, type.term, type.text);
          continue;
        }
        if (Array.isArray(value)) unsupported('nested array');
        if (typeof value === 'object') {
          if (Object.getPrototypeOf(value) !== Object.prototype) unsupported('an object that is not plain JSON');
          if ('@value' in value || '@list' in value || '@set' in value || '@graph' in value || '@reverse' in value) unsupported('value or list object');
          const child = this.node(value as Record<string, Json>);
          this.emit(subject, definition!, child.term, child.text);
          continue;
        }
        const type = definition!.type;
        if (type === '@id' || type === '@vocab') {
          if (typeof value !== 'string') unsupported('a link that is not a string');
          const target = type === '@id' ? this.id(value) : this.vocab(value);
          this.emit(subject, definition!, target.term, target.text);
          continue;
        }
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') unsupported(`a ${typeof value} value`);
        const [lexical, datatype] = lexicalForm(value as string | number | boolean, type);
        const text = `"${escapeLiteral(lexical)}"${datatype === XSD_STRING ? '' : `^^${nquadsIri(datatype)}`}`;
        this.emit(subject, definition!, { termType: 'Literal', value: lexical, datatype }, text);
      }
    }
    return subject;
  }
}
