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
 * @see JSON-LD 1.1 Processing Algorithms §7 (Deserialize JSON-LD to RDF), §6.2 (Node Map Generation)
 * @see RDF 1.1 N-Quads §2 (canonical lines as jsonld.js writes them)
 */
import type { ContextRegistry } from '../resources/contexts.js';
import { CONTEXTS_PATH } from '../resources/vocabulary.js';

export const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
export const XSD_STRING = `${XSD}string`;
const XSD_BOOLEAN = `${XSD}boolean`;
const XSD_INTEGER = `${XSD}integer`;
const XSD_DOUBLE = `${XSD}double`;

/** An RDF term: an IRI, a blank node (its label, e.g. `b0`), or a literal. */
export interface Term {
  termType: 'NamedNode' | 'BlankNode' | 'Literal';
  value: string;
  /** Literals: the datatype IRI. */
  datatype?: string;
  /** Language-tagged literals (from jsonld.js only). */
  language?: string;
}

/** A statement of the default graph. */
export interface Statement {
  subject: Term;
  predicate: string;
  object: Term;
}

/** The graph of a document: statements in N-Quads line order, and those lines. */
export interface Graph {
  statements: Statement[];
  readonly nquads: string;
}

/** jsonld.js's test for an absolute IRI (or blank node identifier). */
const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$/;
/** A simple term definition ending in one of these can prefix compact IRIs (JSON-LD 1.1 §4.2.2). */
const GEN_DELIM = /[:/?#[\]@]$/;

/** Thrown inside the converter for anything outside the subset; caught at the top. */
class Unsupported extends Error {}
const unsupported = (why: string): never => {
  throw new Unsupported(why);
};

// Escapes of N-Quads lines exactly as jsonld.js (rdf-canonize) writes them.
const LITERAL_ESCAPE = /[\u0000-\u001F\u007F"\\]/g;
const IRI_ESCAPE = /[\u0000-\u0020<>"{}|^`\\]/g;
const ECHAR: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r', '"': '\\"', '\\': '\\\\' };
const uchar = (c: string) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
const escapeLiteral = (s: string) => (/[\u0000-\u001F\u007F"\\]/.test(s) ? s.replace(LITERAL_ESCAPE, (c) => ECHAR[c] ?? uchar(c)) : s);
/** An IRI as an N-Quads term, `<…>`. */
export const nquadsIri = (s: string) => `<${/[\u0000-\u0020<>"{}|^`\\]/.test(s) ? s.replace(IRI_ESCAPE, uchar) : s}>`;

/** A term of the context, or a vocabulary IRI: its IRI and its N-Quads text, worked out once. */
interface Named {
  term: Term;
  text: string;
}

interface TermDefinition extends Named {
  /** `@id`, `@vocab`, or a datatype IRI. */
  type?: string;
}

/** A context compiled for conversion. */
interface CompiledContext {
  terms: Map<string, TermDefinition>;
  prefixes: Map<string, string>;
  /** Vocabulary values already expanded (types, @vocab values, compact keys). */
  vocab: Map<string, Named>;
  /** The keys of a node object, sorted by IRI, per set of keys seen. */
  shapes: Map<string, { key: string; iri: string; definition?: TermDefinition }[]>;
}

const named = (iri: string): Named => ({ term: { termType: 'NamedNode', value: iri }, text: nquadsIri(iri) });

/** Compiled contexts, per merged context object (the registry keeps those frozen and shared). */
const compiled = new WeakMap<object, CompiledContext | null>();

function compile(context: Record<string, unknown>): CompiledContext | null {
  for (const [key, value] of Object.entries(context)) {
    if (key.startsWith('@') ? key !== '@version' : key.includes(':') || value === null) return null;
  }
  const resolving = new Set<string>();
  const termIri = (term: string): string => {
    if (resolving.has(term)) unsupported(`term ${term} defines itself`);
    resolving.add(term);
    const def = context[term];
    const id = typeof def === 'string' ? def : (def as { '@id'?: unknown })['@id'];
    if (typeof id !== 'string') unsupported(`term ${term} has no @id`);
    const iri = expandVocab(id as string);
    resolving.delete(term);
    return iri;
  };
  const prefixIri = (prefix: string): string | undefined => {
    if (typeof context[prefix] !== 'string') return undefined;
    const iri = termIri(prefix);
    return GEN_DELIM.test(iri) ? iri : undefined;
  };
  const expandVocab = (value: string): string => {
    if (Object.hasOwn(context, value) && !value.startsWith('@')) return termIri(value);
    return expandCompact(value, prefixIri);
  };
  try {
    const prefixes = new Map<string, string>();
    const terms = new Map<string, TermDefinition>();
    for (const [term, def] of Object.entries(context)) {
      if (term.startsWith('@')) continue;
      const iri = termIri(term);
      if (typeof def === 'string') {
        terms.set(term, named(iri));
        if (GEN_DELIM.test(iri)) prefixes.set(term, iri);
        continue;
      }
      const { '@id': _id, '@type': type, '@container': container, ...rest } = def as Record<string, unknown>;
      if (Object.keys(rest).length) return null;
      if (container !== undefined && container !== '@set' && !(Array.isArray(container) && container.length === 1 && container[0] === '@set')) return null;
      if (type === undefined) terms.set(term, named(iri));
      else if (type === '@id' || type === '@vocab') terms.set(term, { ...named(iri), type });
      else if (typeof type === 'string' && !type.startsWith('@')) terms.set(term, { ...named(iri), type: expandVocab(type) });
      else return null;
    }
    return { terms, prefixes, vocab: new Map(), shapes: new Map() };
  } catch (err) {
    if (err instanceof Unsupported) return null;
    throw err;
  }
}

/** Expand a compact IRI `prefix:suffix` or keep an absolute IRI; anything else is unsupported. */
function expandCompact(value: string, prefixIri: (prefix: string) => string | undefined): string {
  const colon = value.indexOf(':');
  if (colon > 0) {
    const prefix = value.slice(0, colon);
    const suffix = value.slice(colon + 1);
    if (prefix === '_') unsupported('blank node identifier');
    if (suffix.startsWith('//')) return ABSOLUTE.test(value) ? value : unsupported(`IRI with white space ${value}`);
    const iri = prefixIri(prefix);
    if (iri !== undefined) return iri + suffix;
    if (ABSOLUTE.test(value)) return value;
  }
  return unsupported(`relative IRI ${value}`);
}

/** The compiled context of a document whose `@context` is one of this API's context URLs, or undefined. */
function contextOf(data: Record<string, unknown>, base: string, contexts: ContextRegistry): CompiledContext | undefined {
  const url = data['@context'];
  const prefix = `${base}${CONTEXTS_PATH}/`;
  if (typeof url !== 'string' || !url.startsWith(prefix)) return undefined;
  const document = contexts.document(base, url.slice(prefix.length));
  if (!document) return undefined;
  const context = document['@context'];
  let result = compiled.get(context);
  if (result === undefined) {
    result = compile(context);
    compiled.set(context, result);
  }
  return result ?? undefined;
}

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

type Json = string | number | boolean | null | undefined | Json[] | { [key: string]: Json };

const TYPE: Named = named(RDF_TYPE);
/** Shapes kept per context before the cache is emptied (documents have a handful). */
const MAX_SHAPES = 256;

/** A statement with the N-Quads text of its terms, for sorting and writing. */
interface Emitted {
  subject: Named;
  predicate: Named;
  object: Term;
  objectText: string;
}

/**
 * N-Quads line order. Every term's text ends where the next begins with a
 * space (`<…>`, `_:b1`, `"…"^^<…>`, all escaped below U+0021), so comparing
 * term by term orders exactly as comparing the lines would.
 */
function compare(a: Emitted, b: Emitted): number {
  if (a.subject.text !== b.subject.text) return a.subject.text < b.subject.text ? -1 : 1;
  if (a.predicate.text !== b.predicate.text) return a.predicate.text < b.predicate.text ? -1 : 1;
  return a.objectText < b.objectText ? -1 : a.objectText > b.objectText ? 1 : 0;
}

/** Statements sorted and merged; the N-Quads text is made only when asked for. */
class SortedGraph implements Graph {
  readonly statements: Statement[] = [];
  private text?: string;

  constructor(private readonly emitted: Emitted[]) {
    emitted.sort(compare);
    let kept = 0;
    for (let i = 0; i < emitted.length; i++) {
      if (i > 0 && compare(emitted[i], emitted[kept - 1]) === 0) continue;
      emitted[kept++] = emitted[i];
    }
    emitted.length = kept;
    for (const e of emitted) this.statements.push({ subject: e.subject.term, predicate: e.predicate.term.value, object: e.object });
  }

  get nquads(): string {
    if (this.text === undefined) {
      let text = '';
      for (const e of this.emitted) text += `${e.subject.text} ${e.predicate.text} ${e.objectText} .\n`;
      this.text = text;
    }
    return this.text;
  }
}

class Converter {
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

/**
 * A JSON value's literal, as JSON-LD 1.1 API §8.6 (Object to RDF Conversion)
 * and jsonld.js write it: booleans as `true`/`false`, numbers with a
 * fraction (or ≥ 1e21) as canonical xsd:double, other numbers as xsd:integer.
 */
function lexicalForm(value: string | number | boolean, datatype: string | undefined): [string, string] {
  if (typeof value === 'boolean') return [String(value), datatype ?? XSD_BOOLEAN];
  const isDouble = typeof value === 'number' && (String(value).includes('.') || Math.abs(value) >= 1e21);
  if (isDouble || datatype === XSD_DOUBLE) {
    const number = typeof value === 'number' ? value : parseFloat(value);
    return [number.toExponential(15).replace(/(\d)0*e\+?/, '$1E'), datatype ?? XSD_DOUBLE];
  }
  if (typeof value === 'number') return [value.toFixed(0), datatype ?? XSD_INTEGER];
  return [value, datatype ?? XSD_STRING];
}
