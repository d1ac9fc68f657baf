/**
 * The liveness and readiness probes in OpenAPI terms (http/health.ts): for
 * operators and their tools, outside the API's vocabulary (the Hydra
 * documentation and the entry point do not list them). Anonymous even when
 * the API needs tokens (`security: []`).
 */
import { HEALTH_JSON, LIVE_PATH, READY_PATH } from '../http/health.js';
import { problem } from './responses.js';

const TAGS = ['Health'];
const PASS = {
  description: 'The probe passes',
  headers: { 'Cache-Control': { schema: { type: 'string', const: 'no-store' } } },
  content: { [HEALTH_JSON]: { schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', const: 'pass' } } } } },
};

function probe(id: string, summary: string, failure?: string) {
  const responses = { 200: PASS, ...(failure ? { 503: problem(503, failure) } : {}) };
  const headOnly = Object.fromEntries(Object.entries(responses).map(([status, r]) => [status, { description: (r as { description: string }).description }]));
  return {
    get: { operationId: `get${id}`, tags: TAGS, summary, security: [], responses },
    head: { operationId: `head${id}`, tags: TAGS, summary: `${summary} (headers only)`, security: [], responses: headOnly },
    options: { operationId: `options${id}`, tags: TAGS, summary: 'The methods this probe answers', security: [], responses: { 204: { description: 'Allow lists the methods' } } },
  };
}

export function healthPaths(): Record<string, unknown> {
  return {
    [LIVE_PATH]: probe('Liveness', 'Liveness: 200 while the process runs; asks nothing of the database'),
    [READY_PATH]: probe(
      'Readiness',
      'Readiness: 200 when the database answers a ping',
      'The database does not answer, or this instance is shutting down: send requests elsewhere and ask again after Retry-After',
    ),
  };
}
