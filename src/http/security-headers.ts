/**
 * Security headers on every response:
 *
 * - `X-Content-Type-Options: nosniff` everywhere, so a browser never runs or
 *   renders a body as anything but the type it was sent as (a JSON body
 *   holding `<script>` stays JSON);
 * - on HTML pages, a Content-Security-Policy that allows scripts, styles and
 *   connections to this origin only and no inline code (the browsable API's
 *   script and stylesheet are files of their own), no plugins, no `<base>`,
 *   and no framing by other sites (`frame-ancestors`, which only the header
 *   form can carry).
 *
 * @see https://fetch.spec.whatwg.org/#x-content-type-options-header
 * @see https://www.w3.org/TR/CSP3/
 */
import type { Context, Next } from 'koa';

/** The policy of every HTML page (also in the page's own `<meta>`, for a page saved to disk). */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'";

/** The header form adds what a `<meta>` policy cannot say. */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;

export function securityHeaders() {
  return async function setSecurityHeaders(ctx: Context, next: Next) {
    try {
      await next();
    } finally {
      ctx.set('X-Content-Type-Options', 'nosniff');
      const type = ctx.response.get('Content-Type');
      if (typeof type === 'string' && /^text\/html\b/i.test(type)) ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY_HEADER);
    }
  };
}
