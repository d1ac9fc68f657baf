/**
 * Level 2: resources and the uniform interface, without links. The paths of
 * the real API below `/levels/2`, every method with its meaning, every
 * status code (201 + Location, 204, 304, 400, 404, 405 + Allow, 406, 409,
 * 412, 415, 422, 428), ETag / Last-Modified / Cache-Control and conditional
 * requests — and plain JSON with ids: nothing in an answer says where to go
 * next, so the client builds URLs from the documentation.
 *
 * Errors are problem documents (RFC 9457) without the links the level-3
 * API adds to some of them (a 409's `related`, a 412's `current`).
 */
import type { Context } from 'koa';
import { baseUrl } from '../../http/base-url.js';
import { requestBody } from '../../http/body.js';
import { HttpError, methodNotAllowed, notFound } from '../../http/errors.js';
import { formatEtag } from '../../http/etag.js';
import { chooseFormat, notAcceptable } from '../../http/negotiation.js';
import { conditionalHeaders, evaluatePreconditions, preconditionFailed } from '../../http/preconditions.js';
import { toHttpError } from '../../http/problem.js';
import type { Representation } from '../../http/representation.js';
import type { Runtime } from '../runtime.js';
import { invoke, methodsOf, type Method } from './dispatch.js';
import type { ResourcePaths } from './paths.js';

/** The one response format of level 2. */
const JSON_OFFER = [{ mediaType: 'application/json' }];
/** The variant part of level-2 ETags (the token is the level-3 one, so If-Match works across levels). */
const VARIANT = 'level2';

const allowOf = (methods: Method[]) => [...methods.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])), 'OPTIONS'];

/** The same error without links: level 2 has none. */
function withoutLinks(error: HttpError): HttpError {
  if (!error.links.length) return error;
  return new HttpError(error.status, {
    type: error.type,
    title: error.title,
    detail: error.detail,
    headers: error.headers,
    extensions: error.extensions,
    expose: error.expose,
    cause: error.cause,
  });
}

export function level2(runtime: Runtime, paths: ResourcePaths, prefix: string) {
  const readBody = requestBody({
    limit: runtime.options.bodyLimit,
    maxDepth: runtime.options.maxJsonDepth,
    accepted: { POST: ['application/json'], PUT: ['application/json'], PATCH: ['application/merge-patch+json', 'application/json'] },
  });

  async function send(ctx: Context, representation: Representation | undefined): Promise<void> {
    ctx.set('Vary', 'Accept');
    if (!representation) {
      ctx.status = 204;
      return;
    }
    const etag = formatEtag(representation.token, VARIANT);
    const status = representation.status ?? 200;
    ctx.set('ETag', etag);
    ctx.set('Cache-Control', runtime.options.cacheControl[representation.kind]);
    if (representation.lastModified) ctx.set('Last-Modified', representation.lastModified.toUTCString());
    if (representation.location) ctx.set('Location', representation.location);
    if (status === 200 && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
      const outcome = evaluatePreconditions(conditionalHeaders(ctx.method, ctx.headers), {
        exists: true,
        token: representation.token,
        etag,
        lastModified: representation.lastModified,
      });
      if (outcome === 304) {
        ctx.status = 304;
        return;
      }
      if (outcome === 412) throw preconditionFailed();
    }
    const document = await representation.build();
    ctx.status = status;
    ctx.type = 'application/json';
    ctx.body = JSON.stringify(document.data, null, 2);
  }

  return async function serveLevel2(ctx: Context): Promise<void> {
    try {
      const match = paths.match(ctx.path.slice(prefix.length) || '/');
      if (!match) throw notFound();
      const methods = methodsOf(match);
      const allow = allowOf(methods);
      if (ctx.method === 'OPTIONS') {
        ctx.set('Allow', allow.join(', '));
        if (methods.includes('POST')) ctx.set('Accept-Post', 'application/json');
        if (methods.includes('PATCH')) ctx.set('Accept-Patch', 'application/merge-patch+json, application/json');
        ctx.status = 204;
        return;
      }
      const method = (ctx.method === 'HEAD' ? 'GET' : ctx.method) as Method;
      if (!methods.includes(method)) throw methodNotAllowed(ctx.method, allow);
      if (method !== 'DELETE' && !chooseFormat(ctx.get('Accept') || undefined, JSON_OFFER)) throw notAcceptable(JSON_OFFER);
      if (method !== 'GET' && method !== 'DELETE') await readBody(ctx, async () => {});
      const base = baseUrl(ctx);
      const representation = await invoke(runtime, ctx, `${base}${prefix}`, base, {
        ...match,
        method,
        body: method === 'GET' || method === 'DELETE' ? undefined : ctx.request.body,
      });
      await send(ctx, representation);
    } catch (err) {
      throw withoutLinks(toHttpError(err));
    }
  };
}
