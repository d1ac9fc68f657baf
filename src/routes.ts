/**
 * Routes: the API's own documents (entry point, documentation, contexts,
 * problem types) and, for every declared resource, a collection route and
 * an item route dispatched to its (generic or custom) handlers.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { baseUrl } from './http/base-url.js';
import { acceptHeaderFor, requestBody } from './http/body.js';
import { methodNotAllowed, notFound } from './http/errors.js';
import type { Representation } from './http/representation.js';
import { entrypointDocument } from './hypermedia/entrypoint.js';
import { CONTEXTS_PATH, DOCS_PATH } from './hypermedia/vocabulary.js';
import { REQUEST_TYPES } from './formats/index.js';
import { genericHandlers, type Handler, type Handlers } from './resources/handlers.js';
import { parseId } from './resources/iri.js';
import type { Resource } from './resources/resource.js';
import type { Runtime } from './runtime.js';
import { problemTypeDocument } from './http/problem-types.js';
import { ASSETS_PATH, serveAssets } from './formats/html/assets.js';

type Route = 'collection' | 'item';

const METHODS: Record<Route, (keyof Handlers['collection'] | keyof Handlers['item'])[]> = {
  collection: ['get', 'post'],
  item: ['get', 'put', 'patch', 'delete'],
};

function allowed(resource: Resource | undefined, route: Route): string[] {
  const methods = resource && !resource.definition.readOnly ? METHODS[route] : ['get'];
  return [...methods.flatMap((m) => (m === 'get' ? ['GET', 'HEAD'] : [m.toUpperCase()])), 'OPTIONS'];
}

function handlerFor(resource: Resource, route: Route, method: string): Handler {
  const custom = resource.definition.handlers?.[route] as Record<string, Handler> | undefined;
  return custom?.[method] ?? (genericHandlers[route] as Record<string, Handler>)[method];
}

export function createRouter(runtime: Runtime): Router {
  const router = new Router();
  const { responder } = runtime;
  const readOnlyAllow = ['GET', 'HEAD', 'OPTIONS'];
  const options = (allow: string[], extra: (ctx: Context) => void = () => {}) =>
    async function answerOptions(ctx: Context) {
      ctx.set('Allow', allow.join(', '));
      extra(ctx);
      ctx.status = 204;
    };
  const refuse = (allow: string[]) =>
    async function refuseMethod(ctx: Context) {
      throw methodNotAllowed(ctx.method, allow);
    };
  /** A GET route for one of the API's own documents. */
  const document = (path: string, represent: (ctx: Context) => Representation | undefined) => {
    router.get(path, async function serveDocument(ctx) {
      ctx.state.format = responder.negotiate(ctx);
      const representation = represent(ctx);
      if (!representation) throw notFound();
      await responder.send(ctx, representation);
    });
    router.options(path, options(readOnlyAllow));
    router.all(path, refuse(readOnlyAllow));
  };

  document('/', (ctx) => ({
    kind: 'entrypoint',
    key: '/',
    token: runtime.contexts.token,
    build: () => entrypointDocument(baseUrl(ctx), runtime.registry, runtime.contexts),
  }));
  document(DOCS_PATH, (ctx) => ({
    kind: 'documentation',
    key: DOCS_PATH,
    token: runtime.contexts.token,
    build: () => runtime.documentation.build(baseUrl(ctx)),
  }));
  document(`${CONTEXTS_PATH}/:file`, (ctx) => {
    const file = ctx.params.file;
    const context = runtime.contexts.document(baseUrl(ctx), file);
    return context && {
      kind: 'context',
      key: `${CONTEXTS_PATH}/${file}`,
      token: runtime.contexts.token,
      formats: ['jsonld', 'compacted', 'json'],
      build: () => ({ data: context, links: [] }),
    };
  });
  document('/problems/:slug', (ctx) => problemTypeDocument(ctx.params.slug, runtime.contexts.token));

  // --- Static assets of the HTML format (stylesheet, script): src/formats/html/assets.ts ---
  router.get(`${ASSETS_PATH}/:file`, serveAssets());
  // --- end HTML assets ---

  const parseBody = requestBody({
    limit: runtime.options.bodyLimit,
    accepted: { POST: REQUEST_TYPES.write, PUT: REQUEST_TYPES.write, PATCH: REQUEST_TYPES.patch },
  });

  for (const resource of runtime.registry.resources) {
    for (const route of ['collection', 'item'] as Route[]) {
      const path = route === 'collection' ? resource.collectionRoute : resource.itemRoute;
      const allow = allowed(resource, route);
      for (const method of METHODS[route]) {
        const verb = method.toUpperCase();
        if (!allow.includes(verb)) continue;
        const handler = handlerFor(resource, route, method);
        const dispatch = async function dispatchToHandler(ctx: Context) {
          const parentId = resource.parent ? parseId(ctx.params.parentId) : undefined;
          const id = route === 'item' ? parseId(ctx.params.id) : undefined;
          if ((resource.parent && parentId === undefined) || (route === 'item' && id === undefined)) throw notFound();
          ctx.state.format = responder.negotiate(ctx);
          const representation = await handler({
            ctx,
            runtime,
            resource,
            base: baseUrl(ctx),
            id,
            parentId,
            body: ctx.request.body,
            generic: genericHandlers,
          });
          await responder.send(ctx, representation);
        };
        if (verb === 'GET') router.get(path, dispatch);
        else router.register(path, [verb], [parseBody, dispatch]);
      }
      router.options(
        path,
        options(allow, (ctx) => {
          if (allow.includes('POST')) ctx.set(acceptHeaderFor('POST')!, REQUEST_TYPES.write.join(', '));
          if (allow.includes('PATCH')) ctx.set(acceptHeaderFor('PATCH')!, REQUEST_TYPES.patch.join(', '));
        }),
      );
      router.all(path, refuse(allow));
    }
  }
  return router;
}
