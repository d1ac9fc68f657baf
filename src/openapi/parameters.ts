/**
 * OpenAPI parameters: the path ids of items (and of the parent item for
 * nested resources), a collection's query parameters, and the conditional
 * request headers.
 *
 * Filter parameters come from the compiled `resource.filters` (one
 * {@link FilterSpec} each) and nothing else, so a new kind of filter appears
 * here as soon as the resource offers it.
 *
 * @see OpenAPI 3.1.1 §4.8.12 (Parameter Object), RFC 9110 §13.1 (preconditions)
 */
import { ITEMS_PER_PAGE, queryParameters as templateVariables, sortFields, type PagingOptions } from '../resources/query.js';
import type { FilterSpec, Resource } from '../resources/resource.js';

/** How each filter operator reads; an operator not listed here is described by its symbol. */
const OPERATORS: Record<string, string> = {
  '=': 'equals',
  '>=': 'is at least',
  '<=': 'is at most',
  contains: 'contains, ignoring case,',
};

function filterSchema(resource: Resource, spec: FilterSpec): Record<string, unknown> {
  if (spec.target) {
    return { type: 'string', description: `IRI of ${spec.target.withArticle}, its path, or its id`, examples: [`${spec.target.collectionPath()}/1`, '1'] };
  }
  if (spec.dateTime && spec.op !== 'contains') return { anyOf: [{ type: 'string', format: 'date' }, { type: 'string', format: 'date-time' }] };
  switch (spec.kind) {
    case 'integer':
      return { type: 'integer' };
    case 'real':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    default: {
      const format = resource.schema.properties?.[spec.field]?.format;
      return format === 'date' && spec.op !== 'contains' ? { type: 'string', format } : { type: 'string' };
    }
  }
}

function filterDescription(spec: FilterSpec): string {
  const verb = OPERATORS[spec.op] ?? `matches (${spec.op})`;
  if (spec.target) return `Only items whose ${spec.field} is this ${spec.target.name} (IRI, path or id)`;
  return `Only items whose ${spec.field} ${verb} the value`;
}

/**
 * Every query parameter a collection understands — the variables of its
 * search template, in the same order (resources/query.ts lists them once for
 * both); anything else is answered 400.
 */
export function queryParameters(resource: Resource, serverPaging: PagingOptions): Record<string, unknown>[] {
  const paging = { ...serverPaging, ...resource.definition.paging };
  return templateVariables(resource).map((variable) => {
    const parameter = { name: variable.name, in: 'query', required: false };
    switch (variable.role) {
      case 'filter':
        return { ...parameter, description: filterDescription(variable.filter!), schema: filterSchema(resource, variable.filter!) };
      case 'freetext':
        return { ...parameter, description: `${variable.description}`, schema: { type: 'string' } };
      case 'sort': {
        const field = `-?(${sortFields(resource).join('|')})`;
        return {
          ...parameter,
          description: `${variable.description}. API Platform's order[field]=asc|desc is accepted too.`,
          schema: { type: 'string', pattern: `^${field}(,${field})*$` },
        };
      }
      case 'page':
        return { ...parameter, description: 'Page number, from 1; past the last page is a 400', schema: { type: 'integer', minimum: 1, default: 1 } };
      default:
        return {
          ...parameter,
          description: `Items per page (larger values are capped at ${paging.maxPageSize}); also accepted as ${ITEMS_PER_PAGE}`,
          schema: { type: 'integer', minimum: 1, default: paging.defaultPageSize },
        };
    }
  });
}

const pathId = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  // Anything else names no item: 404.
  schema: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
});

/** Name of the path parameter that holds a parent item's id, e.g. `eventId`. */
export function parentIdParameter(resource: Resource): string {
  return `${resource.definition.parent!.term}Id`;
}

/** OpenAPI path of a collection, e.g. `/events/{eventId}/guests`. */
export function collectionPath(resource: Resource): string {
  if (!resource.parent) return `/${resource.segment}`;
  return `${collectionPath(resource.parent)}/{${parentIdParameter(resource)}}/${resource.segment}`;
}

export function itemPath(resource: Resource): string {
  return `${collectionPath(resource)}/{id}`;
}

/** Path parameters of a collection (none at the top level; the parent's id when nested). */
export function collectionPathParameters(resource: Resource): Record<string, unknown>[] {
  if (!resource.parent) return [];
  return [...collectionPathParameters(resource.parent), pathId(parentIdParameter(resource), `Id of the ${resource.parent.name} the ${resource.segment} belong to`)];
}

export function itemPathParameters(resource: Resource): Record<string, unknown>[] {
  return [...collectionPathParameters(resource), pathId('id', `Id of the ${resource.name}`)];
}

const header = (name: string, description: string) => ({ name, in: 'header', required: false, description, schema: { type: 'string' } });

/** Conditional headers of a read: a cache revalidates with them (304); If-Match on a read may fail (412). */
export const READ_CONDITIONS = [
  header('If-None-Match', 'ETags the client holds: 304 Not Modified when one is current (RFC 9110 §13.1.2)'),
  header('If-Modified-Since', 'HTTP date: 304 when not modified since (ignored with If-None-Match)'),
  header('If-Match', 'ETags: 412 unless one is current (RFC 9110 §13.1.1)'),
  header('If-Unmodified-Since', 'HTTP date: 412 when modified since (ignored with If-Match)'),
];

/** Conditional headers of a write (the lost-update guard). */
export function writeConditions(method: string, required: boolean): Record<string, unknown>[] {
  const must = required ? ' This server requires it (428 without).' : '';
  const conditions = [
    header('If-Match', `The ETag last read: the write happens only if the item is still in that state, else 412.${must}`),
    header('If-Unmodified-Since', 'HTTP date: 412 when the item was modified since (ignored with If-Match)'),
  ];
  if (method === 'PUT') conditions.push(header('If-None-Match', '`*`: create only, 412 when the item exists'));
  return conditions;
}

