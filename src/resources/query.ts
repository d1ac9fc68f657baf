/**
 * Collection query strings: filters, sort and paging. Every parameter is
 * checked; anything unknown or malformed is a 400 naming the parameter.
 */
import { badParameter } from '../http/errors.js';
import type { Condition } from '../store/store.js';
import { isDate, normaliseDateTime, type FilterSpec, type Resource } from './resource.js';

export interface PagingOptions {
  defaultPageSize: number;
  maxPageSize: number;
}

export interface CollectionQuery {
  filters: { spec: FilterSpec; raw: string; value: unknown }[];
  sort: { field: string; descending: boolean }[];
  page: number;
  pageSize: number;
  /** The `pageSize` parameter was given explicitly (and is kept in links). */
  explicitPageSize: boolean;
}

export const PAGE = 'page';
export const PAGE_SIZE = 'pageSize';
export const SORT = 'sort';

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

export function parseCollectionQuery(
  resource: Resource,
  query: Record<string, string | string[] | undefined>,
  paging: PagingOptions,
  resolveId: IdResolver,
): CollectionQuery {
  const known = new Set([PAGE, PAGE_SIZE, SORT, ...resource.filters.map((f) => f.param)]);
  for (const name of Object.keys(query)) {
    if (!known.has(name)) {
      const allowed = [...known].join(', ');
      throw badParameter(name, `Unknown query parameter "${name}". This collection understands: ${allowed}.`);
    }
  }
  const filters: CollectionQuery['filters'] = [];
  for (const spec of resource.filters) {
    const raw = single(query, spec.param);
    if (raw === undefined) continue;
    filters.push({ spec, raw, value: filterValue(spec, raw, resolveId) });
  }
  const sort: CollectionQuery['sort'] = [];
  const rawSort = single(query, SORT);
  if (rawSort !== undefined) {
    for (const part of rawSort.split(',')) {
      const descending = part.startsWith('-');
      const field = descending ? part.slice(1) : part;
      if (!resource.sortable.includes(field)) {
        throw badParameter(
          SORT,
          `Cannot sort by "${field}". Sortable fields: ${resource.sortable.join(', ') || 'none'} (prefix with - for descending).`,
        );
      }
      sort.push({ field, descending });
    }
  }
  const rawPage = single(query, PAGE);
  const rawSize = single(query, PAGE_SIZE);
  const page = rawPage === undefined ? 1 : positiveInteger(PAGE, rawPage);
  // A resource's own page sizes win over the server's.
  const { defaultPageSize, maxPageSize } = { ...paging, ...resource.definition.paging };
  const requested = rawSize === undefined ? defaultPageSize : positiveInteger(PAGE_SIZE, rawSize);
  return {
    filters,
    sort,
    page,
    pageSize: Math.min(requested, maxPageSize),
    explicitPageSize: rawSize !== undefined,
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
  return {
    where: q.filters.map((f) => ({ column: f.spec.field, op: f.spec.op, value: f.value })),
    order,
  };
}

/**
 * The identity of one page in the render cache: filters in declared order,
 * then sort, page and (when given) pageSize. The page's IRIs themselves are
 * expansions of the search template (hypermedia/collection.ts).
 */
export function pageKey(q: CollectionQuery): string {
  const params = new URLSearchParams();
  for (const f of q.filters) params.append(f.spec.param, f.raw);
  if (q.sort.length) params.append(SORT, q.sort.map((s) => (s.descending ? '-' : '') + s.field).join(','));
  params.append(PAGE, String(q.page));
  if (q.explicitPageSize) params.append(PAGE_SIZE, String(q.pageSize));
  return `?${params}`;
}
