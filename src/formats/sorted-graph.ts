/**
 * The N-Quads writer: the statements of a document sorted in N-Quads line
 * order and merged, as jsonld.js `toRDF` yields them; the text is written
 * only when asked for.
 */
import type { Graph, Statement, Term } from './rdf-graph.js';
import type { Named } from './nquads-terms.js';

/** A statement with the N-Quads text of its terms, for sorting and writing. */
export interface Emitted {
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
export class SortedGraph implements Graph {
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
