/**
 * The entry point: one typed link per top-level collection, and the same
 * collections as `hydra:collection` entries whose `hydra:memberAssertion`
 * says what their members are (Hydra Core §5.1.2), so a client can pick a
 * collection by the class of its members without reading the documentation.
 */
import type { Document } from '../http/representation.js';
import type { ResourceRegistry } from '../resources/registry.js';
import { ENTRYPOINT_CONTEXT, termIri, type ContextRegistry } from '../resources/contexts.js';
import { DOCS_PATH, vocabularyIri } from '../resources/vocabulary.js';

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

export function entrypointDocument(base: string, registry: ResourceRegistry, contexts: ContextRegistry): Document {
  const vocab = vocabularyIri(base);
  const data: Record<string, unknown> = {
    '@context': contexts.url(base, ENTRYPOINT_CONTEXT),
    '@id': `${base}/`,
    '@type': 'EntryPoint',
  };
  const links = [{ rel: 'describedby', href: `${base}${DOCS_PATH}` }];
  const collections: Record<string, unknown>[] = [];
  for (const resource of registry.roots) {
    const href = base + resource.collectionPath();
    data[resource.segment] = href;
    links.push({ rel: `${vocab}EntryPoint/${resource.segment}`, href });
    const context = contexts.document(base, resource.definition.context)!['@context'];
    collections.push({
      '@id': href,
      '@type': 'Collection',
      title: resource.definition.title ?? resource.segment,
      memberAssertion: { property: RDF_TYPE, object: termIri(context, resource.name) },
    });
  }
  // `collection` is IANA's "member of" relation in Rung's contexts: Hydra's is written out.
  data['hydra:collection'] = collections;
  return { data, links };
}
