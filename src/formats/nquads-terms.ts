/**
 * One RDF term as N-Quads writes it, escaped exactly as jsonld.js
 * (rdf-canonize) does: IRIs `<…>`, literals `"…"^^<…>`, and the lexical form
 * and datatype a JSON value takes as a literal.
 *
 * @see RDF 1.1 N-Quads §2
 */
import type { Term } from './rdf-graph.js';
import { XSD_BOOLEAN, XSD_DOUBLE, XSD_INTEGER, XSD_STRING } from './rdf-graph.js';

// Escapes of N-Quads lines exactly as jsonld.js (rdf-canonize) writes them.
const LITERAL_ESCAPE = /[\u0000-\u001F\u007F"\\]/g;
const IRI_ESCAPE = /[\u0000-\u0020<>"{}|^`\\]/g;
const ECHAR: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r', '"': '\\"', '\\': '\\\\' };
const uchar = (c: string) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
export const escapeLiteral = (s: string) => (/[\u0000-\u001F\u007F"\\]/.test(s) ? s.replace(LITERAL_ESCAPE, (c) => ECHAR[c] ?? uchar(c)) : s);
/** An IRI as an N-Quads term, `<…>`. */
export const nquadsIri = (s: string) => `<${/[\u0000-\u0020<>"{}|^`\\]/.test(s) ? s.replace(IRI_ESCAPE, uchar) : s}>`;

/** A term of the context, or a vocabulary IRI: its IRI and its N-Quads text, worked out once. */
export interface Named {
  term: Term;
  text: string;
}

export const named = (iri: string): Named => ({ term: { termType: 'NamedNode', value: iri }, text: nquadsIri(iri) });

/**
 * A JSON value's literal, as JSON-LD 1.1 API §8.6 (Object to RDF Conversion)
 * and jsonld.js write it: booleans as `true`/`false`, numbers with a
 * fraction (or ≥ 1e21) as canonical xsd:double, other numbers as xsd:integer.
 */
export function lexicalForm(value: string | number | boolean, datatype: string | undefined): [string, string] {
  if (typeof value === 'boolean') return [String(value), datatype ?? XSD_BOOLEAN];
  const isDouble = typeof value === 'number' && (String(value).includes('.') || Math.abs(value) >= 1e21);
  if (isDouble || datatype === XSD_DOUBLE) {
    const number = typeof value === 'number' ? value : parseFloat(value);
    return [number.toExponential(15).replace(/(\d)0*e\+?/, '$1E'), datatype ?? XSD_DOUBLE];
  }
  if (typeof value === 'number') return [value.toFixed(0), datatype ?? XSD_INTEGER];
  return [value, datatype ?? XSD_STRING];
}
