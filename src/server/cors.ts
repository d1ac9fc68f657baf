/**
 * Cross-origin access (CORS) with @koa/cors, off unless configured: a
 * browser application served from another origin (API Platform Admin on
 * its own host, a single-page app) may then call the API, read the headers
 * hypermedia clients follow, and send tokens.
 *
 * - `origin: '*'` lets any origin in; a list lets in only those origins
 *   (the request's `Origin` is echoed back, with `Vary: Origin`).
 * - Exposed to scripts: `ETag` and `Last-Modified` (conditional requests),
 *   `Link` (api-doc-parser finds the documentation through it), `Location`
 *   and `Content-Location`, the rate-limit headers, `Retry-After`,
 *   `WWW-Authenticate`, `Allow`, `Accept-Post`, `Accept-Patch`, `X-Request-Id`.
 * - Allowed request headers: what Rung reads (Authorization, Content-Type,
 *   the conditional headers, Accept, X-Request-Id).
 * - No credentials mode: tokens travel in `Authorization`, which a script
 *   sets itself; cookies are never used.
 *
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
import cors from '@koa/cors';
import type { Context } from 'koa';

export interface CorsSettings {
  /** `*`, or the origins allowed (e.g. `https://admin.example.org`). */
  origin: string | string[];
  /** Seconds a browser may cache a preflight answer (default 600). */
  maxAge?: number;
}

export const EXPOSED_HEADERS = [
  'ETag',
  'Last-Modified',
  'Link',
  'Location',
  'Content-Location',
  'RateLimit',
  'RateLimit-Policy',
  'Retry-After',
  'WWW-Authenticate',
  'Allow',
  'Accept-Post',
  'Accept-Patch',
  'X-Request-Id',
];

export const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Accept', 'If-Match', 'If-None-Match', 'If-Modified-Since', 'If-Unmodified-Since', 'X-Request-Id'];

export function corsMiddleware(settings: CorsSettings) {
  const origins = Array.isArray(settings.origin) ? settings.origin : [settings.origin];
  const any = origins.includes('*');
  const allowed = new Set(origins.map((o) => o.replace(/\/$/, '')));
  return cors({
    origin: any ? '*' : (ctx: Context) => (allowed.has(ctx.get('Origin')) ? ctx.get('Origin') : ''),
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowHeaders: ALLOWED_HEADERS,
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: settings.maxAge ?? 600,
    credentials: false,
  });
}
