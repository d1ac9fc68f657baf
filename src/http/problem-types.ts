/**
 * Problem types: each `type` IRI in a problem document dereferences to a
 * short description of the problem, so a person following it learns what
 * went wrong and what to do.
 */
import type { Representation } from './representation.js';

/** A problem type: its title, what it means, and the status it comes with (the OpenAPI document lists each type under its status). */
export interface ProblemType {
  title: string;
  description: string;
  status: number;
}

const CATALOGUE: Record<string, ProblemType> = {
  'bad-request': { title: 'Bad request', description: 'The request cannot be understood as sent.', status: 400 },
  'invalid-query-parameter': {
    title: 'Invalid query parameter',
    description: 'A query parameter is unknown or malformed; the `parameter` member names it. The collection\'s hydra:search template lists every parameter it understands.',
    status: 400,
  },
  'malformed-body': { title: 'Malformed request body', description: 'The body is not well-formed JSON.', status: 400 },
  'body-too-deep': {
    title: 'Request body nested too deeply',
    description: 'The body nests arrays and objects deeper than the server accepts (64 levels unless configured otherwise); `maxDepth` gives the limit.',
    status: 400,
  },
  'unsupported-content-encoding': {
    title: 'Unsupported Content-Encoding',
    description: 'The body is in a content coding this server cannot decode; Accept-Encoding and the `accepted` member list those it can (gzip, deflate, br, identity).',
    status: 415,
  },
  'undecodable-body': { title: 'Undecodable request body', description: 'The body is not valid data in the content coding its Content-Encoding names.', status: 400 },
  'missing-body': { title: 'Missing request body', description: 'This method needs a JSON or JSON-LD body.', status: 400 },
  'body-too-large': { title: 'Request body too large', description: 'The body is larger than the server accepts (1 MB unless configured otherwise).', status: 413 },
  'unsupported-media-type': {
    title: 'Unsupported Media Type',
    description: 'The body is in a media type this resource does not take; Accept-Post / Accept-Patch and the `accepted` member list those it takes.',
    status: 415,
  },
  'validation-failed': {
    title: 'Validation failed',
    description: 'The body is well-formed but breaks the resource\'s schema. `violations` lists every problem, each with a JSON Pointer to the field and a message.',
    status: 422,
  },
  'not-acceptable': { title: 'Not Acceptable', description: 'No representation matches Accept; `available` lists the media types offered.', status: 406 },
  'precondition-failed': {
    title: 'Precondition Failed',
    description: 'The resource changed since the client read it (If-Match or If-Unmodified-Since does not hold). GET the `current` link and retry with its ETag.',
    status: 412,
  },
  'precondition-required': { title: 'Precondition Required', description: 'This server requires If-Match on PUT, PATCH and DELETE (RFC 6585).', status: 428 },
  conflict: { title: 'Conflict', description: 'The request conflicts with the current state of the resource.', status: 409 },
  'still-referenced': { title: 'Still referenced', description: 'Other resources still link to this one; the `related` link lists them.', status: 409 },
  unauthorized: {
    title: 'Unauthorized',
    description: 'This operation needs a token: send `Authorization: Bearer <token>`. WWW-Authenticate says `error="invalid_token"` when the token sent is unknown or revoked.',
    status: 401,
  },
  'invalid-authorization': {
    title: 'Malformed Authorization',
    description: 'The Authorization header is not `Bearer <token>` (RFC 6750 §2.1).',
    status: 400,
  },
  'insufficient-scope': {
    title: 'Insufficient scope',
    description: 'The token is valid but lacks the scope this operation needs; the `scope` member (and WWW-Authenticate) names it. Create a token with that scope.',
    status: 403,
  },
  'too-many-requests': {
    title: 'Too Many Requests',
    description: 'This client sent more requests than its quota allows in the current window; nothing was done. Retry after the delay in Retry-After; the RateLimit and RateLimit-Policy headers say the quota.',
    status: 429,
  },
  'service-unavailable': {
    title: 'Service Unavailable',
    description: 'The database is busy or unreachable for the moment, or this instance is shutting down; nothing was changed. Retry after the delay in Retry-After.',
    status: 503,
  },
};

/**
 * Every problem type, by slug. A Map, not an object: slugs come from request
 * paths, and `/problems/__proto__` must find nothing.
 */
export const PROBLEM_TYPES: ReadonlyMap<string, ProblemType> = new Map(Object.entries(CATALOGUE));

export function problemTypeDocument(slug: string, token: string): Representation | undefined {
  const type = PROBLEM_TYPES.get(slug);
  if (!type) return undefined;
  return {
    kind: 'problemType',
    key: `/problems/${slug}`,
    token,
    formats: ['jsonld', 'compacted', 'json'],
    build: () => ({
      data: {
        '@context': { title: 'http://www.w3.org/ns/hydra/core#title', description: 'http://www.w3.org/ns/hydra/core#description' },
        '@type': 'http://www.w3.org/ns/hydra/core#Status',
        title: type.title,
        description: type.description,
      },
      links: [],
    }),
  };
}
