/** The Turtle and N-Triples writer writes what n3's Writer writes, for terms that need every escape and prefix rule. */
import { expect } from 'chai';
import { DataFactory, Writer, type Quad } from 'n3';
import type { Statement, Term } from '../src/formats/quads.js';
import { turtlePrefixes } from '../src/formats/rdf.js';
import { Prefixes, writeNTriples, writeTurtle } from '../src/formats/turtle.js';

const { namedNode, blankNode, literal, quad } = DataFactory;
const XSD = 'http://www.w3.org/2001/XMLSchema#';

const toN3 = (t: Term) =>
  t.termType === 'NamedNode' ? namedNode(t.value) : t.termType === 'BlankNode' ? blankNode(t.value) : t.language ? literal(t.value, t.language) : literal(t.value, namedNode(t.datatype!));

function byN3(statements: Statement[], options: ConstructorParameters<typeof Writer>[0]): string {
  const writer = new Writer(options);
  writer.addQuads(statements.map((s) => quad(toN3(s.subject) as Quad['subject'], namedNode(s.predicate), toN3(s.object) as Quad['object'])));
  let out = '';
  writer.end((_err: Error | null, result: string) => (out = result));
  return out;
}

describe('Turtle and N-Triples as n3 writes them', () => {
  for (const base of ['http://127.0.0.1:3000', 'http://[::1]:8080', 'https://api.example.org/v1']) {
    it(`with the prefixes of ${base}`, () => {
      const iri = (value: string): Term => ({ termType: 'NamedNode', value });
      const text = (value: string, datatype = `${XSD}string`): Term => ({ termType: 'Literal', value, datatype });
      const odd = 'quote " backslash \\ tab \t newline \n return \r bs \b ff \f nul \u0000 \u0019 \u001a \u001f del \u007f é 😀 lone \ud800 end';
      const s1 = iri(`${base}/countries/1`);
      const b0: Term = { termType: 'BlankNode', value: 'b0' };
      const statements: Statement[] = [
        { subject: s1, predicate: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type', object: iri('https://schema.org/Country') },
        { subject: s1, predicate: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type', object: iri(`${base}/docs#DeletableCountry`) },
        { subject: s1, predicate: 'https://schema.org/name', object: text(odd) },
        { subject: s1, predicate: `${base}/docs#area`, object: text('1.23455E4', `${XSD}double`) },
        { subject: s1, predicate: `${base}/docs#count`, object: text('180', `${XSD}integer`) },
        { subject: s1, predicate: `${base}/docs#ok`, object: text('true', `${XSD}boolean`) },
        { subject: s1, predicate: `${base}/docs#odd`, object: text('1e', `${XSD}double`) },
        { subject: s1, predicate: `${base}/docs#when`, object: text('2027-01-01T00:00:00Z', `${XSD}dateTime`) },
        { subject: s1, predicate: `${base}/docs#dec`, object: text('.5', `${XSD}decimal`) },
        { subject: s1, predicate: `${base}/docs#lang`, object: { termType: 'Literal', value: 'chat', language: 'fr' } },
        { subject: s1, predicate: `${base}/docs#EntryPoint/countries`, object: iri(`${base}/events?location=1&x=a b`) },
        { subject: s1, predicate: 'http://www.w3.org/ns/hydra/core#search', object: b0 },
        { subject: b0, predicate: 'http://www.w3.org/ns/hydra/core#template', object: text(`${base}/countries{?name}`) },
        { subject: b0, predicate: 'http://www.w3.org/ns/hydra/core#template', object: text('again') },
        { subject: iri('hydra:already'), predicate: 'http://www.w3.org/ns/hydra/core#x', object: iri(`http://e.org/"quoted"\\`) },
        { subject: iri(`http://e.org/${odd}`), predicate: 'http://www.w3.org/ns/hydra/core#x.y', object: iri('http://www.w3.org/ns/hydra/core#a-b_c') },
      ];
      const prefixes = turtlePrefixes(base);
      expect(writeTurtle(statements, new Prefixes(prefixes))).to.equal(byN3(statements, { format: 'Turtle', prefixes }));
      expect(writeNTriples(statements)).to.equal(byN3(statements, { format: 'N-Triples' }));
      expect(writeTurtle([], new Prefixes(prefixes))).to.equal(byN3([], { format: 'Turtle', prefixes }));
    });
  }
});
