/**
 * The JSON-LD representation of one stored item: `@id`, `@type`, its fields,
 * its links (relations as IRIs, the parent, nested collections, inverse
 * links) and, where it depends on state, the operations possible right now.
 *
 * What depends only on the resource type and the base URL (which fields are
 * links, the link terms, the relation IRIs of the `Link` header) is worked
 * out once per (base, resource) and kept: an item is built for every GET that
 * misses the caches.
 */
import type { Document, LinkSpec } from '../http/representation.js';
import type { Resource } from '../resources/resource.js';
import type { StoredItem } from '../store/store.js';
import { deletableTerm, termIri, type ContextRegistry } from '../resources/contexts.js';
import { deletePossibleStatus } from './possible-statuses.js';
import { DOCS_PATH } from '../resources/vocabulary.js';

export interface ItemOptions {
  /** Embedded in a collection: no `@context`, no `collection` link, no state-dependent operations. */
  embedded?: boolean;
  /** For resources whose DELETE depends on state: is it possible now? */
  canDelete?: boolean;
}

/** What building an item of one resource type, for one base URL, needs beyond the item itself. */
interface Plan {
  contextUrl: string;
  /** Fields in schema order; a link's target resource when the field is a relation. */
  fields: { name: string; target?: Resource }[];
  /** The `Link` relation (an IRI) of each relation field, in `resource.relations` order. */
  relationRels: { field: string; rel: string }[];
  /** Link terms (parent, nested collections, inverse links), in document order, with their `Link` relation. */
  terms: { term: string; rel: string; kind: 'parent' | 'child' | 'inverse'; resource: Resource; field?: string }[];
  describedBy: string;
}

/** Plans kept per base URL; a server sees a handful of them (bounded all the same). */
const MAX_BASES = 64;

export class ItemBuilder {
  private readonly plans = new Map<string, Map<Resource, Plan>>();

  constructor(private readonly contexts: ContextRegistry) {}

  iri(base: string, resource: Resource, item: { id: number; parentId?: number }): string {
    return base + resource.itemPath(item.id, item.parentId);
  }

  private plan(base: string, resource: Resource): Plan {
    let byResource = this.plans.get(base);
    if (!byResource) {
      if (this.plans.size >= MAX_BASES) this.plans.clear();
      this.plans.set(base, (byResource = new Map()));
    }
    let plan = byResource.get(resource);
    if (!plan) {
      const context = this.contexts.document(base, resource.definition.context)!['@context'];
      const terms: Plan['terms'] = [];
      if (resource.parent) {
        const term = resource.definition.parent!.term;
        terms.push({ term, rel: termIri(context, term), kind: 'parent', resource: resource.parent });
      }
      for (const child of resource.children) {
        const term = child.definition.parent!.inverse;
        terms.push({ term, rel: termIri(context, term), kind: 'child', resource: child });
      }
      for (const inverse of resource.inverseRelations) {
        if (inverse.from.parent) continue;
        terms.push({ term: inverse.term, rel: termIri(context, inverse.term), kind: 'inverse', resource: inverse.from, field: inverse.field });
      }
      plan = {
        contextUrl: this.contexts.contextUrl(base, resource),
        fields: resource.fields.map((name) => ({ name, target: resource.relation(name)?.target })),
        relationRels: resource.relations.map((r) => ({ field: r.field, rel: termIri(context, r.field) })),
        terms,
        describedBy: `${base}${DOCS_PATH}`,
      };
      byResource.set(resource, plan);
    }
    return plan;
  }

  /** Field and link properties of an item, with relation ids turned into IRIs. */
  build(base: string, resource: Resource, item: StoredItem, options: ItemOptions = {}): Document {
    const plan = this.plan(base, resource);
    const data: Record<string, unknown> = {};
    if (!options.embedded) data['@context'] = plan.contextUrl;
    data['@id'] = this.iri(base, resource, item);
    data['@type'] = resource.name;
    for (const { name, target } of plan.fields) {
      const value = item.values[name];
      if (value === undefined) continue;
      data[name] = target ? base + target.itemPath(value as number) : value;
    }
    const hrefs: string[] = [];
    for (const link of plan.terms) {
      const href =
        link.kind === 'parent'
          ? base + link.resource.itemPath(item.parentId!)
          : link.kind === 'child'
            ? base + link.resource.collectionPath(item.id)
            : `${base}${link.resource.collectionPath()}?${link.field}=${item.id}`;
      hrefs.push(href);
      data[link.term] = href;
    }
    // Embedded in its collection, a member's `collection` link would only repeat the page's @id.
    if (options.embedded) return { data, links: [] };
    const collection = base + resource.collectionPath(item.parentId);
    data.collection = collection;
    if (resource.deleteIsConditional && options.canDelete) {
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
    const links: LinkSpec[] = [
      { rel: 'collection', href: collection },
      { rel: 'up', href: collection },
      { rel: 'describedby', href: plan.describedBy },
    ];
    for (const { field, rel } of plan.relationRels) {
      const href = data[field];
      if (typeof href === 'string') links.push({ rel, href });
    }
    for (let i = 0; i < plan.terms.length; i++) links.push({ rel: plan.terms[i].rel, href: hrefs[i] });
    return { data, links };
  }
}
