/**
 * ISSUE-14 HOOK — caller-dependent representations.
 *
 * What a representation advertises depends on what the caller may do: a
 * caller who may not write sees no write operations in the API
 * documentation, no inline DELETE (nor the `Deletable…` type) on items, no
 * HAL-FORMS templates and no HTML forms. So one URL has several variants,
 * and no cache may serve one caller's variant to another.
 *
 * The request's *audience* is what tells the variants apart. The auth
 * middleware (auth.ts) sets `ctx.state.audience` — only when some caller
 * may not write (anonymous access is `none` or `read`); otherwise every
 * caller sees the same thing and it stays unset. It is made of the
 * caller's effective scopes, never of the token. Where it is used:
 *
 * - response-cache.ts: part of the key of a whole cached response;
 * - responder.ts: part of the render cache key and of the ETag's variant,
 *   `Vary: Authorization` and `Cache-Control: private` on the kinds of
 *   representation that show operations ({@link CALLER_DEPENDENT_KINDS}),
 *   and passed to the documentation the formats render operations from;
 * - routes.ts and levels/dispatch.ts: the documentation and item
 *   representations are built for it ({@link mayWrite}).
 */
import type { Context } from 'koa';
import type { Scope } from '../http/auth.js';

export interface Audience {
  /** Cache-key part: the sorted effective scopes, e.g. `read` or `read write` (empty: none). */
  key: string;
  /** May this audience write (so see write operations)? */
  mayWrite: boolean;
}

export function audienceOf(scopes: readonly Scope[]): Audience {
  return { key: [...scopes].sort().join(' '), mayWrite: scopes.includes('write') };
}

/** The kinds of representation whose content shows operations, so depends on the audience. */
export const CALLER_DEPENDENT_KINDS: ReadonlySet<string> = new Set(['item', 'collection', 'entrypoint', 'documentation']);

/** The request's audience, when representations depend on it here. */
export function requestAudience(ctx: Context): Audience | undefined {
  return ctx.state.audience as Audience | undefined;
}

/** May the caller of `ctx` write? True when representations do not depend on the caller. */
export function mayWrite(ctx: Context): boolean {
  return requestAudience(ctx)?.mayWrite ?? true;
}

/** The audience's part of a cache key ('' when there is none). */
export function audienceKey(ctx: Context): string {
  return requestAudience(ctx)?.key ?? '';
}

/** The ETag variant suffix of a caller-dependent representation (no `-`: see http/etag.ts `tokenOf`). */
export function audienceVariant(audience: Audience): string {
  return audience.mayWrite ? '.rw' : '.r';
}
