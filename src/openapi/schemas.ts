/**
 * JSON Schemas (OpenAPI 3.1 = JSON Schema 2020-12) of what Rung sends and
 * takes for one resource type: the item as represented (compacted JSON-LD,
 * or plain JSON without `@context`), the body of a POST or PUT, the merge
 * patch of a PATCH, a collection page, and problem documents.
 *
 * Field schemas are the definition's own (ajv validates writes with them);
 * links the server manages are `readOnly`, and a body may carry them back
 * (a client PUTs what it GOT: the server drops them).
 *
 * @see OpenAPI 3.1.1 §4.8.24 (Schema Object), RFC 7396 (JSON Merge Patch), RFC 9457 (problem details)
 */
import type { JsonSchema } from '../resources/definition.js';
import { linkTerms } from '../resources/contexts.js';
import type { Resource } from '../resources/resource.js';

/** Extension naming the resource (component schema) a link field points to; the import reads it too. */
export const RELATION_EXTENSION = 'x-rung-relation';

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const iri = (description: string) => ({ type: 'string', format: 'uri', readOnly: true, description });

/** Does a field's schema allow JSON null? */
const allowsNull = (schema: JsonSchema | undefined) => (Array.isArray(schema?.type) ? schema.type.includes('null') : schema?.type === 'null');

/** A field's schema, marked when it is a link to another resource. */
function fieldSchema(resource: Resource, field: string): Record<string, unknown> {
  const schema = { ...(resource.schema.properties?.[field] ?? {}) } as Record<string, unknown>;
  const relation = resource.relation(field);
  if (relation) {
    schema[RELATION_EXTENSION] = relation.target.name;
    schema.description ??= `IRI of ${relation.target.withArticle} (${relation.target.collectionPath()}/{id})`;
  }
  return schema;
}

/** Links and keywords the server writes into an item: read-only in every body. */
function serverManaged(resource: Resource): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const term of linkTerms(resource)) properties[term] = iri(`Link: ${term}`);
  properties.collection = iri('The collection this item is a member of (RFC 6573)');
  properties.operation = {
    type: 'array',
    readOnly: true,
    description: 'Operations possible on this item in its current state (Hydra)',
    items: { type: 'object' },
  };
  return properties;
}

/** Keywords every Rung document may carry at its top. */
function jsonLdKeywords(resource: Resource, represented: boolean): Record<string, unknown> {
  return {
    '@context': { type: 'string', format: 'uri', description: 'The JSON-LD context (absent in plain JSON, given by a Link header instead)' },
    '@id': represented ? iri(`IRI of this ${resource.name}`) : { type: 'string', format: 'uri-reference', description: `IRI of this ${resource.name}; when sent, it must be the IRI written to` },
    '@type': represented
      ? resource.deleteIsConditional
        ? {
            anyOf: [{ const: resource.name }, { const: [resource.name, `Deletable${resource.name}`] }],
            description: `${resource.name}; also Deletable${resource.name} while DELETE is possible (nothing refers to it)`,
          }
        : { const: resource.name }
      : { anyOf: [{ const: resource.name }, { type: 'array', contains: { const: resource.name } }], description: `${resource.name}, or left out` },
  };
}

/** The item as the server represents it. */
export function itemSchema(resource: Resource): Record<string, unknown> {
  const properties: Record<string, unknown> = { ...jsonLdKeywords(resource, true) };
  for (const field of resource.fields) properties[field] = fieldSchema(resource, field);
  Object.assign(properties, serverManaged(resource));
  return {
    type: 'object',
    title: resource.name,
    description: resource.definition.description,
    required: ['@id', '@type', ...resource.required],
    properties,
    additionalProperties: false,
  };
}

/** The body of a POST or PUT: every writable field, required ones required. */
export function inputSchema(resource: Resource): Record<string, unknown> {
  const properties: Record<string, unknown> = { ...jsonLdKeywords(resource, false) };
  for (const field of resource.fields) properties[field] = fieldSchema(resource, field);
  Object.assign(properties, serverManaged(resource));
  return {
    type: 'object',
    title: `${resource.name} (written)`,
    description: `${resource.withArticle}: fields not sent are absent afterwards. Server-managed links may be sent back; they are ignored.`,
    required: [...resource.required],
    properties,
    additionalProperties: false,
  };
}

/** A JSON Merge Patch of an item: any subset of fields; null removes an optional field. */
export function patchSchema(resource: Resource): Record<string, unknown> {
  const properties: Record<string, unknown> = { ...jsonLdKeywords(resource, false) };
  for (const field of resource.fields) {
    const schema = fieldSchema(resource, field);
    if (resource.required.has(field) || allowsNull(resource.schema.properties?.[field])) {
      properties[field] = schema;
    } else {
      properties[field] = { anyOf: [schema, { type: 'null', description: 'Removes the field' }] };
    }
  }
  Object.assign(properties, serverManaged(resource));
  return {
    type: 'object',
    title: `${resource.name} (patch)`,
    description: 'JSON Merge Patch (RFC 7396): fields sent replace the stored ones, null removes an optional field.',
    properties,
    additionalProperties: false,
  };
}

/** One page of a collection: a hydra:Collection with a PartialCollectionView and a search template. */
export function collectionSchema(resource: Resource): Record<string, unknown> {
  const page = { type: 'string', format: 'uri' };
  return {
    type: 'object',
    title: `${resource.name}Collection`,
    description: `A page of ${resource.segment}`,
    required: ['@id', '@type', 'totalItems', 'member', 'view', 'search'],
    properties: {
      '@context': { type: 'string', format: 'uri' },
      '@id': { type: 'string', format: 'uri' },
      '@type': { type: 'array', items: { type: 'string' }, contains: { const: `${resource.name}Collection` } },
      totalItems: { type: 'integer', minimum: 0 },
      member: { type: 'array', items: ref(resource.name) },
      view: {
        type: 'object',
        required: ['@id', '@type', 'first', 'last'],
        properties: {
          '@id': page,
          '@type': { const: 'PartialCollectionView' },
          first: page,
          last: page,
          previous: page,
          next: page,
        },
        additionalProperties: false,
      },
      search: {
        type: 'object',
        required: ['@type', 'template', 'mapping'],
        description: 'RFC 6570 template of every query parameter this collection understands (hydra:IriTemplate)',
        properties: {
          '@type': { const: 'IriTemplate' },
          template: { type: 'string' },
          variableRepresentation: { type: 'string' },
          mapping: { type: 'array', items: { type: 'object', required: ['variable'], properties: { variable: { type: 'string' } } } },
        },
      },
    },
    additionalProperties: false,
  };
}

/** RFC 9457 problem details, with the extension members Rung uses. */
export const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'Problem details (RFC 9457). `type` dereferences to a description of the problem.',
  required: ['type', 'title', 'status', 'detail', 'instance'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    instance: { type: 'string', format: 'uri-reference' },
    requestId: { type: 'string' },
    violations: {
      type: 'array',
      description: 'Every violation of the schema (422), each located by a JSON Pointer (RFC 6901)',
      items: {
        type: 'object',
        required: ['pointer', 'message'],
        properties: { pointer: { type: 'string' }, message: { type: 'string' } },
        additionalProperties: false,
      },
    },
    parameter: { type: 'string', description: 'The query parameter at fault (400 invalid-query-parameter)' },
    accepted: { type: 'array', items: { type: 'string' }, description: 'Media types or content codings taken (415)' },
    available: { type: 'array', items: { type: 'string' }, description: 'Media types offered (406)' },
    maxDepth: { type: 'integer', description: 'Deepest nesting accepted (400 body-too-deep)' },
    links: {
      type: 'array',
      items: { type: 'object', required: ['rel', 'href'], properties: { rel: { type: 'string' }, href: { type: 'string', format: 'uri' } } },
    },
  },
};
