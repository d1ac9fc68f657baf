/**
 * A page of a collection as a `hydra:Collection`: members, `totalItems`, a
 * `hydra:PartialCollectionView` with first/last/next/previous (present only
 * when they exist), and a `hydra:search` IRI template (RFC 6570) that maps
 * every filter, sort and paging parameter.
 */
import type { Document, LinkSpec } from '../http/representation.js';
import { parseTemplate } from 'url-template';
import { PAGE, PAGE_SIZE, SORT, type CollectionQuery } from '../resources/query.js';
import type { Resource } from '../resources/resource.js';
import type { StoredItem } from '../store/store.js';
import { termIri, type ContextRegistry } from '../resources/contexts.js';
import type { ItemBuilder } from './item.js';
import { DOCS_PATH, HYDRA, vocabularyIri } from '../resources/vocabulary.js';

export interface Page {
  items: StoredItem[];
  total: number;
}

export class CollectionBuilder {
  constructor(
    private readonly contexts: ContextRegistry,
    private readonly items: ItemBuilder,
  ) {}

  /**
   * The search template (text and parsed) and its mappings per (base, resource, parent): the same
   * for every page, so worked out once (bounded) and shared, read-only, by the documents built.
   */
  private readonly searches = new Map<string, { text: string; parsed: ReturnType<typeof parseTemplate>; mappings: Record<string, unknown>[] }>();

  private search(base: string, resource: Resource, parentId: number | undefined) {
    const key = `${base}\n${resource.name}\n${parentId ?? ''}`;
    let search = this.searches.get(key);
    if (!search) {
      const text = this.searchTemplate(base, resource, parentId);
      search = { text, parsed: parseTemplate(text), mappings: this.searchMappings(base, resource) };
      if (this.searches.size >= 1024) this.searches.clear();
      this.searches.set(key, search);
    }
    return search;
  }

  /** The RFC 6570 template of a collection's search, e.g. `/countries{?name,capital,sort,page,pageSize}`. */
  searchTemplate(base: string, resource: Resource, parentId?: number): string {
    const variables = [...resource.filters.map((f) => f.param), ...(resource.sortable.length ? [SORT] : []), PAGE, PAGE_SIZE];
    return `${base}${resource.collectionPath(parentId)}{?${variables.join(',')}}`;
  }

  /** `hydra:IriTemplateMapping`s for every variable of the search template. */
  searchMappings(base: string, resource: Resource) {
    const context = this.contexts.document(base, resource.definition.context)!['@context'];
    const vocab = vocabularyIri(base);
    const mappings: Record<string, unknown>[] = resource.filters.map((f) => ({
      '@type': 'IriTemplateMapping',
      variable: f.param,
      property: termIri(context, f.field),
      required: false,
      description:
        f.op === '=' ? (f.target ? `${f.field} is this ${f.target.name} (IRI or id)` : `${f.field} equals the value`)
        : f.op === '>=' ? `${f.field} is at least the value` : `${f.field} is at most the value`,
    }));
    if (resource.sortable.length) {
      mappings.push({
        '@type': 'IriTemplateMapping',
        variable: SORT,
        property: `${vocab}sort`,
        required: false,
        description: `Comma-separated fields to sort by, each optionally prefixed with - for descending: ${resource.sortable.join(', ')}`,
      });
    }
    mappings.push(
      { '@type': 'IriTemplateMapping', variable: PAGE, property: `${HYDRA}pageIndex`, required: false, description: 'Page number, from 1' },
      { '@type': 'IriTemplateMapping', variable: PAGE_SIZE, property: `${HYDRA}limit`, required: false, description: 'Items per page (capped)' },
    );
    return mappings;
  }

  build(base: string, resource: Resource, parentId: number | undefined, q: CollectionQuery, page: Page): Document {
    // Every IRI of the collection and its pages is an expansion of the search
    // template it advertises (RFC 6570, by url-template), so the two cannot disagree.
    const search = this.search(base, resource, parentId);
    const template = search.parsed;
    const sort = q.sort.map((s) => (s.descending ? '-' : '') + s.field).join(',');
    const expand = (n?: number) => {
      const variables: Record<string, string | number> = {};
      for (const f of q.filters) variables[f.spec.param] = f.raw;
      if (sort) variables[SORT] = sort;
      // With an explicit page size, page 1 is named without `page=1`: that is the
      // URL a client gets by expanding the template with `pageSize` only, and
      // alcaeus finds a response's root only through a node whose @id is the
      // requested URL. Without one, `?page=1` keeps page 1 distinct from the
      // collection itself.
      if (n !== undefined && !(n === 1 && q.explicitPageSize)) variables[PAGE] = n;
      if (n !== undefined && q.explicitPageSize) variables[PAGE_SIZE] = q.pageSize;
      return template.expand(variables);
    };
    const id = expand();
    const pageIri = (n: number) => expand(n);
    const lastPage = Math.max(1, Math.ceil(page.total / q.pageSize));
    const view: Record<string, unknown> = {
      '@id': pageIri(q.page),
      '@type': 'PartialCollectionView',
      first: pageIri(1),
      last: pageIri(lastPage),
    };
    if (q.page > 1) view.previous = pageIri(Math.min(q.page - 1, lastPage));
    if (q.page < lastPage) view.next = pageIri(q.page + 1);

    const data: Record<string, unknown> = {
      '@context': this.contexts.contextUrl(base, resource),
      '@id': id,
      '@type': ['Collection', `${resource.name}Collection`],
      totalItems: page.total,
      member: page.items.map((item) => this.items.build(base, resource, item, { embedded: true }).data),
      view,
      search: {
        '@type': 'IriTemplate',
        template: search.text,
        variableRepresentation: 'BasicRepresentation',
        mapping: search.mappings,
      },
    };
    const links: LinkSpec[] = [
      { rel: 'first', href: view.first as string },
      { rel: 'last', href: view.last as string },
    ];
    if (view.previous) links.push({ rel: 'prev', href: view.previous as string });
    if (view.next) links.push({ rel: 'next', href: view.next as string });
    links.push({ rel: 'up', href: resource.parent ? base + resource.parent.itemPath(parentId!) : `${base}/` });
    links.push({ rel: 'describedby', href: `${base}${DOCS_PATH}` });
    for (const member of data.member as { '@id': string }[]) links.push({ rel: 'item', href: member['@id'] });
    return { data, links };
  }
}
