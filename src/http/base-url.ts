import type { Context } from 'koa';

/**
 * The absolute origin IRIs are built from: the configured public base URL,
 * or the origin the request was made to. Hydra clients (alcaeus) drop
 * resources whose `@id` origin differs from the URL they requested, so this
 * must never be a hard-coded host.
 */
export function baseUrl(ctx: Context): string {
  // Computed once per request; Koa 3's ctx.origin is the Origin *header*, not the request's origin.
  return (ctx.state.base ??= (ctx.state.publicBaseUrl as string | undefined) ?? `${ctx.protocol}://${ctx.host}`);
}
