/**
 * Levels 0 and 1: remote procedure calls over HTTP. Every request is a POST
 * whose JSON body names an action; every answer is `200 OK` with
 * `{"ok": true, "result": …}` or `{"ok": false, "error": {"code", "message", …}}`
 * — HTTP is only a tunnel, so neither clients nor caches can tell from it
 * what happened.
 *
 * - Level 0: one endpoint for everything; the action names the resource
 *   type (`listCountries`, `getCountry`, `createCountry`, `updateCountry`,
 *   `deleteCountry`) and the body carries ids (`"id": 5`, `"event": 3`).
 * - Level 1: one URL per resource (`/levels/1/countries/5`); the action is
 *   the verb alone (`read`, `create` on a collection; `read`, `update`,
 *   `delete` on an item).
 *
 * `update` merges (like PATCH). The actions run the real handlers
 * (dispatch.ts), so the same validation and rules apply as at level 3.
 */
import type { Context } from 'koa';
import { baseUrl } from '../../http/base-url.js';
import { requestBody } from '../../http/body.js';
import { HttpError } from '../../http/errors.js';
import { toHttpError } from '../../http/problem.js';
import { parseId } from '../../resources/iri.js';
import type { Resource } from '../../resources/resource.js';
import type { Runtime } from '../runtime.js';
import { invoke, methodsOf, type Method } from './dispatch.js';
import type { PathMatch, ResourcePaths } from './paths.js';

type Json = Record<string, unknown>;

/** The verbs of levels 0 and 1, and the HTTP method whose meaning each has. */
const VERBS: Record<string, { route: 'collection' | 'item'; method: Method }> = {
  list: { route: 'collection', method: 'GET' },
  create: { route: 'collection', method: 'POST' },
  get: { route: 'item', method: 'GET' },
  update: { route: 'item', method: 'PATCH' },
  delete: { route: 'item', method: 'DELETE' },
};

/**
 * Level 1's verbs: the resource is in the URL, so reading is one verb for a
 * collection (a list) and an item alike.
 */
const LEVEL1_VERBS: Record<'collection' | 'item', Record<string, string>> = {
  collection: { read: 'list', create: 'create' },
  item: { read: 'get', update: 'update', delete: 'delete' },
};

const pascal = (segment: string) => segment.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

/** A level-0 action name: `listCountries`, `getCountry`… */
export function actionName(resource: Resource, verb: string): string {
  return verb === 'list' ? `list${pascal(resource.segment)}` : `${verb}${resource.name}`;
}

/** The verbs a resource offers (read-only resources: list and get). */
function verbsOf(resource: Resource): string[] {
  return Object.keys(VERBS).filter((verb) => methodsOf({ resource, route: VERBS[verb].route }).includes(VERBS[verb].method));
}

/** A refusal at levels 0 and 1: it travels in a 200 body. */
const refuse = (code: string, message: string, extensions: Json = {}) =>
  new HttpError(400, { type: code, detail: message, extensions });

function answer(ctx: Context, body: Json): void {
  ctx.status = 200;
  ctx.set('Cache-Control', 'no-store');
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(body, null, 2);
}

/** The error member of a level-0/1 answer: a code, a message, and what the problem document would add. */
function errorMember(error: HttpError): Json {
  const slug = error.type ?? error.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return {
    code: slug,
    message: error.expose ? (error.detail ?? error.title) : 'The server failed to handle this request. The failure has been logged.',
    ...(error.expose ? error.extensions : {}),
  };
}

/** An id sent in a body: a positive integer, or its digits as a string. */
function idIn(body: Json, key: string): number | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  const id = typeof value === 'number' || typeof value === 'string' ? parseId(String(value)) : undefined;
  if (id === undefined) throw refuse('invalid-request', `"${key}" must be a positive integer, not ${JSON.stringify(value)}.`);
  return id;
}

/** `params` as a query string would give them. */
function paramsIn(body: Json): Record<string, string> {
  const params = body.params ?? {};
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw refuse('invalid-request', '"params" must be an object, e.g. {"capital": "Bangkok", "page": 2}.');
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) throw refuse('invalid-request', `"params.${name}" must be a string, number or boolean.`);
    out[name] = String(value);
  }
  return out;
}

export interface RpcLevel {
  level: 0 | 1;
  /** The level's path, e.g. `/levels/0`. */
  prefix: string;
}

export function rpcLevel(runtime: Runtime, paths: ResourcePaths, { level, prefix }: RpcLevel) {
  const readBody = requestBody({
    limit: runtime.options.bodyLimit,
    maxDepth: runtime.options.maxJsonDepth,
    accepted: { POST: ['application/json'] },
  });
  const actions = new Map<string, { resource: Resource; verb: string }>();
  for (const resource of runtime.registry.resources) {
    for (const verb of verbsOf(resource)) actions.set(actionName(resource, verb), { resource, verb });
  }
  const usage =
    level === 0
      ? `POST a JSON body such as {"action": "${[...actions.keys()][0]}"} to ${prefix}. Actions: ${[...actions.keys()].join(', ')}.`
      : `POST a JSON body such as {"action": "read"} to a resource's URL, e.g. ${prefix}${runtime.registry.roots[0]?.collectionPath() ?? ''}. Collections take read and create; items take read, update and delete.`;

  /** What the request asks for: the resource, the verb, the ids. */
  function target(path: string, body: Json): { match: PathMatch; verb: string } {
    const action = body.action;
    if (typeof action !== 'string') throw refuse('invalid-request', `The body names no "action". ${usage}`);
    if (level === 0) {
      const known = actions.get(action);
      if (!known) throw refuse('unknown-action', `There is no action "${action}". Actions: ${[...actions.keys()].join(', ')}.`);
      const { resource, verb } = known;
      const route = VERBS[verb].route;
      const parentTerm = resource.definition.parent?.term;
      const parentId = parentTerm ? idIn(body, parentTerm) : undefined;
      if (parentTerm && parentId === undefined) throw refuse('invalid-request', `${action} needs "${parentTerm}": the id of the ${resource.parent!.name} it belongs to.`);
      const id = route === 'item' ? idIn(body, 'id') : undefined;
      if (route === 'item' && id === undefined) throw refuse('invalid-request', `${action} needs "id".`);
      return { match: { resource, route, id, parentId }, verb };
    }
    const match = paths.match(path);
    if (!match) throw new HttpError(404, { detail: 'No resource exists at this URL.' });
    const offered = verbsOf(match.resource);
    const verbs = Object.entries(LEVEL1_VERBS[match.route]).filter(([, verb]) => offered.includes(verb));
    const verb = verbs.find(([name]) => name === action)?.[1];
    if (!verb) throw refuse('unknown-action', `This ${match.route === 'item' ? match.resource.name : 'collection'} takes the actions ${verbs.map(([name]) => name).join(', ')}, not "${action}".`);
    return { match, verb };
  }

  return async function serveRpcLevel(ctx: Context): Promise<void> {
    try {
      if (ctx.method !== 'POST') throw refuse('use-post', `This level takes POST only. ${usage}`);
      const path = ctx.path.slice(prefix.length) || '/';
      if (level === 0 && path !== '/') throw new HttpError(404, { detail: `Level 0 has one endpoint: ${prefix}. ${usage}` });
      await readBody(ctx, async () => {});
      const body = ctx.request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw refuse('invalid-request', `The body must be a JSON object. ${usage}`);
      const { match, verb } = target(path, body as Json);
      const { method } = VERBS[verb];
      const data = (body as Json).data;
      if ((method === 'POST' || method === 'PATCH') && data === undefined) throw refuse('invalid-request', `"${verb}" needs "data": the fields to write.`);
      const base = baseUrl(ctx);
      const representation = await invoke(runtime, ctx, `${base}${prefix}`, base, {
        ...match,
        method,
        body: data,
        query: method === 'GET' && match.route === 'collection' ? paramsIn(body as Json) : {},
      });
      answer(ctx, { ok: true, result: representation ? (await representation.build()).data : null });
    } catch (err) {
      const error = toHttpError(err);
      if (error.status >= 500) ctx.state.log?.error({ err: error.cause ?? err, requestId: ctx.state.requestId }, 'request failed');
      answer(ctx, { ok: false, error: errorMember(error) });
    }
  };
}
