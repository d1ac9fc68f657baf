/**
 * Routes: the API's own documents (entry point, documentation, contexts,
 * problem types, HTML assets) and, for every declared resource, a collection
 * route and an item route dispatched to its (generic or custom) handlers.
 *
 * Each path is ONE router layer that dispatches on the method itself:
 * @koa/router tests every layer's pattern on every request, so fewer layers
 * is a faster hot path, and Allow / 405 / OPTIONS come from one place.
 */
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { REQUEST_TYPES } from '../formats/index.js';
import { ASSETS_PATH, serveAssets } from '../formats/html/assets.js';
import { baseUrl } from '../http/base-url.js';
import { acceptHeaderFor, requestBody } from '../http/body.js';
import { methodNotAllowed, notFound } from '../http/errors.js';
import { problemTypeDocument } from '../http/problem-types.js';
import type { Representation } from '../http/representation.js';
import { entrypointDocument } from '../hypermedia/entrypoint.js';
import { CONTEXTS_PATH, DOCS_PATH, OPENAPI_PATH } from '../resources/vocabulary.js';
import { OPENAPI_MEDIA_TYPES, serialise, serviceDescLink } from '../openapi/document.js';
import type { Format } from '../formats/format.js';
import type { Document } from '../http/representation.js';
import { FormatChooser, notAcceptable } from '../http/negotiation.js';
import { ResourceRepresenter } from '../hypermedia/representations.js';
import type { Handler, ResourceRequest } from '../resources/handler.js';
import { genericHandlers } from './generic-handlers.js';
import { parseId } from '../resources/iri.js';
import type { Resource } from '../resources/resource.js';
import type { Runtime } from './runtime.js';
import { mayWrite } from './audience.js';

type Route = 'collection' | 'item';
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Action = (ctx: Context, next: Next) => Promise<void>;
/** The item (or collection) a request names, read from its path. */
interface Target {
  id?: number;
  parentId?: number;
}

const METHODS: Record<Route, Method[]> = {
  collection: ['GET', 'POST'],
  item: ['GET', 'PUT', 'PATCH', 'DELETE'],
};

/** The Allow list for a set of implemented methods. */
function allowList(methods: string[]): string[] {
  return [...methods.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])), 'OPTIONS'];
}

/**
 * One layer for one path: GET also answers HEAD, OPTIONS lists `Allow`
 * (plus `extra` headers), anything else is 405 with `Allow`.
 */
function byMethod(actions: Partial<Record<Method, Action>>, extra: Record<string, string> = {}) {
  const allow = allowList(Object.keys(actions));
  const allowHeader = allow.join(', ');
  return async function dispatchByMethod(ctx: Context, next: Next) {
    const method = ctx.method === 'HEAD' ? 'GET' : (ctx.method as Method);
    const action = Object.hasOwn(actions, method) ? actions[method] : undefined;
    if (action) return action(ctx, next);
    if (ctx.method === 'OPTIONS') {
      ctx.set('Allow', allowHeader);
      for (const [name, value] of Object.entries(extra)) ctx.set(name, value);
      ctx.status = 204;
      return;
    }
    throw methodNotAllowed(ctx.method, allow);
  };
}

/** The handler of a route and method: the definition's own, or the generic one. */
export function handlerFor(resource: Resource, route: Route, method: string): Handler {
  const custom = resource.definition.handlers?.[route] as Record<string, Handler> | undefined;
  return custom?.[method] ?? (genericHandlers[route] as Record<string, Handler>)[method];
}

export function createRouter(runtime: Runtime): Router {
  const router = new Router();
  const { responder } = runtime;

  /** A read-only document of the API's own. */
  const document = (path: string, represent: (ctx: Context) => Representation | undefined) => {
    router.all(
      path,
      byMethod({
        GET: async function serveDocument(ctx) {
          ctx.state.format = responder.negotiate(ctx);
          const representation = represent(ctx);
          if (!representation) throw notFound();
          await responder.send(ctx, representation);
        },
      }),
    );
  };

  /**
   * The entry point and the API documentation link to the OpenAPI description:
   * `Link: <…>; rel="service-desc"` (RFC 8631) and, in the body, rdfs:seeAlso.
   */
  const withServiceDesc = (base: string, document: Document): Document => {
    const link = serviceDescLink(base);
    return { data: { ...document.data, 'rdfs:seeAlso': { '@id': link.href } }, links: [...document.links, link] };
  };
  document('/', (ctx) => ({
    kind: 'entrypoint',
    key: '/',
    token: runtime.contexts.token,
    build: () => withServiceDesc(baseUrl(ctx), entrypointDocument(baseUrl(ctx), runtime.registry, runtime.contexts)),
  }));
  document(DOCS_PATH, (ctx) => ({
    kind: 'documentation',
    key: DOCS_PATH,
    token: runtime.contexts.token,
    build: () => withServiceDesc(baseUrl(ctx), runtime.documentation.build(baseUrl(ctx), mayWrite(ctx))),
  }));
  // The OpenAPI description: JSON, or YAML when asked for; its own media types, so its own negotiation.
  const openApiFormats: Format[] = (Object.entries(OPENAPI_MEDIA_TYPES) as ['json' | 'yaml', readonly string[]][]).flatMap(([form, types]) =>
    types.map((mediaType, i) => ({
      key: `openapi-${form}${i}`,
      mediaType,
      contentType: mediaType,
      render: (doc: Document) => ({ body: serialise(doc.data, form) }),
    })),
  );
  const openApiChooser = new FormatChooser(openApiFormats);
  router.all(
    OPENAPI_PATH,
    byMethod({
      GET: async function serveOpenApi(ctx) {
        const format = openApiChooser.choose(ctx.get('Accept') || undefined);
        if (!format) throw notAcceptable(openApiFormats);
        ctx.state.format = format;
        await responder.send(ctx, {
          kind: 'documentation',
          key: OPENAPI_PATH,
          token: runtime.openapi.token,
          build: () => runtime.openapi.build(baseUrl(ctx)),
        });
      },
    }),
  );
  document(`${CONTEXTS_PATH}/:file`, (ctx) => {
    const file = ctx.params.file;
    const context = runtime.contexts.document(baseUrl(ctx), file);
    return (
      context && {
        kind: 'context',
        key: `${CONTEXTS_PATH}/${file}`,
        token: runtime.contexts.token,
        formats: ['jsonld', 'compacted', 'json'],
        build: () => ({ data: context, links: [] }),
      }
    );
  });
  document('/problems/:slug', (ctx) => problemTypeDocument(ctx.params.slug, runtime.contexts.token));

  // Static assets of the HTML format (stylesheet, script): src/formats/html/assets.ts
  router.all(`${ASSETS_PATH}/:file`, byMethod({ GET: serveAssets() }));

  const parseBody = requestBody({
    limit: runtime.options.bodyLimit,
    maxDepth: runtime.options.maxJsonDepth,
    accepted: { POST: REQUEST_TYPES.write, PUT: REQUEST_TYPES.write, PATCH: REQUEST_TYPES.patch },
  });

  for (const resource of runtime.registry.resources) {
    for (const route of ['collection', 'item'] as Route[]) {
      const methods = resource.definition.readOnly ? (['GET'] as Method[]) : METHODS[route];
      const actions: Partial<Record<Method, Action>> = {};
      for (const method of methods) {
        const handler = handlerFor(resource, route, method.toLowerCase());
        // A custom handler may depend on more than the stored data (time, other
        // services, headers it sets itself): its responses are never reused whole.
        const custom = handler !== (genericHandlers[route] as Record<string, Handler>)[method.toLowerCase()];
        const dispatch: Action = async function dispatchToHandler(ctx) {
          if (custom) ctx.state.notReusable = true;
          const { id, parentId } = ctx.state.target as Target;
          const base = baseUrl(ctx);
          const represent = new ResourceRepresenter(runtime.representationSources, resource, base, parentId, mayWrite(ctx));
          const request: ResourceRequest = {
            ctx,
            resource,
            store: runtime.store,
            base,
            id,
            parentId,
            body: ctx.request.body,
            input: {
              base,
              resource,
              contexts: runtime.contexts,
              store: runtime.store,
              target: id === undefined ? undefined : represent.itemIri(id),
              mediaType: ctx.request.type || undefined,
            },
            represent,
            policy: runtime.policy,
            generic: genericHandlers,
          };
          const representation = await handler(request);
          await responder.send(ctx, representation);
        };
        // The path and Accept are checked before the body is read: a request for no
        // resource is a 404, and a 406 must not follow a write (DELETE answers 204, no body).
        const checkRequest = (ctx: Context) => {
          const parentId = resource.parent ? parseId(ctx.params.parentId) : undefined;
          const id = route === 'item' ? parseId(ctx.params.id) : undefined;
          if ((resource.parent && parentId === undefined) || (route === 'item' && id === undefined)) throw notFound();
          ctx.state.target = { id, parentId } satisfies Target;
          if (method !== 'DELETE') ctx.state.format = responder.negotiate(ctx);
        };
        actions[method] =
          method === 'GET'
            ? (ctx, next) => (checkRequest(ctx), dispatch(ctx, next))
            : (ctx, next) => (checkRequest(ctx), parseBody(ctx, () => dispatch(ctx, next)));
      }
      const extra: Record<string, string> = {};
      if (actions.POST) extra[acceptHeaderFor('POST')!] = REQUEST_TYPES.write.join(', ');
      if (actions.PATCH) extra[acceptHeaderFor('PATCH')!] = REQUEST_TYPES.patch.join(', ');
      router.all(route === 'collection' ? resource.collectionRoute : resource.itemRoute, byMethod(actions, extra));
    }
  }
  return router;
}
