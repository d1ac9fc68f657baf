/**
 * The OpenAPI path items of one resource type: its collection and its items,
 * with every method the routes answer (custom handlers answer the same
 * methods as the generic ones), the parameters each reads, the bodies each
 * takes, and every status each can answer.
 */
import type { PagingOptions } from '../resources/query.js';
import type { Resource } from '../resources/resource.js';
import {
  collectionPathParameters,
  itemPathParameters,
  queryParameters,
  READ_CONDITIONS,
  writeConditions,
} from './parameters.js';
import { headerRefs, problem, representationContent, type ResponseFormat } from './responses.js';
import { ref } from './schemas.js';

export interface OperationOptions {
  formats: ResponseFormat[];
  /** Media types of request bodies: POST and PUT, PATCH. */
  requestTypes: { write: string[]; patch: string[] };
  paging: PagingOptions;
  requirePreconditions: boolean;
}

type Operation = Record<string, unknown>;

const READ_HEADERS = headerRefs('ETag', 'Last-Modified', 'Cache-Control', 'Link', 'Vary', 'X-Request-Id');

function body(types: string[], schema: Record<string, unknown>, description: string) {
  return { required: true, description, content: Object.fromEntries(types.map((t) => [t, { schema }])) };
}

/** GET, and HEAD (the same without a body), of a representation. */
export function readOperations(
  operationId: string,
  tags: string[],
  summary: string,
  formats: ResponseFormat[],
  schema: Record<string, unknown>,
  errors: Record<string, unknown>,
  parameters: Record<string, unknown>[] = [],
): { get: Operation; head: Operation } {
  const all = [...parameters, ...READ_CONDITIONS];
  const ok = { description: summary, headers: READ_HEADERS, content: representationContent(formats, schema) };
  const common = {
    304: { description: 'Not modified since the ETag (or date) given', headers: headerRefs('ETag', 'Cache-Control', 'Vary') },
    406: problem(406),
    412: problem(412, 'If-Match or If-Unmodified-Since does not hold'),
    ...errors,
  };
  const withoutBodies = (responses: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(responses).map(([status, r]) => [status, { description: (r as { description?: string }).description ?? `See GET (${status})` }]),
    );
  return {
    get: { operationId: `get${operationId}`, tags, summary, parameters: all, responses: { 200: ok, ...common } },
    head: {
      operationId: `head${operationId}`,
      tags,
      summary: `${summary} (headers only)`,
      parameters: all,
      responses: withoutBodies({ 200: { description: `${summary}: headers only` }, ...common }),
    },
  };
}

/** OPTIONS: the methods a path answers (Allow), and the bodies it takes. */
export function optionsOperation(operationId: string, tags: string[], headers: string[] = []): Operation {
  return {
    operationId: `options${operationId}`,
    tags,
    summary: 'The methods this resource answers',
    responses: { 204: { description: 'Allow lists the methods', headers: headerRefs('Allow', ...headers) } },
  };
}

/** The collection of `resource`: GET, HEAD, POST (unless read-only), OPTIONS. */
export function collectionItem(resource: Resource, options: OperationOptions): Record<string, unknown> {
  const tags = [resource.name];
  const nested = Boolean(resource.parent);
  const notFound = nested ? { 404: problem(404, `No ${resource.parent!.name} with this id`) } : {};
  const reads = readOperations(
    `${resource.name}Collection`,
    tags,
    `A page of ${resource.segment}`,
    options.formats,
    ref(`${resource.name}Collection`),
    { 400: problem(400, 'An unknown or malformed query parameter (named by `parameter`), or a page past the last'), ...notFound, 503: problem(503) },
    queryParameters(resource, options.paging),
  );
  const item: Record<string, unknown> = { parameters: collectionPathParameters(resource), ...reads };
  if (!resource.definition.readOnly) {
    item.post = {
      operationId: `create${resource.name}`,
      tags,
      summary: `Create ${resource.withArticle}`,
      requestBody: body(options.requestTypes.write, ref(`${resource.name}Input`), `The new ${resource.name}`),
      responses: {
        201: {
          description: `Created; Location names the new ${resource.name}`,
          headers: headerRefs('Location', 'ETag', 'Last-Modified', 'Link', 'Vary'),
          content: representationContent(options.formats, ref(resource.name)),
        },
        400: problem(400, 'The body is missing, not well-formed JSON, nested too deeply, or undecodable'),
        ...notFound,
        406: problem(406),
        413: problem(413),
        415: problem(415),
        422: problem(422),
        503: problem(503),
      },
    };
  }
  item.options = optionsOperation(`${resource.name}Collection`, tags, resource.definition.readOnly ? [] : ['Accept-Post']);
  return item;
}

/** One item of `resource`: GET, HEAD, PUT, PATCH, DELETE (unless read-only), OPTIONS. */
export function itemItem(resource: Resource, options: OperationOptions): Record<string, unknown> {
  const tags = [resource.name];
  const name = resource.name;
  const missing = problem(404, resource.parent ? `No such ${name} (or no such ${resource.parent.name})` : `No such ${name}`);
  const reads = readOperations(name, tags, `The ${name}`, options.formats, ref(name), { 404: missing, 503: problem(503) });
  const item: Record<string, unknown> = { parameters: itemPathParameters(resource), ...reads };
  if (!resource.definition.readOnly) {
    const required = options.requirePreconditions;
    const preconditions = {
      412: problem(412, 'If-Match, If-Unmodified-Since or If-None-Match does not hold: the item changed since it was read'),
      ...(required ? { 428: problem(428) } : {}),
    };
    const writeErrors = {
      400: problem(400, 'The body is missing, not well-formed JSON, nested too deeply, or undecodable'),
      404: missing,
      406: problem(406),
      ...preconditions,
      413: problem(413),
      415: problem(415),
      422: problem(422),
      503: problem(503, 'The database is busy, or the item is being changed by many writers at once'),
    };
    const represented = (description: string) => ({
      description,
      headers: headerRefs('ETag', 'Last-Modified', 'Link', 'Vary'),
      content: representationContent(options.formats, ref(name)),
    });
    // PUT creates a missing item: 404 only when the parent is missing.
    const { 404: _missing, ...putErrors } = writeErrors;
    const putMissing = resource.parent ? { 404: problem(404, `No such ${resource.parent.name}`) } : {};
    item.put = {
      operationId: `replace${name}`,
      tags,
      summary: `Replace ${resource.withArticle}, or create it at this id`,
      description: 'Full replacement: fields not sent are removed. Creates the item when the id is free (ids up to 2147483647).',
      parameters: writeConditions('PUT', required),
      requestBody: body(options.requestTypes.write, ref(`${name}Input`), `The whole ${name}`),
      responses: {
        200: represented(`The replaced ${name}`),
        201: { ...represented(`Created at this id`), headers: headerRefs('Location', 'ETag', 'Last-Modified', 'Link', 'Vary') },
        ...putErrors,
        ...putMissing,
        409: problem(409, 'The id cannot be chosen: taken under another parent, or above 2147483647'),
      },
    };
    item.patch = {
      operationId: `update${name}`,
      tags,
      summary: `Update ${resource.withArticle}`,
      description: 'JSON Merge Patch (RFC 7396): fields sent replace the stored ones, null removes an optional field.',
      parameters: writeConditions('PATCH', required),
      requestBody: body(options.requestTypes.patch, ref(`${name}Patch`), 'The fields to change'),
      responses: { 200: represented(`The updated ${name}`), ...writeErrors },
    };
    const cascades = resource.children.map((c) => c.segment);
    item.delete = {
      operationId: `delete${name}`,
      tags,
      summary: `Delete ${resource.withArticle}`,
      description: cascades.length ? `Also deletes its ${cascades.join(', ')}.` : undefined,
      parameters: writeConditions('DELETE', required),
      responses: {
        204: { description: 'Deleted' },
        404: missing,
        ...(resource.deleteIsConditional
          ? { 409: problem(409, `Other resources (${resource.inverseRelations.filter((i) => i.onDelete === 'restrict').map((i) => i.from.segment).join(', ')}) still refer to this ${name}`) }
          : {}),
        ...preconditions,
        503: problem(503),
      },
    };
    if (!cascades.length) delete (item.delete as Operation).description;
  }
  item.options = optionsOperation(name, tags, resource.definition.readOnly ? [] : ['Accept-Patch']);
  return item;
}
