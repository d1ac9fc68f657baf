/**
 * Whole responses to GET/HEAD, reused while the data cannot have changed.
 *
 * The render cache (render-cache.ts) already keeps each representation's
 * bytes per (resource, state, variant), but reaching it means routing,
 * negotiating, reading the store and building the state token. This cache
 * sits in front of all that: it keys a finished 200 response by (base URL,
 * path and query, Accept) and keeps it only while the store's change counter
 * is the one seen when the response was made. Any write — by this process or,
 * for SQLite, another one (`PRAGMA data_version`) — moves the counter, and
 * every entry falls back to the full path, which answers exactly as before.
 *
 * Conditional requests are answered here too (304 without touching the
 * handler), with the same pure {@link evaluatePreconditions}.
 *
 * Only responses of Rung's generic handlers and own documents are kept: they
 * are functions of the stored data. Routes served by a custom handler set
 * `ctx.state.notReusable` and always take the full path.
 */
import type { Context, Next } from 'koa';
import { LRUCache } from 'lru-cache';
import { baseUrl } from '../http/base-url.js';
import { tokenOf } from '../http/etag.js';
import { conditionalHeaders, evaluatePreconditions } from '../http/preconditions.js';
import { audienceKey } from './audience.js';

/** Headers a representation response is made of (X-Request-Id and the like are per request). */
const KEPT = ['content-type', 'etag', 'last-modified', 'cache-control', 'vary', 'link'] as const;
/** Headers a 304 repeats (RFC 9110 §15.4.5). */
const NOT_MODIFIED = ['etag', 'last-modified', 'cache-control', 'vary'] as const;

interface CachedResponse {
  counter: number;
  headers: [string, string | string[]][];
  body: Buffer;
  etag: string;
  lastModified?: Date;
}

export interface ResponseCacheOptions {
  maxBytes: number;
  /** The store's change counter (undefined: do not cache). */
  changeCounter(): number | undefined;
}

export function responseCache(options: ResponseCacheOptions) {
  const lru = new LRUCache<string, CachedResponse>({
    maxSize: Math.max(options.maxBytes, 1024),
    sizeCalculation: (entry, key) => entry.body.length + key.length + 512,
  });
  return async function serveFromResponseCache(ctx: Context, next: Next) {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    const counter = options.changeCounter();
    if (counter === undefined) return next();
    // ISSUE-14 HOOK: one caller's variant is never served to another (server/audience.ts).
    const key = `${baseUrl(ctx)}${ctx.url}\n${ctx.get('Accept')}\n${audienceKey(ctx)}`;
    const hit = lru.get(key);
    if (hit && hit.counter === counter) {
      const h = ctx.headers;
      if (h['if-none-match'] || h['if-modified-since'] || h['if-match'] || h['if-unmodified-since']) {
        const outcome = evaluatePreconditions(conditionalHeaders(ctx.method, h), {
          exists: true,
          etag: hit.etag,
          token: tokenOf({ weak: false, opaque: hit.etag.slice(1, -1) }),
          lastModified: hit.lastModified,
        });
        if (outcome === 304) {
          for (const [name, value] of hit.headers) if ((NOT_MODIFIED as readonly string[]).includes(name)) ctx.set(name, value);
          ctx.status = 304;
          return;
        }
        // 412 and friends: let the full path answer (and explain).
        if (outcome !== 'proceed') return next();
      }
      for (const [name, value] of hit.headers) ctx.set(name, value);
      ctx.state.apiDocumentationLinked = true;
      ctx.status = 200;
      ctx.body = hit.body;
      return;
    }
    await next();
    if (ctx.status === 200 && ctx.state.representationSent && !ctx.state.notReusable && Buffer.isBuffer(ctx.body)) {
      const headers: [string, string | string[]][] = [];
      for (const name of KEPT) {
        const value = ctx.response.headers[name];
        if (value !== undefined) headers.push([name, value as string | string[]]);
      }
      const lastModified = ctx.response.get('Last-Modified');
      lru.set(key, {
        counter,
        headers,
        body: ctx.body,
        etag: ctx.response.get('ETag') as string,
        lastModified: lastModified ? new Date(lastModified as string) : undefined,
      });
    }
  };
}
