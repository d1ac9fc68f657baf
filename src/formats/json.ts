/**
 * Plain JSON: the compacted document without `@context`; the context is
 * given by a `Link: <…>; rel="http://www.w3.org/ns/json-ld#context"` header
 * with an absolute URL, so a JSON-LD processor reads the same graph.
 *
 * @see JSON-LD 1.1 §6.1 (Interpreting JSON as JSON-LD)
 */
import type { Format } from './format.js';
import { JSONLD_CONTEXT_REL } from '../resources/vocabulary.js';

export const json: Format = {
  key: 'json',
  mediaType: 'application/json',
  contentType: 'application/json',
  render(doc) {
    const { '@context': context, ...rest } = doc.data;
    // A context document *is* its @context: serve it whole.
    if (typeof context !== 'string') return { body: JSON.stringify(doc.data, null, 2) };
    return {
      body: JSON.stringify(rest, null, 2),
      links: [{ rel: JSONLD_CONTEXT_REL, href: context, type: 'application/ld+json' }],
    };
  },
};
