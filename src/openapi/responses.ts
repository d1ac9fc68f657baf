/**
 * OpenAPI responses: the headers Rung sends, one reusable problem response
 * per error status (its `type` limited to the problem types that come with
 * that status, from http/problem-types.ts), and representation content in
 * every media type the format registry offers.
 *
 * @see OpenAPI 3.1.1 §4.8.16–17 (Responses, Response Object), RFC 9457
 */
import { PROBLEM_TYPES } from '../http/problem-types.js';
import { ref } from './schemas.js';

export const PROBLEM_JSON = 'application/problem+json';

/** A response format as the server offers it: its key in the format registry and its Content-Type. */
export interface ResponseFormat {
  key: string;
  contentType: string;
}

/** Response headers, by name, as components. */
export const HEADERS: Record<string, { description: string; schema: Record<string, unknown> }> = {
  ETag: { description: 'Strong entity tag of this representation: `"<state>-<variant>"`; any variant\'s tag authorises a write (If-Match)', schema: { type: 'string' } },
  'Last-Modified': { description: 'When the state last changed (HTTP date)', schema: { type: 'string' } },
  'Cache-Control': { description: 'Caching policy (revalidate items and collections; documents live longer)', schema: { type: 'string' } },
  Link: { description: 'RFC 8288 links: the API documentation (hydra:apiDocumentation), describedby, collection, pages, related items', schema: { type: 'string' } },
  Vary: { description: 'Accept: the representation is negotiated', schema: { type: 'string' } },
  Location: { description: 'IRI of the created item', schema: { type: 'string', format: 'uri' } },
  Allow: { description: 'Methods this resource answers', schema: { type: 'string' } },
  'Accept-Post': { description: 'Media types a POST body may have', schema: { type: 'string' } },
  'Accept-Patch': { description: 'Media types a PATCH body may have (RFC 5789)', schema: { type: 'string' } },
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'string' } },
  'X-Request-Id': { description: 'Identifies the request in the server log (the client\'s own, when it sent one)', schema: { type: 'string' } },
};

export const headerRefs = (...names: string[]) => Object.fromEntries(names.map((n) => [n, { $ref: `#/components/headers/${n}` }]));

/** What each error status means, wherever it occurs. */
const ERROR_STATUSES: Record<number, string> = {
  400: 'The request cannot be read: an unknown or malformed query parameter, or a body that is not well-formed JSON',
  404: 'No resource exists at this URL',
  406: 'None of the media types in Accept is offered (`available` lists them)',
  409: 'The request conflicts with the current state of the resource',
  412: 'A precondition does not hold: the resource is not in the state the client named',
  413: 'The request body is larger than the server accepts',
  415: 'The body is in a media type or content coding not taken here (`accepted` lists those taken)',
  422: 'The body breaks the schema: `violations` lists every problem with a JSON Pointer',
  428: 'This server requires If-Match on PUT, PATCH and DELETE',
  503: 'The database is busy or unreachable, or this instance is shutting down; nothing was changed. Retry after Retry-After',
};

/** Statuses rendered without a problem type of their own (`about:blank`). */
const UNTYPED = new Set([404]);

export const problemResponseName = (status: number) => `Problem${status}`;

/** One reusable response per error status; `type` is one of the problem types of that status. */
export function problemResponses(base: string): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [code, description] of Object.entries(ERROR_STATUSES)) {
    const status = Number(code);
    const types = [...PROBLEM_TYPES].filter(([, t]) => t.status === status).map(([slug]) => `${base}/problems/${slug}`);
    if (UNTYPED.has(status) || !types.length) types.push('about:blank');
    responses[problemResponseName(status)] = {
      description,
      headers: status === 503 ? headerRefs('Retry-After') : status === 415 ? headerRefs('Accept-Post', 'Accept-Patch') : undefined,
      content: {
        [PROBLEM_JSON]: {
          schema: {
            type: 'object',
            allOf: [ref('Problem')],
            properties: { status: { const: status }, type: { enum: types } },
          },
        },
      },
    };
  }
  return responses;
}

/** A problem response for `status`, with an operation's own description. */
export const problem = (status: number, description?: string) =>
  description ? { $ref: `#/components/responses/${problemResponseName(status)}`, description } : { $ref: `#/components/responses/${problemResponseName(status)}` };

/** Formats whose bytes are the compacted JSON-LD document (plain JSON drops `@context`): they get the resource's schema. */
const DOCUMENT_FORMATS = new Set(['jsonld', 'compacted', 'json']);

/**
 * Content of a representation in every offered format: the JSON family
 * with `schema`, expanded JSON-LD as an array of node objects, any other
 * format (RDF, HTML, whatever is added later) by media type alone.
 */
export function representationContent(formats: ResponseFormat[], schema: Record<string, unknown>): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  for (const format of formats) {
    if (DOCUMENT_FORMATS.has(format.key)) content[format.contentType] = { schema };
    else if (format.key === 'expanded') content[format.contentType] = { schema: { type: 'array', items: { type: 'object' } } };
    else content[format.contentType] = {};
  }
  return content;
}
