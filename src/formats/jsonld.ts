/**
 * JSON-LD in its three document forms. Compacted is what Rung builds
 * directly (no jsonld.js on the way); expanded and flattened are derived
 * with jsonld.js on a cache miss only.
 *
 * @see JSON-LD 1.1 §9 (IANA considerations: the profile parameter)
 */
import type jsonld from 'jsonld';
import type { Format, RenderEnv } from './format.js';
import type { Document } from '../http/representation.js';

export const JSONLD = 'application/ld+json';
export const PROFILE = 'http://www.w3.org/ns/json-ld#';
const withProfile = (form: string) => `${JSONLD}; profile="${PROFILE}${form}"`;

const pretty = (data: unknown) => JSON.stringify(data, null, 2);

/**
 * jsonld.js, loaded the first time a request needs it (expanded and
 * flattened forms, JSON-LD request bodies, the RDF fallback): it holds
 * ~20 MB once loaded, and the compacted form, plain JSON and Rung's own
 * RDF writer never need it.
 */
export const loadJsonLd = async (): Promise<typeof jsonld> => (await import('jsonld')).default;

/**
 * jsonld.js options that never leave the process, fail on anything dropped
 * and keep IRIs absolute when compacting (as the compacted form does):
 * jsonld.js would otherwise write `/events/1/guests` as `guests` against the
 * base `/events/1`, which resolves to `/events/guests`.
 */
export function jsonldOptions(env: RenderEnv) {
  return {
    base: `${env.base}${env.url}`,
    compactToRelative: false,
    documentLoader: env.contexts.documentLoader(env.base) as unknown as jsonld.Options.DocLoader['documentLoader'],
    safe: true,
  };
}

export const compacted: Format = {
  key: 'jsonld',
  mediaType: JSONLD,
  contentType: JSONLD,
  render: (doc: Document) => ({ body: pretty(doc.data) }),
};

/** Same bytes as {@link compacted}, but its own Content-Type, so its own strong ETag. */
export const compactedProfile: Format = {
  ...compacted,
  key: 'compacted',
  mediaType: withProfile('compacted'),
  contentType: withProfile('compacted'),
};

export const expanded: Format = {
  key: 'expanded',
  mediaType: withProfile('expanded'),
  contentType: withProfile('expanded'),
  async render(doc, env) {
    const result = await (await loadJsonLd()).expand(doc.data as jsonld.JsonLdDocument, jsonldOptions(env));
    return { body: pretty(result) };
  },
};

export const flattened: Format = {
  key: 'flattened',
  mediaType: withProfile('flattened'),
  contentType: withProfile('flattened'),
  async render(doc, env) {
    const context = doc.data['@context'] as string;
    const result = await (await loadJsonLd()).flatten(doc.data as jsonld.JsonLdDocument, { '@context': context } as jsonld.ContextDefinition, jsonldOptions(env));
    return { body: pretty(result) };
  },
};
