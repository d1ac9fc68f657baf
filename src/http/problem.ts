/**
 * The one error boundary: every error thrown below it becomes an
 * `application/problem+json` document (RFC 9457) with `type`, `title`,
 * `status`, `detail` and `instance`. 5xx details and anything that is not
 * an {@link HttpError} are logged and hidden from the client.
 */
import type { Context, Next } from 'koa';
import LinkHeader from 'http-link-header';
import { HttpError } from './errors.js';
import { baseUrl } from './base-url.js';

export const PROBLEM_JSON = 'application/problem+json';

/** Errors thrown by libraries we sit on (raw-body, koa-bodyparser, http-errors). */
interface LibraryError extends Error {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

/** Map a library error (body parser, raw-body) to our own typed error. */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const e = err as LibraryError;
  const status = e?.status ?? e?.statusCode;
  if (status === 413 || e?.type === 'entity.too.large') {
    return new HttpError(413, {
      type: 'body-too-large',
      title: 'Request body too large',
      detail: 'The request body is larger than this server accepts.',
      cause: err,
    });
  }
  if (status === 400) {
    // The body parser's own 400s: a syntax error, or (from @hapi/bourne) a "__proto__" member.
    return new HttpError(400, {
      type: 'malformed-body',
      title: 'Malformed request body',
      detail: `The request body is not well-formed JSON${e?.message ? `: ${e.message}` : ''}.`,
      cause: err,
    });
  }
  if (typeof status === 'number' && status >= 400 && status < 500 && e.expose) {
    return new HttpError(status, { detail: e.message, cause: err });
  }
  return new HttpError(500, {
    detail: 'The server failed to handle this request. The failure has been logged.',
    cause: err,
  });
}

/** Render a problem document for `error` onto `ctx`. */
export function renderProblem(ctx: Context, error: HttpError): void {
  const base = baseUrl(ctx);
  const body: Record<string, unknown> = {
    type: error.type ? `${base}/problems/${error.type}` : 'about:blank',
    title: error.title,
    status: error.status,
    detail: error.expose ? error.detail ?? error.title : 'The server failed to handle this request. The failure has been logged.',
    instance: ctx.originalUrl,
    ...(error.expose ? error.extensions : {}),
  };
  if (ctx.state.requestId) body.requestId = ctx.state.requestId;
  if (error.links.length) body.links = error.links;
  ctx.status = error.status;
  for (const [name, value] of Object.entries(error.headers)) ctx.set(name, value);
  if (error.links.length) {
    const link = new LinkHeader();
    for (const l of error.links) link.set({ uri: l.href, rel: l.rel });
    ctx.append('Link', link.toString());
  }
  ctx.remove('ETag');
  ctx.remove('Last-Modified');
  ctx.remove('Location');
  ctx.set('Cache-Control', 'no-store');
  ctx.type = PROBLEM_JSON;
  ctx.body = JSON.stringify(body, null, 2);
}

/** Koa middleware: the error boundary. */
export function problemDetails() {
  return async function problemBoundary(ctx: Context, next: Next) {
    try {
      await next();
      if (ctx.status === 404 && ctx.body == null) {
        renderProblem(ctx, new HttpError(404, { detail: 'No resource exists at this URL.' }));
      }
    } catch (err) {
      const error = toHttpError(err);
      if (error.status >= 500) {
        ctx.state.log?.error({ err: error.cause ?? err, requestId: ctx.state.requestId }, 'request failed');
      }
      renderProblem(ctx, error);
    }
  };
}
