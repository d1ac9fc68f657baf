/**
 * A page of a collection as a `hydra:Collection`: members, `totalItems`, a
 * `hydra:PartialCollectionView` with first/last/next/previous (present only
 * when they exist), and a `hydra:search` IRI template (RFC 6570) that maps
 * every filter, free-text, sort and paging parameter.
 *
 * The view is named by the URL the client fetched (in the template's
 * canonical form): `/countries` is the collection and its own first page,
 * `/countries?page=2` the second. Generic clients such as Comunica follow
 * `hydra:next` only from the very URL they fetched.
 */
import type { Document, LinkSpec } from '../http/representation.js';
import { parseTemplate } from 'url-template';
import { FREE_TEXT, PAGE, PAGE_SIZE, queryParameters, SORT, sortValue, type CollectionQuery, type QueryParameter } from '../resources/query.js';
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

  /** The RFC 6570 template of a collection's search, e.g. `/countries{?name,capital,q,sort,page,pageSize}`. */
  searchTemplate(base: string, resource: Resource, parentId?: number): string {
    return `${base}${resource.collectionPath(parentId)}{?${queryParameters(resource).map((p) => p.name).join(',')}}`;
  }

  /** `hydra:IriTemplateMapping`s for every variable of the search template. */
  searchMappings(base: string, resource: Resource) {
    const context = this.contexts.document(base, resource.definition.context)!['@context'];
    const vocab = vocabularyIri(base);
    const property = (p: QueryParameter): string => {
      switch (p.role) {
        case 'filter':
          return termIri(context, p.filter!.field);
        case 'freetext':
          return `${HYDRA}freetextQuery`;
        case 'sort':
          return `${vocab}sort`;
        case 'page':
          return `${HYDRA}pageIndex`;
        case 'pageSize':
          return `${HYDRA}limit`;
      }
    };
    return queryParameters(resource).map((p) => ({
      '@type': 'IriTemplateMapping',
      variable: p.name,
      property: property(p),
      required: false,
      description: p.description,
    }));
  }

  build(base: string, resource: Resource, parentId: number | undefined, q: CollectionQuery, page: Page): Document {
    // Every IRI of the collection and its pages is an expansion of the search
    // template it advertises (RFC 6570, by url-template), so the two cannot disagree.
    const search = this.search(base, resource, parentId);
    const template = search.parsed;
    const sort = sortValue(q);
    const expand = (paging?: { page?: number; pageSize: number }) => {
      const variables: Record<string, string | number> = {};
      for (const f of q.filters) variables[f.spec.param] = f.raw;
      if (q.text) variables[FREE_TEXT] = q.text.raw;
      if (sort) variables[SORT] = sort;
      if (paging?.page !== undefined) variables[PAGE] = paging.page;
      if (paging && q.explicitPageSize) variables[PAGE_SIZE] = paging.pageSize;
      return template.expand(variables);
    };
    const id = expand();
    // Page 1 is named without `page` (with `pageSize` when the client gave one):
    // that is the collection itself, or what expanding the template with
    // `pageSize` alone gives. A client that asked for `page=1` gets its own URL
    // as the view's name, while `first` and `previous` lead to the canonical one.
    const pageIri = (n: number) => expand({ page: n === 1 ? undefined : n, pageSize: q.pageSize });
    const lastPage = Math.max(1, Math.ceil(page.total / q.pageSize));
    const view: Record<string, unknown> = {
      '@id': q.explicitPage ? expand({ page: q.page, pageSize: q.pageSize }) : pageIri(q.page),
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
