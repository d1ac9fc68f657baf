/**
 * The RDF graph every RDF serialisation is written from (Turtle, N-Quads,
 * N-Triples): its terms, the statements of the default graph, and the
 * graph with its N-Quads lines; with the IRIs of rdf:type and of the XSD
 * datatypes JSON values become.
 */

export const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
export const XSD = 'http://www.w3.org/2001/XMLSchema#';
export const XSD_STRING = `${XSD}string`;
export const XSD_BOOLEAN = `${XSD}boolean`;
export const XSD_INTEGER = `${XSD}integer`;
export const XSD_DOUBLE = `${XSD}double`;

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
