/**
 * Whole responses to GET/HEAD, reused while the data they were made of has
 * not changed.
 *
 * The render cache (render-cache.ts) already keeps each representation's
 * bytes per (resource, state, variant), but reaching it means routing,
 * negotiating, reading the store and building the state token. This cache
 * sits in front of all that: it keys a finished 200 response by (base URL,
 * path and query, Accept) and keeps, with it, the tags of the stored data it
 * was made of (`Representation.dependsOn`: an item's row, the tables its
 * state token includes, a page's table) and the store's change position when
 * it was made. It is served while none of those tags changed since — by a
 * write of this process or of another one on the same database (the store's
 * {@link Freshness}) — so a write to one item leaves every other item's
 * cached responses in place. A response that names no tags depends on any
 * change.
 *
 * Conditional requests are answered here too (304 without touching the
 * handler), with the same pure {@link evaluatePreconditions}; a 304 repeats
 * the stored `Link` set, because a cache replaces the stored fields with
 * those of a 304 (RFC 9111 §3.2, §4.3.4).
 *
 * Only responses of Rung's generic handlers and own documents are kept: they
 * are functions of the stored data. Routes served by a custom handler set
 * `ctx.state.notReusable` and always take the full path.
 */
import type { Context, Next } from 'koa';
import { baseUrl } from '../http/base-url.js';
import { tokenOf } from '../http/etag.js';
import { conditionalHeaders, evaluatePreconditions } from '../http/preconditions.js';
import type { Freshness } from '../store/store.js';
import { audienceKey } from './audience.js';
import { ByteCache, ownBuffer } from './render-cache.js';

/** Headers a representation response is made of (X-Request-Id and the like are per request). */
const KEPT = ['content-type', 'etag', 'last-modified', 'cache-control', 'vary', 'link'] as const;
/**
 * Headers a 304 repeats: those RFC 9110 §15.4.5 names, and `Link`, which
 * a cache would otherwise replace with a shorter set (RFC 9111 §3.2).
 */
const NOT_MODIFIED = new Set<string>(['etag', 'last-modified', 'cache-control', 'vary', 'link']);

interface CachedResponse {
  /** The store's change position when the response was made. */
  position: number;
  /** Tags of the data it was made of; undefined: any change. */
  dependsOn: readonly string[] | undefined;
  headers: [string, string | string[]][];
  /** The headers a 304 repeats. */
  notModified: [string, string | string[]][];
  body: Buffer;
  etag: string;
  lastModified?: Date;
}

export interface ResponseCacheOptions {
  maxBytes: number;
  /** The store's view of what changed (undefined: do not cache). */
  freshness(): Promise<Freshness | undefined>;
}

export function responseCache(options: ResponseCacheOptions) {
  const cache = new ByteCache<CachedResponse>(options.maxBytes, (entry, key) => entry.body.length + key.length * 2 + 384);
  return async function serveFromResponseCache(ctx: Context, next: Next) {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    const freshness = await options.freshness();
    if (!freshness) return next();
    // ISSUE-14 HOOK: one caller's variant is never served to another (server/audience.ts).
    const key = `${baseUrl(ctx)}${ctx.url}\n${ctx.get('Accept')}\n${audienceKey(ctx)}`;
    const hit = cache.get(key);
    if (hit) {
      if (!freshness.changedSince(hit.dependsOn, hit.position)) return serve(ctx, hit, next);
      cache.delete(key);
    }
    const position = freshness.position;
    await next();
    if (ctx.status === 200 && ctx.state.representationSent && !ctx.state.notReusable && Buffer.isBuffer(ctx.body)) {
      const body = ctx.body;
      // Made only when admitted: most responses to random requests are never kept.
      cache.offer(key, () => {
        // One copy of the header map (each `ctx.response.headers` makes another).
        const sent = ctx.res.getHeaders();
        const headers: [string, string | string[]][] = [];
        for (const name of KEPT) {
          const value = sent[name];
          if (value !== undefined) headers.push([name, value as string | string[]]);
        }
        const lastModified = sent['last-modified'] as string | undefined;
        return {
          position,
          dependsOn: ctx.state.dependsOn as readonly string[] | undefined,
          headers,
          notModified: headers.filter(([name]) => NOT_MODIFIED.has(name)),
          body: ownBuffer(body),
          etag: sent.etag as string,
          lastModified: lastModified === undefined ? undefined : new Date(lastModified),
        };
      });
    }
  };
}

function serve(ctx: Context, hit: CachedResponse, next: Next) {
  const h = ctx.headers;
  const ifNoneMatch = h['if-none-match'];
  if (ifNoneMatch || h['if-modified-since'] || h['if-match'] || h['if-unmodified-since']) {
    // The usual revalidation, a lone If-None-Match with the stored tag, is a 304 at once; anything
    // else goes through the precondition rules. @see RFC 9110 §13.1.2, §13.2.2
    const outcome =
      ifNoneMatch === hit.etag && !h['if-match'] && !h['if-unmodified-since']
        ? 304
        : evaluatePreconditions(conditionalHeaders(ctx.method, h), {
            exists: true,
            etag: hit.etag,
            token: tokenOf({ weak: false, opaque: hit.etag.slice(1, -1) }),
            lastModified: hit.lastModified,
          });
    if (outcome === 304) {
      for (const [name, value] of hit.notModified) ctx.set(name, value);
      // The stored Link set begins with the API documentation link.
      ctx.state.apiDocumentationLinked = true;
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
}
