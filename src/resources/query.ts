/**
 * Collection query strings: filters, free text, sort and paging. Every
 * parameter is checked; anything unknown or malformed is a 400 naming the
 * parameter.
 *
 * Besides its own parameters (the variables of the search template, listed by
 * {@link queryParameters}), a collection accepts the conventions of API
 * Platform's clients, so that API Platform Admin works on any Rung API
 * without a custom data provider: `itemsPerPage` for `pageSize`, and
 * `order[field]=asc|desc` for `sort`. Links always use the template's names.
 */
import { badParameter } from '../http/errors.js';
import type { Comparison, Condition } from '../store/store.js';
import { isDate, normaliseDateTime, type FilterSpec, type Resource } from './resource.js';

export interface PagingOptions {
  defaultPageSize: number;
  maxPageSize: number;
}

export interface CollectionQuery {
  filters: { spec: FilterSpec; raw: string; value: unknown }[];
  /** The free-text parameter (`q`): as given, and its words. */
  text?: { raw: string; words: string[] };
  sort: { field: string; descending: boolean }[];
  page: number;
  pageSize: number;
  /** The `page` parameter was given explicitly (the page is then named with it). */
  explicitPage: boolean;
  /** The `pageSize` parameter was given explicitly (and is kept in links). */
  explicitPageSize: boolean;
}

export const PAGE = 'page';
export const PAGE_SIZE = 'pageSize';
export const SORT = 'sort';
/** The free-text parameter, mapped to `hydra:freetextQuery`. */
export const FREE_TEXT = 'q';
/** API Platform's name for `pageSize`. */
export const ITEMS_PER_PAGE = 'itemsPerPage';
/** API Platform's sort parameters, `order[field]=asc|desc`. */
const ORDER = /^order\[(.*)\]$/;
/** The id is always a sort key (the last one, so that pages are stable), and may be the first. */
const ID = 'id';

/** What a query parameter of a collection does. */
export type ParameterRole = 'filter' | 'freetext' | 'sort' | 'page' | 'pageSize';

/** One variable of a collection's search template: its name, role and a description for documentation. */
export interface QueryParameter {
  name: string;
  role: ParameterRole;
  description: string;
  /** For filters: which field, compared how. */
  filter?: FilterSpec;
  /** For free text: the fields searched. */
  fields?: string[];
}

function filterDescription(f: FilterSpec): string {
  switch (f.op) {
    case '=':
      return f.target ? `${f.field} is this ${f.target.name} (IRI or id)` : `${f.field} equals the value`;
    case '>=':
      return `${f.field} is at least the value`;
    case '<=':
      return `${f.field} is at most the value`;
    case 'contains':
      return `${f.field} contains the value, ignoring case`;
  }
}

/** Fields a collection can be sorted by: the declared ones and the id. */
export const sortFields = (resource: Resource): string[] => [...resource.sortable, ID];

/**
 * Every variable of the collection's search template, in template order:
 * filters (in declared order), free text, sort, page, pageSize. The search
 * template, its Hydra mappings and the OpenAPI parameters are made from this.
 */
export function queryParameters(resource: Resource): QueryParameter[] {
  let parameters = computed.get(resource);
  if (!parameters) computed.set(resource, (parameters = compute(resource)));
  return parameters;
}

/** Parameters per resource: the definitions do not change once compiled. */
const computed = new WeakMap<Resource, QueryParameter[]>();

function compute(resource: Resource): QueryParameter[] {
  const parameters: QueryParameter[] = resource.filters.map((filter) => ({
    name: filter.param,
    role: 'filter',
    description: filterDescription(filter),
    filter,
  }));
  if (resource.searchFields.length) {
    parameters.push({
      name: FREE_TEXT,
      role: 'freetext',
      description: `Free text: every word appears in ${resource.searchFields.join(' or ')}, ignoring case`,
      fields: resource.searchFields,
    });
  }
  if (resource.sortable.length) {
    parameters.push({
      name: SORT,
      role: 'sort',
      description: `Comma-separated fields to sort by, each optionally prefixed with - for descending: ${sortFields(resource).join(', ')}`,
    });
  }
  parameters.push(
    { name: PAGE, role: 'page', description: 'Page number, from 1' },
    { name: PAGE_SIZE, role: 'pageSize', description: `Items per page (capped); also accepted as ${ITEMS_PER_PAGE}` },
  );
  return parameters;
}

const INTEGER = /^-?\d+$/;
const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

function single(query: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw badParameter(name, `Parameter "${name}" is given more than once.`);
  return value;
}

function positiveInteger(name: string, raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
    throw badParameter(name, `Parameter "${name}" must be a positive integer, not "${raw}".`);
  }
  return Number(raw);
}

/** Turns a link value (IRI or bare id) into the target's id. */
export type IdResolver = (target: Resource, value: string) => number | undefined;

function filterValue(spec: FilterSpec, raw: string, resolveId: IdResolver): unknown {
  if (spec.target) {
    const id = resolveId(spec.target, raw);
    if (id === undefined) {
      throw badParameter(spec.param, `Parameter "${spec.param}" must be the IRI of ${spec.target.withArticle}, not "${raw}".`);
    }
    return id;
  }
  if (spec.dateTime) {
    const normalised = normaliseDateTime(raw);
    if (normalised === undefined) {
      throw badParameter(spec.param, `Parameter "${spec.param}" must be an RFC 3339 date or date-time (e.g. 2027-05-01 or 2027-05-01T09:00:00Z), not "${raw}".`);
    }
    return normalised;
  }
  if (spec.date) {
    if (!isDate(raw)) throw badParameter(spec.param, `Parameter "${spec.param}" must be an RFC 3339 date such as 2027-05-01, not "${raw}".`);
    return raw;
  }
  switch (spec.kind) {
    case 'integer':
      if (!INTEGER.test(raw)) throw badParameter(spec.param, `Parameter "${spec.param}" must be an integer, not "${raw}".`);
      return Number(raw);
    case 'real':
      if (!NUMBER.test(raw)) throw badParameter(spec.param, `Parameter "${spec.param}" must be a number, not "${raw}".`);
      return Number(raw);
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') {
        throw badParameter(spec.param, `Parameter "${spec.param}" must be true or false, not "${raw}".`);
      }
      return raw === 'true';
    default:
      return raw;
  }
}

function sortField(resource: Resource, parameter: string, field: string, hint: string): string {
  if (!sortFields(resource).includes(field)) {
    throw badParameter(parameter, `Cannot sort by "${field}". Sortable fields: ${sortFields(resource).join(', ')}${hint}.`);
  }
  return field;
}

/** `sort=a,-b`, or API Platform's `order[a]=asc&order[b]=desc` (in the order given); not both. */
function parseSort(resource: Resource, query: Record<string, string | string[] | undefined>): CollectionQuery['sort'] {
  const sort: CollectionQuery['sort'] = [];
  const orders = Object.keys(query).filter((name) => ORDER.test(name));
  const rawSort = single(query, SORT);
  if (rawSort !== undefined && orders.length) {
    throw badParameter(orders[0], `Give the order either as "${SORT}" or as "order[field]" parameters, not both.`);
  }
  if (rawSort !== undefined) {
    for (const part of rawSort.split(',')) {
      const descending = part.startsWith('-');
      sort.push({ field: sortField(resource, SORT, descending ? part.slice(1) : part, ' (prefix with - for descending)'), descending });
    }
  }
  for (const name of orders) {
    const direction = single(query, name)!.toLowerCase();
    if (direction !== 'asc' && direction !== 'desc') {
      throw badParameter(name, `Parameter "${name}" must be asc or desc, not "${query[name]}".`);
    }
    sort.push({ field: sortField(resource, name, ORDER.exec(name)![1], ''), descending: direction === 'desc' });
  }
  return sort;
}

export function parseCollectionQuery(
  resource: Resource,
  query: Record<string, string | string[] | undefined>,
  paging: PagingOptions,
  resolveId: IdResolver,
): CollectionQuery {
  const known = new Set(queryParameters(resource).map((p) => p.name));
  for (const name of Object.keys(query)) {
    if (!known.has(name) && name !== ITEMS_PER_PAGE && !ORDER.test(name)) {
      const allowed = [...known].join(', ');
      throw badParameter(name, `Unknown query parameter "${name}". Besides API Platform's ${ITEMS_PER_PAGE} and order[field]=asc|desc, this collection understands: ${allowed}.`);
    }
  }
  const filters: CollectionQuery['filters'] = [];
  for (const spec of resource.filters) {
    const raw = single(query, spec.param);
    if (raw === undefined) continue;
    filters.push({ spec, raw, value: filterValue(spec, raw, resolveId) });
  }
  const rawText = resource.searchFields.length ? single(query, FREE_TEXT) : undefined;
  const text = rawText === undefined ? undefined : { raw: rawText, words: rawText.split(/\s+/).filter(Boolean) };
  const rawPage = single(query, PAGE);
  const rawSize = single(query, PAGE_SIZE);
  const rawItemsPerPage = single(query, ITEMS_PER_PAGE);
  if (rawSize !== undefined && rawItemsPerPage !== undefined) {
    throw badParameter(ITEMS_PER_PAGE, `Give the page size either as "${PAGE_SIZE}" or as "${ITEMS_PER_PAGE}", not both.`);
  }
  const page = rawPage === undefined ? 1 : positiveInteger(PAGE, rawPage);
  // A resource's own page sizes win over the server's.
  const { defaultPageSize, maxPageSize } = { ...paging, ...resource.definition.paging };
  const size = rawSize ?? rawItemsPerPage;
  const requested = size === undefined ? defaultPageSize : positiveInteger(rawSize === undefined ? ITEMS_PER_PAGE : PAGE_SIZE, size);
  return {
    filters,
    text,
    sort: parseSort(resource, query),
    page,
    pageSize: Math.min(requested, maxPageSize),
    explicitPage: rawPage !== undefined,
    explicitPageSize: size !== undefined,
  };
}

/** Conditions and ordering for the store. */
export function toStoreQuery(resource: Resource, q: CollectionQuery): { where: Condition[]; order: { column: string; descending: boolean }[] } {
  const defaultSort = resource.definition.defaultSort;
  const order = q.sort.length
    ? q.sort.map((s) => ({ column: s.field, descending: s.descending }))
    : defaultSort
      ? [{ column: defaultSort.replace(/^-/, ''), descending: defaultSort.startsWith('-') }]
      : [];
  const where: Condition[] = q.filters.map((f) => ({ column: f.spec.field, op: f.spec.op, value: f.value }));
  // Free text: every word is in one of the searched fields.
  for (const word of q.text?.words ?? []) {
    where.push({ any: resource.searchFields.map((column): Comparison => ({ column, op: 'contains', value: word })) });
  }
  return { where, order };
}

/** The `sort` value naming the query's order, e.g. `name,-area`. */
export const sortValue = (q: CollectionQuery): string => q.sort.map((s) => (s.descending ? '-' : '') + s.field).join(',');

/**
 * The identity of one page in the render cache: the variables its IRI is
 * expanded from (hypermedia/collection.ts), in template order. `page` is
 * there only when the request named it, as in the page's IRI.
 */
export function pageKey(q: CollectionQuery): string {
  const params = new URLSearchParams();
  for (const f of q.filters) params.append(f.spec.param, f.raw);
  if (q.text) params.append(FREE_TEXT, q.text.raw);
  if (q.sort.length) params.append(SORT, sortValue(q));
  if (q.explicitPage) params.append(PAGE, String(q.page));
  if (q.explicitPageSize) params.append(PAGE_SIZE, String(q.pageSize));
  return `?${params}`;
}
