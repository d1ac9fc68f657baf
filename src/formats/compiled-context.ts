/**
 * A JSON-LD context compiled once for direct conversion to RDF: each term's
 * IRI and type mapping, the prefixes compact IRIs may use, and caches of
 * expanded vocabulary values and of node shapes. A context outside the
 * subset (a term defined by a compact IRI, `@vocab`, `@language`, a
 * container other than `@set` …) does not compile.
 *
 * @see JSON-LD 1.1 §4.2.2 (compact IRIs), JSON-LD 1.1 Processing Algorithms §4.2 (IRI expansion)
 */
import type { ContextRegistry } from '../resources/contexts.js';
import { CONTEXTS_PATH } from '../resources/vocabulary.js';
import { named, type Named } from './nquads-terms.js';
import { Unsupported, unsupported } from './unsupported.js';

/** jsonld.js's test for an absolute IRI (or blank node identifier). */
const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$/;
/** A simple term definition ending in one of these can prefix compact IRIs (JSON-LD 1.1 §4.2.2). */
const GEN_DELIM = /[:/?#[\]@]$/;

export interface TermDefinition extends Named {
  /** `@id`, `@vocab`, or a datatype IRI. */
  type?: string;
}

/** A context compiled for conversion. */
export interface CompiledContext {
  terms: Map<string, TermDefinition>;
  prefixes: Map<string, string>;
  /** Vocabulary values already expanded (types, @vocab values, compact keys). */
  vocab: Map<string, Named>;
  /** The keys of a node object, sorted by IRI, per set of keys seen. */
  shapes: Map<string, { key: string; iri: string; definition?: TermDefinition }[]>;
}

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
export function expandCompact(value: string, prefixIri: (prefix: string) => string | undefined): string {
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
export function contextOf(data: Record<string, unknown>, base: string, contexts: ContextRegistry): CompiledContext | undefined {
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
