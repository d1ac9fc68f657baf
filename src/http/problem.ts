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

/**
 * Errors that follow Koa's convention (http-errors, and Rung's own store
 * errors): a numeric `status`, `expose` when the message is meant for the
 * client, and the `headers` the response needs (e.g. `Retry-After`).
 */
interface ConventionalError extends Error {
  status?: number;
  expose?: boolean;
  headers?: Record<string, string>;
  /** Slug of the problem type, when the error names one. */
  problemType?: string;
}

const HIDDEN = 'The server failed to handle this request. The failure has been logged.';

/**
 * Our typed error for anything thrown. Only an {@link HttpError}, or an
 * error that declares itself exposable, says more than its status: the
 * message of any other error (a library's, SQLite's, a stack) stays in the log.
 */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const e = err as ConventionalError;
  const status = e?.status;
  if (typeof status === 'number' && status >= 400 && status < 600 && e.expose === true) {
    return new HttpError(status, {
      type: e.problemType,
      detail: e.message,
      headers: e.headers,
      expose: true,
      cause: err,
    });
  }
  return new HttpError(500, { detail: HIDDEN, cause: err });
}

/** Render a problem document for `error` onto `ctx`. */
export function renderProblem(ctx: Context, error: HttpError): void {
  const base = baseUrl(ctx);
  const body: Record<string, unknown> = {
    type: error.type ? `${base}/problems/${error.type}` : 'about:blank',
    title: error.title,
    status: error.status,
    detail: error.expose ? error.detail ?? error.title : HIDDEN,
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
      } else if (error.cause) {
        ctx.state.log?.debug({ err: error.cause, requestId: ctx.state.requestId }, 'request refused');
      }
      renderProblem(ctx, error);
    }
  };
}
