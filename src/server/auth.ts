/**
 * Who is calling, and what they may do. Three middlewares, in this order
 * around the rate limiter (app.ts):
 *
 * 1. `identifyCaller`: reads `Authorization: Bearer …`, looks the token's
 *    hash up in the {@link TokenStore}, and puts the caller on `ctx.state`
 *    (its token id, for the rate limiter's key; its scopes; its audience).
 *    It refuses nothing yet, so a client guessing tokens is rate limited
 *    by its address before it learns anything.
 * 2. the rate limiter (rate-limit.ts).
 * 3. `enforceAccess`: refuses a malformed Authorization (400), an unknown or
 *    revoked token (401 `invalid_token`), and an operation the caller's
 *    scopes do not cover (401 without a token, 403 `insufficient_scope`
 *    with one). Safe methods need `read`, the others `write`. Under
 *    `/levels`, where levels 0 and 1 tunnel every action through POST, only
 *    `read` is checked here; the levels check each action's own scope
 *    (levels/dispatch.ts, with {@link requireScope}).
 *
 * Contexts, problem types and the HTML assets are public: they describe
 * the API's terms and draw its pages, and clients fetch them without
 * credentials (a JSON-LD processor, a browser loading a stylesheet).
 *
 * The token itself is never logged, stored or put on `ctx.state`.
 */
import type { Context, Next } from 'koa';
import {
  anonymousScopes,
  decideAccess,
  effectiveScopes,
  insufficientScope,
  invalidToken,
  malformedAuthorization,
  readCredentials,
  scopeFor,
  unauthenticated,
  type AnonymousAccess,
  type Scope,
} from '../http/auth.js';
import { ASSETS_PATH } from '../formats/html/assets.js';
import { CONTEXTS_PATH } from '../resources/vocabulary.js';
import { hashToken, type TokenStore } from '../store/tokens.js';
import { audienceOf, type Audience } from './audience.js';
import { LEVELS_PATH } from './levels/paths.js';

export interface AuthSettings {
  /** What a caller without a token may do. */
  anonymous: AnonymousAccess;
  /** The `realm` of every challenge. */
  realm: string;
}

/** The caller of a request, as `ctx.state.caller`. */
export interface Caller {
  /** The id of the valid token sent (never the token). */
  tokenId?: number;
  /** What the caller may do: the anonymous scopes and those of its token. */
  scopes: Scope[];
  /** A token was sent and found. */
  authenticated: boolean;
  /** What was wrong with the credentials sent, refused by `enforceAccess`. */
  problem?: 'malformed' | 'invalid';
}

const PUBLIC_PREFIXES = [`${CONTEXTS_PATH}/`, '/problems/', `${ASSETS_PATH}/`];

export function identifyCaller(settings: AuthSettings, tokens: TokenStore) {
  const anonymous = anonymousScopes(settings.anonymous);
  // Representations depend on the caller only where some caller may not write.
  const callerDependent = settings.anonymous !== 'write';
  return async function identifyCallerMiddleware(ctx: Context, next: Next) {
    const credentials = readCredentials(ctx.get('Authorization') || undefined);
    let caller: Caller = { scopes: anonymous, authenticated: false };
    if (credentials.kind === 'malformed') caller = { ...caller, problem: 'malformed' };
    if (credentials.kind === 'bearer') {
      const record = await tokens.findByHash(hashToken(credentials.token));
      caller = record
        ? { tokenId: record.id, scopes: effectiveScopes(anonymous, record.scopes), authenticated: true }
        : { ...caller, problem: 'invalid' };
    }
    ctx.state.caller = caller;
    // ISSUE-14 HOOK: the audience is part of the response and render cache keys (see audience.ts).
    if (callerDependent) ctx.state.audience = audienceOf(caller.scopes) satisfies Audience;
    return next();
  };
}

/** Throw the refusal when the caller of `ctx` may not do what needs `needed`. */
export function requireScope(ctx: Context, needed: Scope, realm: string): void {
  const caller = ctx.state.caller as Caller | undefined;
  if (!caller) return; // no authentication configured in this app
  const outcome = decideAccess(caller.scopes, needed, caller.authenticated);
  if (outcome === 401) throw unauthenticated(realm, needed);
  if (outcome === 403) throw insufficientScope(realm, needed);
}

export function enforceAccess(settings: AuthSettings) {
  return async function enforceAccessMiddleware(ctx: Context, next: Next) {
    const caller = ctx.state.caller as Caller;
    if (caller.problem === 'malformed') throw malformedAuthorization(settings.realm);
    if (caller.problem === 'invalid') throw invalidToken(settings.realm);
    const path = ctx.path;
    if (!PUBLIC_PREFIXES.some((prefix) => path.startsWith(prefix))) {
      const levels = path === LEVELS_PATH || path.startsWith(`${LEVELS_PATH}/`);
      requireScope(ctx, levels ? 'read' : scopeFor(ctx.method), settings.realm);
    }
    return next();
  };
}
