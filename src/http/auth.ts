/**
 * Bearer authentication as pure functions: read the Authorization field,
 * decide whether a caller's scopes allow an operation, and write the
 * `WWW-Authenticate` challenge of a refusal. The middleware that looks
 * tokens up and wires these to Koa is server/auth.ts.
 *
 * @see RFC 6750 (Bearer Token Usage) §2.1, §3, §3.1
 * @see RFC 9110 §11.6.1 (WWW-Authenticate), §15.5.2 (401), §15.5.4 (403)
 */
import { HttpError } from './errors.js';

export type Scope = 'read' | 'write';

/** What a request's Authorization field holds. */
export type Credentials = { kind: 'none' } | { kind: 'bearer'; token: string } | { kind: 'malformed' };

/** RFC 6750 §2.1: `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Read `Authorization`. Another scheme (Basic…) is treated as no credentials
 * (the challenge then tells the client what to send); a Bearer field whose
 * token is not a b64token is malformed.
 */
export function readCredentials(field: string | undefined): Credentials {
  if (!field) return { kind: 'none' };
  const match = BEARER.exec(field);
  if (match) return { kind: 'bearer', token: match[1] };
  return /^Bearer\b/i.test(field.trim()) ? { kind: 'malformed' } : { kind: 'none' };
}

/** The scope an HTTP method needs: safe methods read, the others write. */
export function scopeFor(method: string): Scope {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? 'read' : 'write';
}

/** Scopes a caller holds, with `write` including `read`, in canonical order. */
export function effectiveScopes(...grants: readonly Scope[][]): Scope[] {
  const all = new Set(grants.flat());
  if (all.has('write')) all.add('read');
  return (['read', 'write'] as Scope[]).filter((s) => all.has(s));
}

/** Anonymous access as configured: what a caller without a token may do. */
export type AnonymousAccess = 'none' | 'read' | 'write';

export function anonymousScopes(access: AnonymousAccess): Scope[] {
  return access === 'none' ? [] : access === 'read' ? ['read'] : ['read', 'write'];
}

/**
 * May a caller holding `scopes` do what needs `needed`? `'allow'`, or the
 * refusal: 401 when the caller sent no token (a token would help), 403 when
 * its token is valid but lacks the scope.
 */
export function decideAccess(scopes: readonly Scope[], needed: Scope, authenticated: boolean): 'allow' | 401 | 403 {
  if (scopes.includes(needed)) return 'allow';
  return authenticated ? 403 : 401;
}

/** A quoted-string (RFC 9110 §5.6.4). */
const quoted = (value: string) => `"${value.replace(/[\\"]/g, '\\$&').replace(/[\r\n]/g, ' ')}"`;

/** The `WWW-Authenticate` value of a refusal (RFC 6750 §3). */
export function bearerChallenge(realm: string, error?: { code: 'invalid_request' | 'invalid_token' | 'insufficient_scope'; description?: string; scope?: Scope }): string {
  const params = [`realm=${quoted(realm)}`];
  if (error) {
    params.push(`error=${quoted(error.code)}`);
    if (error.description) params.push(`error_description=${quoted(error.description)}`);
    if (error.scope) params.push(`scope=${quoted(error.scope)}`);
  }
  return `Bearer ${params.join(', ')}`;
}

/** 401: no token where one is needed (RFC 6750 §3: no error code then). */
export const unauthenticated = (realm: string, needed: Scope) =>
  new HttpError(401, {
    type: 'unauthorized',
    detail: `This operation needs a token with the "${needed}" scope: send Authorization: Bearer <token>.`,
    headers: { 'WWW-Authenticate': bearerChallenge(realm) },
    extensions: { scope: needed },
  });

/** 401 `invalid_token`: the token sent is unknown, or revoked. */
export const invalidToken = (realm: string) =>
  new HttpError(401, {
    type: 'unauthorized',
    detail: 'The token sent is not valid: it is unknown or has been revoked.',
    headers: { 'WWW-Authenticate': bearerChallenge(realm, { code: 'invalid_token', description: 'The token is unknown or revoked' }) },
  });

/** 400 `invalid_request`: an Authorization field that is not `Bearer <token>`. */
export const malformedAuthorization = (realm: string) =>
  new HttpError(400, {
    type: 'invalid-authorization',
    detail: 'The Authorization header must be "Bearer <token>".',
    headers: { 'WWW-Authenticate': bearerChallenge(realm, { code: 'invalid_request', description: 'Malformed Authorization header' }) },
  });

/** 403 `insufficient_scope`, naming the scope needed. */
export const insufficientScope = (realm: string, needed: Scope) =>
  new HttpError(403, {
    type: 'insufficient-scope',
    detail: `This operation needs the "${needed}" scope, which the token sent does not have.`,
    headers: { 'WWW-Authenticate': bearerChallenge(realm, { code: 'insufficient_scope', description: `The "${needed}" scope is needed`, scope: needed }) },
    extensions: { scope: needed },
  });
