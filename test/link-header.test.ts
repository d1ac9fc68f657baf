/** The Link header writer: what http-link-header writes, for every kind of link Rung sends (a table of cases). */
import { expect } from 'chai';
import LinkHeader from 'http-link-header';
import { formatLinks } from '../src/http/link-header.js';
import type { LinkSpec } from '../src/http/representation.js';

/** http-link-header's own formatting, as formatLinks used it before writing the common case itself. */
function byLibrary(links: LinkSpec[]): string {
  const header = new LinkHeader();
  for (const link of links) {
    const ref: LinkHeader.Reference = { uri: link.href, rel: link.rel };
    if (link.type) ref.type = link.type;
    if (link.title) ref.title = link.title;
    header.set(ref);
  }
  return header.toString();
}

describe('Link header values', () => {
  const cases: [string, LinkSpec[]][] = [
    ['no link', []],
    ['a registered relation', [{ rel: 'collection', href: 'http://h/countries' }]],
    ['an extension relation (an IRI: quoted)', [{ rel: 'http://www.w3.org/ns/hydra/core#apiDocumentation', href: 'http://h/docs' }]],
    ['several, in order', [
      { rel: 'first', href: 'http://h/countries?page=1' },
      { rel: 'next', href: 'http://h/countries?page=2&pageSize=5' },
      { rel: 'https://example.org/vocab#events', href: 'http://h/events?location=1' },
    ]],
    ['a media type (quoted: it has a slash)', [{ rel: 'http://www.w3.org/ns/json-ld#context', href: 'http://h/contexts/country.jsonld', type: 'application/ld+json' }]],
    ['a quote in a relation', [{ rel: 'odd"rel', href: 'http://h/x' }]],
    ['an empty relation', [{ rel: '', href: 'http://h/x' }]],
    ['a title with spaces, commas, semicolons and non-ASCII', [{ rel: 'related', href: 'http://h/x', title: 'Événement, deux; "trois"' }]],
    ['a title that is a token', [{ rel: 'related', href: 'http://h/x', title: 'plain' }]],
    ['type and title', [{ rel: 'alternate', href: 'http://h/x.ttl', type: 'text/turtle', title: 'Turtle' }]],
  ];
  for (const [name, links] of cases) {
    it(name, () => {
      expect(formatLinks(links)).to.equal(byLibrary(links));
      // … and it reads back as the links written.
      const parsed = LinkHeader.parse(formatLinks(links)).refs;
      expect(parsed.map((r) => [r.uri, r.rel])).to.deep.equal(links.map((l) => [l.href, l.rel]));
    });
  }
});
