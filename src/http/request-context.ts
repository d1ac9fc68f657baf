/**
 * The outermost middleware: request id, base URL, the API documentation
 * link every response carries, and one structured log line per request.
 */
import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import { baseUrl } from './base-url.js';
import { formatLinks } from './link-header.js';
import type { LinkSpec } from './representation.js';

export interface RequestContextOptions {
  log: Logger;
  publicBaseUrl?: string;
  /** The `Link` to the Hydra API documentation that every response carries. */
  apiDocumentationLink(base: string): LinkSpec;
}

export function requestContext(options: RequestContextOptions) {
  const { log } = options;
  let docLinkFor: { base: string; value: string } | undefined;
  return async function requestContextMiddleware(ctx: Context, next: Next) {
    const start = process.hrtime.bigint();
    const incoming = ctx.get('X-Request-Id');
    const requestId = incoming && incoming.length <= 128 ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = log;
    if (options.publicBaseUrl) ctx.state.publicBaseUrl = options.publicBaseUrl;
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      // Every response links to the API documentation; rendered representations carry it already.
      if (!ctx.state.apiDocumentationLinked) {
        const base = baseUrl(ctx);
        if (docLinkFor?.base !== base) docLinkFor = { base, value: formatLinks([options.apiDocumentationLink(base)]) };
        const existing = ctx.response.get('Link');
        ctx.set('Link', existing ? [docLinkFor.value, ...(Array.isArray(existing) ? existing : [String(existing)])] : docLinkFor.value);
      }
      if (log.isLevelEnabled('info')) {
        log.info({
          requestId,
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          ms: Number(process.hrtime.bigint() - start) / 1e6,
        });
      }
    }
  };
}
