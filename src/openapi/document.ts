/**
 * The OpenAPI 3.1 description of a Rung API, generated from the same
 * compiled resources as the routes, the JSON-LD contexts and the Hydra
 * documentation: every path and method the server answers, the parameters
 * each reads, the request bodies each takes (JSON, JSON-LD, merge patch),
 * every status each can answer with its problem types, and a response
 * content type per negotiable format. Served at `/openapi.json` and linked
 * from the entry point and the API documentation with
 * `rel="service-desc"` (RFC 8631).
 *
 * @see https://spec.openapis.org/oas/v3.1.1
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { Document } from '../http/representation.js';
import { PROBLEM_TYPES } from '../http/problem-types.js';
import type { PagingOptions } from '../resources/query.js';
import type { ResourceRegistry } from '../resources/registry.js';
import { CONTEXTS_PATH, DOCS_PATH, OPENAPI_PATH } from '../resources/vocabulary.js';
import { healthPaths } from './health.js';
import { collectionItem, itemItem, optionsOperation, readOperations } from './operations.js';
import { collectionPath, itemPath } from './parameters.js';
import { HEADERS, problem, problemResponses, type ResponseFormat } from './responses.js';
import { collectionSchema, inputSchema, itemSchema, patchSchema, PROBLEM_SCHEMA, ref } from './schemas.js';

export const OPENAPI_VERSION = '3.1.1';

/** How the OpenAPI document itself is offered: JSON first, YAML on request. */
export const OPENAPI_MEDIA_TYPES = {
  json: ['application/json', 'application/vnd.oai.openapi+json;version=3.1'],
  yaml: ['application/yaml', 'application/vnd.oai.openapi;version=3.1'],
} as const;

/** The `Link` to this document that the entry point and the API documentation carry (RFC 8631). */
export const serviceDescLink = (base: string) => ({ rel: 'service-desc', href: `${base}${OPENAPI_PATH}`, type: 'application/vnd.oai.openapi+json;version=3.1' });

export function serialise(data: Record<string, unknown>, form: 'json' | 'yaml'): string {
  return form === 'yaml' ? stringify(data, { aliasDuplicateObjects: false }) : JSON.stringify(data, null, 2);
}

export interface OpenApiOptions {
  title: string;
  description: string;
  paging: PagingOptions;
  requirePreconditions: boolean;
  /** Response formats, in the order the server prefers them. */
  formats: ResponseFormat[];
  /** Formats of the API's own documents that are JSON-LD only (contexts, problem types). */
  documentFormats: string[];
  requestTypes: { write: string[]; patch: string[] };
  /** File names served under /contexts/. */
  contextFiles: string[];
  version?: string;
  /** What callers without a token may do (issue 14): writes (or everything) then need a bearer token. */
  anonymous?: 'none' | 'read' | 'write';
}

const WRITES = ['post', 'put', 'patch', 'delete'];

/**
 * Bearer tokens in OpenAPI terms: the scheme, and the operations that need
 * it (`security`); an operation whose requirements include `{}` may also be
 * called without a token.
 */
function withSecurity(data: Record<string, unknown>, anonymous: 'none' | 'read' | 'write'): void {
  if (anonymous === 'write') return;
  const bearer = { bearerToken: [] as string[] };
  (data.components as Record<string, unknown>).securitySchemes = {
    bearerToken: {
      type: 'http',
      scheme: 'bearer',
      description: 'An opaque token made with `rung token create --scopes read,write`: `read` for GET and HEAD, `write` for the other methods. 401 without a valid token, 403 without the scope.',
    },
  };
  data.security = anonymous === 'none' ? [bearer] : [{}, bearer];
  for (const item of Object.values(data.paths as Record<string, Record<string, Record<string, unknown>>>)) {
    for (const method of WRITES) if (item[method]) item[method].security = [bearer];
  }
}

const DOCUMENTS = 'API documents';

export class OpenApiBuilder {
  private readonly built = new Map<string, Document>();
  private tokenValue?: string;

  constructor(
    private readonly registry: ResourceRegistry,
    private readonly options: OpenApiOptions,
  ) {}

  /** State token of the document: changes with anything it is generated from. */
  get token(): string {
    return (this.tokenValue ??= createHash('sha256').update(JSON.stringify(this.generate('http://token.invalid').data)).digest('hex').slice(0, 12));
  }

  /** Generated once per base URL (servers[0] is the base; everything else is relative). */
  build(base: string): Document {
    let document = this.built.get(base);
    if (!document) {
      document = this.generate(base);
      if (this.built.size >= 64) this.built.clear();
      this.built.set(base, document);
    }
    return document;
  }

  private generate(base: string): Document {
    const { options, registry } = this;
    const operationOptions = {
      formats: options.formats,
      requestTypes: options.requestTypes,
      paging: options.paging,
      requirePreconditions: options.requirePreconditions,
    };
    const schemas: Record<string, unknown> = {};
    const paths: Record<string, unknown> = { ...this.documentPaths(), ...healthPaths() };
    for (const resource of registry.resources) {
      schemas[resource.name] = itemSchema(resource);
      schemas[`${resource.name}Input`] = inputSchema(resource);
      schemas[`${resource.name}Patch`] = patchSchema(resource);
      schemas[`${resource.name}Collection`] = collectionSchema(resource);
      paths[collectionPath(resource)] = collectionItem(resource, operationOptions);
      paths[itemPath(resource)] = itemItem(resource, operationOptions);
    }
    schemas.Problem = PROBLEM_SCHEMA;
    schemas.EntryPoint = {
      type: 'object',
      required: ['@id', '@type', ...registry.roots.map((r) => r.segment)],
      properties: {
        '@context': { type: 'string', format: 'uri' },
        '@id': { type: 'string', format: 'uri' },
        '@type': { const: 'EntryPoint' },
        'rdfs:seeAlso': { type: 'object', description: 'This OpenAPI document', properties: { '@id': { type: 'string', format: 'uri' } } },
        'hydra:collection': {
          type: 'array',
          description: 'The same collections, each with a hydra:memberAssertion naming the class of its members',
          items: {
            type: 'object',
            required: ['@id', '@type', 'memberAssertion'],
            properties: {
              '@id': { type: 'string', format: 'uri' },
              '@type': { const: 'Collection' },
              title: { type: 'string' },
              memberAssertion: {
                type: 'object',
                required: ['property', 'object'],
                properties: { property: { type: 'string', format: 'uri' }, object: { type: 'string', format: 'uri' } },
              },
            },
          },
        },
        ...Object.fromEntries(registry.roots.map((r) => [r.segment, { type: 'string', format: 'uri', description: `The ${r.segment} collection` }])),
      },
      additionalProperties: false,
    };
    schemas.ApiDocumentation = {
      type: 'object',
      description: 'The Hydra API documentation (JSON-LD)',
      required: ['@id', '@type', 'supportedClass'],
      properties: { '@context': { type: 'string', format: 'uri' }, '@id': { type: 'string', format: 'uri' }, '@type': { const: 'ApiDocumentation' }, supportedClass: { type: 'array' } },
    };
    schemas.Context = {
      type: 'object',
      description: 'A JSON-LD context document',
      required: ['@context'],
      properties: { '@context': { type: 'object' } },
      additionalProperties: false,
    };
    const data: Record<string, unknown> = {
      openapi: OPENAPI_VERSION,
      info: {
        title: options.title,
        description:
          `${options.description}\n\nA hypermedia API served by Rung: every response links onwards (JSON-LD and RFC 8288 Link headers), ` +
          `and the Hydra API documentation at ${DOCS_PATH} describes the same resources. Any method a path does not list is answered ` +
          '405 with Allow; errors are application/problem+json (RFC 9457).',
        version: options.version ?? this.versionOf(),
      },
      servers: [{ url: base }],
      externalDocs: { description: 'Hydra API documentation (the vocabulary of this API)', url: `${base}${DOCS_PATH}` },
      tags: [...registry.resources.map((r) => ({ name: r.name, description: r.definition.description ?? r.definition.title ?? r.name })), { name: DOCUMENTS, description: 'The entry point and the documents describing this API' }],
      paths,
      components: {
        schemas,
        responses: problemResponses(base),
        headers: HEADERS,
      },
    };
    withSecurity(data, options.anonymous ?? 'write');
    return { data, links: [{ rel: 'describedby', href: `${base}${DOCS_PATH}` }] };
  }

  /** A version derived from the resource definitions: it changes when they do. */
  private versionOf(): string {
    const hash = createHash('sha256').update(JSON.stringify(this.registry.resources.map((r) => r.definition))).digest('hex');
    return `0.0.0+${hash.slice(0, 8)}`;
  }

  /** The entry point, the Hydra documentation, contexts, problem types and this document. */
  private documentPaths(): Record<string, unknown> {
    const { formats, documentFormats, contextFiles } = this.options;
    const tags = [DOCUMENTS];
    const jsonLdOnly = formats.filter((f) => documentFormats.includes(f.key));
    const ref404 = { 404: problem(404) };
    const document = (id: string, summary: string, offered: ResponseFormat[], schema: Record<string, unknown>, errors = {}, parameters: Record<string, unknown>[] = []) => ({
      ...readOperations(id, tags, summary, offered, schema, errors, parameters),
      options: optionsOperation(id, tags),
    });
    const enumParameter = (name: string, values: string[], description: string) => [
      { name, in: 'path', required: true, description, schema: { type: 'string', enum: values } },
    ];
    const openApiFormats = Object.values(OPENAPI_MEDIA_TYPES)
      .flat()
      .map((contentType) => ({ key: contentType.includes('json') ? 'json' : 'yaml', contentType }));
    return {
      '/': document('EntryPoint', 'The entry point: a link to every top-level collection', formats, ref('EntryPoint')),
      [DOCS_PATH]: document('ApiDocumentation', 'The Hydra API documentation', formats, ref('ApiDocumentation')),
      [`${CONTEXTS_PATH}/{file}`]: document('Context', 'A JSON-LD context of this API', jsonLdOnly, ref('Context'), ref404, enumParameter('file', contextFiles, 'Context file')),
      '/problems/{slug}': document(
        'ProblemType',
        'What a problem type means',
        jsonLdOnly,
        { type: 'object', required: ['title', 'description'], properties: { title: { type: 'string' }, description: { type: 'string' } } },
        ref404,
        enumParameter('slug', [...PROBLEM_TYPES.keys()], 'Problem type'),
      ),
      [OPENAPI_PATH]: document('OpenApiDocument', 'This OpenAPI document (YAML when Accept asks for it)', openApiFormats, { type: 'object', required: ['openapi', 'info', 'paths'], properties: { openapi: { type: 'string' }, info: { type: 'object' }, paths: { type: 'object' } } }),
    };
  }
}
