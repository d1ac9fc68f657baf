/** The entry point: one typed link per top-level collection. */
import type { Document } from '../http/representation.js';
import type { ResourceRegistry } from '../resources/registry.js';
import { ENTRYPOINT_CONTEXT, type ContextRegistry } from '../resources/contexts.js';
import { DOCS_PATH, vocabularyIri } from '../resources/vocabulary.js';

export function entrypointDocument(base: string, registry: ResourceRegistry, contexts: ContextRegistry): Document {
  const vocab = vocabularyIri(base);
  const data: Record<string, unknown> = {
    '@context': contexts.url(base, ENTRYPOINT_CONTEXT),
    '@id': `${base}/`,
    '@type': 'EntryPoint',
  };
  const links = [{ rel: 'describedby', href: `${base}${DOCS_PATH}` }];
  for (const resource of registry.roots) {
    const href = base + resource.collectionPath();
    data[resource.segment] = href;
    links.push({ rel: `${vocab}EntryPoint/${resource.segment}`, href });
  }
  return { data, links };
}
