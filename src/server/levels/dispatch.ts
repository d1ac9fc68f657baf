/**
 * Every level runs the same handlers as the real API (generic or a
 * definition's own), over the same store and write path: a level only
 * translates its way of asking into (resource, route, method, ids, body,
 * query), and the answer into its way of answering. So a write at any level
 * is visible at every other one, and the rules (validation, preconditions,
 * restricted deletes) are the same everywhere.
 */
import type { Context } from 'koa';
import { notFound } from '../../http/errors.js';
import type { HandlerResult } from '../../http/representation.js';
import { ResourceRepresenter } from '../../hypermedia/representations.js';
import type { ResourceRequest } from '../../resources/handler.js';
import { genericHandlers } from '../generic-handlers.js';
import { handlerFor } from '../routes.js';
import type { Runtime } from '../runtime.js';
import { requireScope } from '../auth.js';
import { mayWrite } from '../audience.js';
import type { PathMatch } from './paths.js';
import { fromPlainBody, PlainRepresenter } from './plain.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Invocation extends PathMatch {
  /** The HTTP method whose meaning the level's request has (level 0 and 1 say it in the body). */
  method: Method;
  /** The body to write, in the level's plain terms. */
  body?: unknown;
  /** Collection parameters (filters, sort, page), as a query string would give them. */
  query?: Record<string, string>;
}

/** The methods a route offers (GET only for read-only resources). */
export function methodsOf(match: PathMatch): Method[] {
  if (match.resource.definition.readOnly) return ['GET'];
  return match.route === 'collection' ? ['GET', 'POST'] : ['GET', 'PUT', 'PATCH', 'DELETE'];
}

/**
 * Run the handler for `invocation`. `levelBase` is where the level serves
 * items (for `Location`). The handler sees a view of `ctx` whose method and
 * query are the invocation's; headers (If-Match…) are the request's own.
 */
export async function invoke(runtime: Runtime, ctx: Context, levelBase: string, base: string, invocation: Invocation): Promise<HandlerResult> {
  const { resource, route, id, parentId, method } = invocation;
  if ((resource.parent && parentId === undefined) || (route === 'item' && id === undefined)) throw notFound();
  const view: Context = Object.create(ctx, {
    method: { value: method, enumerable: true },
    query: { value: invocation.query ?? ctx.query, enumerable: true },
  });
  // The level's own way of asking names the operation: its scope is checked here (server/auth.ts).
  requireScope(ctx, method === 'GET' ? 'read' : 'write', runtime.options.auth.realm);
  const inner = new ResourceRepresenter(runtime.representationSources, resource, base, parentId, mayWrite(ctx));
  const represent = new PlainRepresenter(inner, runtime.store, resource, levelBase, parentId);
  const request: ResourceRequest = {
    ctx: view,
    resource,
    store: runtime.store,
    base,
    id,
    parentId,
    body: invocation.body === undefined ? undefined : fromPlainBody(resource, base, invocation.body, { id, parentId }),
    input: {
      base,
      resource,
      contexts: runtime.contexts,
      store: runtime.store,
      target: id === undefined ? undefined : represent.itemIri(id),
      mediaType: 'application/json',
    },
    represent,
    policy: runtime.policy,
    generic: genericHandlers,
  };
  return handlerFor(resource, route, method.toLowerCase())(request);
}
