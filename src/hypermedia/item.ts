/**
 * The JSON-LD representation of one stored item: `@id`, `@type`, its fields,
 * its links (relations as IRIs, the parent, nested collections, inverse
 * links) and, where it depends on state, the operations possible right now.
 */
import type { Document, LinkSpec } from '../http/representation.js';
import type { Resource } from '../resources/resource.js';
import type { StoredItem } from '../store/store.js';
import { deletableTerm, termIri, type ContextRegistry } from '../resources/contexts.js';
import { deletePossibleStatus } from './documentation.js';
import { DOCS_PATH } from '../resources/vocabulary.js';

export interface ItemOptions {
  /** Embedded in a collection: no `@context`, no `collection` link, no state-dependent operations. */
  embedded?: boolean;
  /** For resources whose DELETE depends on state: is it possible now? */
  canDelete?: boolean;
}

export class ItemBuilder {
  constructor(private readonly contexts: ContextRegistry) {}

  iri(base: string, resource: Resource, item: { id: number; parentId?: number }): string {
    return base + resource.itemPath(item.id, item.parentId);
  }

  /** Field and link properties of an item, with relation ids turned into IRIs. */
  build(base: string, resource: Resource, item: StoredItem, options: ItemOptions = {}): Document {
    const data: Record<string, unknown> = {};
    if (!options.embedded) data['@context'] = this.contexts.contextUrl(base, resource);
    data['@id'] = this.iri(base, resource, item);
    data['@type'] = resource.name;
    for (const field of resource.fields) {
      const value = item.values[field];
      if (value === undefined) continue;
      const relation = resource.relation(field);
      data[field] = relation ? base + relation.target.itemPath(value as number) : value;
    }
    const links = this.links(base, resource, item);
    for (const link of links.terms) data[link.term] = link.href;
    // Embedded in its collection, a member's `collection` link would only repeat the page's @id.
    if (!options.embedded) data.collection = base + resource.collectionPath(item.parentId);
    if (!options.embedded && resource.deleteIsConditional && options.canDelete) {
      // Two ways to say the same thing: an extra class whose documented
      // operation is DELETE (for clients that read operations from classes
      // only, like alcaeus), and the operation itself (for the others).
      data['@type'] = [resource.name, deletableTerm(resource)];
      data.operation = [
        {
          '@type': 'Operation',
          method: 'DELETE',
          title: `Delete this ${resource.name}`,
          description: `Possible because nothing refers to this ${resource.name}.`,
          possibleStatus: deletePossibleStatus(resource),
        },
      ];
    }
    return { data, links: options.embedded ? [] : this.headerLinks(base, resource, item, links.terms, data) };
  }

  private links(base: string, resource: Resource, item: StoredItem) {
    const terms: { term: string; href: string }[] = [];
    if (resource.parent) {
      terms.push({ term: resource.definition.parent!.term, href: base + resource.parent.itemPath(item.parentId!) });
    }
    for (const child of resource.children) {
      terms.push({ term: child.definition.parent!.inverse, href: base + child.collectionPath(item.id) });
    }
    for (const inverse of resource.inverseRelations) {
      if (inverse.from.parent) continue;
      terms.push({ term: inverse.term, href: `${base}${inverse.from.collectionPath()}?${inverse.field}=${item.id}` });
    }
    return { terms };
  }

  private headerLinks(
    base: string,
    resource: Resource,
    item: StoredItem,
    terms: { term: string; href: string }[],
    data: Record<string, unknown>,
  ): LinkSpec[] {
    const context = this.contexts.document(base, resource.definition.context)!['@context'];
    const collection = base + resource.collectionPath(item.parentId);
    const links: LinkSpec[] = [
      { rel: 'collection', href: collection },
      { rel: 'up', href: collection },
      { rel: 'describedby', href: `${base}${DOCS_PATH}` },
    ];
    for (const relation of resource.relations) {
      const href = data[relation.field];
      if (typeof href === 'string') links.push({ rel: termIri(context, relation.field), href });
    }
    for (const { term, href } of terms) links.push({ rel: termIri(context, term), href });
    return links;
  }
}

