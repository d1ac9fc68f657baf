/**
 * Turtle and N-Triples text of a graph's statements, written exactly as n3's
 * Writer writes them (same escapes, prefixed names, literal abbreviations,
 * `a` for rdf:type, `;` and `,` grouping) — the bytes Rung sent when it
 * wrote through n3 — without building an n3 Writer, its prefix expression and
 * its term objects for every response. The tests compare both on every kind
 * of document and on strings that need every escape.
 *
 * @see RDF 1.1 Turtle §2 (grammar), RDF 1.1 N-Triples §2
 */
import { RDF_TYPE, XSD_STRING, type Statement, type Term } from './rdf-graph.js';

const XSD = 'http://www.w3.org/2001/XMLSchema#';

// n3's escapes: characters that need one, and the replacement of each (or of a surrogate pair).
const ESCAPE = /["\\\t\n\r\b\f\u0000-\u0019\ud800-\udbff]/;
const ESCAPE_ALL = /["\\\t\n\r\b\f\u0000-\u0019]|[\ud800-\udbff][\udc00-\udfff]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\b': '\\b', '\f': '\\f' };

function replaceCharacter(character: string): string {
  const known = ESCAPED[character];
  if (known !== undefined) return known;
  if (character.length === 1) {
    const hex = character.charCodeAt(0).toString(16);
    return '\\u0000'.slice(0, 6 - hex.length) + hex;
  }
  const hex = ((character.charCodeAt(0) - 0xd800) * 0x400 + character.charCodeAt(1) + 0x2400).toString(16);
  return '\\U00000000'.slice(0, 10 - hex.length) + hex;
}

const escape = (value: string) => (ESCAPE.test(value) ? value.replace(ESCAPE_ALL, replaceCharacter) : value);

/** How IRIs are written: as prefixed names where n3 would, given the same prefixes. */
export class Prefixes {
  /** The `@prefix` lines and the blank line after them. */
  readonly header: string;
  private readonly labels = new Map<string, string>();
  private readonly matcher: RegExp;

  constructor(prefixes: Record<string, string>) {
    // As n3's Writer.addPrefixes: IRI → label (a later label for the same IRI wins), one expression for all.
    const byIri: Record<string, string> = {};
    let header = '';
    for (const label in prefixes) {
      byIri[prefixes[label]] = `${label}:`;
      header += `@prefix ${label}: <${prefixes[label]}>.\n`;
    }
    this.header = header ? `${header}\n` : '';
    let iris = '';
    let labels = '';
    for (const iri in byIri) {
      iris += iris ? `|${iri}` : iri;
      labels += (labels ? '|' : '') + byIri[iri];
      this.labels.set(iri, byIri[iri]);
    }
    iris = iris.replace(/[\]/()*+?.\\$]/g, '\\$&');
    this.matcher = header ? new RegExp(`^(?:${labels})[^/]*$|^(${iris})([_a-zA-Z0-9][\\-_a-zA-Z0-9]*)$`) : /$0^/;
  }

  /** IRIs written so far (predicates, types and datatypes recur in every document). */
  private readonly written = new Map<string, string>();

  iri(value: string): string {
    let text = this.written.get(value);
    if (text === undefined) {
      const iri = escape(value);
      const match = this.matcher.exec(iri);
      text = !match ? `<${iri}>` : !match[1] ? iri : this.labels.get(match[1])! + match[2];
      if (this.written.size >= 4096) this.written.clear();
      this.written.set(value, text);
    }
    return text;
  }
}

/** No prefixes at all: N-Triples. */
const NONE = new Prefixes({});

function subject(term: Term, prefixes: Prefixes): string {
  return term.termType === 'NamedNode' ? prefixes.iri(term.value) : `_:${term.value}`;
}

function literal(term: Term, prefixes: Prefixes, turtle: boolean): string {
  const value = escape(term.value);
  if (term.language) return `"${value}"@${term.language}`;
  const datatype = term.datatype ?? XSD_STRING;
  if (datatype === XSD_STRING) return `"${value}"`;
  if (turtle) {
    switch (datatype) {
      case `${XSD}boolean`:
        if (value === 'true' || value === 'false') return value;
        break;
      case `${XSD}integer`:
        if (/^[+-]?\d+$/.test(value)) return value;
        break;
      case `${XSD}decimal`:
        if (/^[+-]?\d*\.\d+$/.test(value)) return value;
        break;
      case `${XSD}double`:
        if (/^[+-]?(?:\d+\.\d*|\.?\d+)[eE][+-]?\d+$/.test(value)) return value;
        break;
    }
  }
  return `"${value}"^^${prefixes.iri(datatype)}`;
}

const object = (term: Term, prefixes: Prefixes, turtle: boolean) =>
  term.termType === 'Literal' ? literal(term, prefixes, turtle) : subject(term, prefixes);

const same = (a: Term | undefined, b: Term) => a !== undefined && a.termType === b.termType && a.value === b.value;

/** Turtle: the prefixes, then the statements grouped by subject (`;`) and predicate (`,`), in the order given. */
export function writeTurtle(statements: readonly Statement[], prefixes: Prefixes): string {
  let out = prefixes.header;
  let current: Term | undefined;
  let predicate = '';
  for (const s of statements) {
    if (same(current, s.subject)) {
      if (s.predicate === predicate) out += `, ${object(s.object, prefixes, true)}`;
      else out += `;\n    ${(predicate = s.predicate) === RDF_TYPE ? 'a' : prefixes.iri(s.predicate)} ${object(s.object, prefixes, true)}`;
    } else {
      out += `${current === undefined ? '' : '.\n'}${subject((current = s.subject), prefixes)} ${(predicate = s.predicate) === RDF_TYPE ? 'a' : prefixes.iri(s.predicate)} ${object(s.object, prefixes, true)}`;
    }
  }
  return current === undefined ? out : `${out}.\n`;
}

/** N-Triples: one statement a line. */
export function writeNTriples(statements: readonly Statement[]): string {
  let out = '';
  for (const s of statements) out += `${subject(s.subject, NONE)} ${NONE.iri(s.predicate)} ${object(s.object, NONE, false)} .\n`;
  return out;
}
