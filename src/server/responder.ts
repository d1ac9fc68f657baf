/**
 * The HTTP layer's half of every successful response: turn a
 * {@link Representation} into status, headers and bytes.
 *
 * - the format was negotiated before the handler ran (`ctx.state.format`);
 * - the ETag is `"<token>-<variant>"`, known without rendering, so a 304 never
 *   renders a body;
 * - a body is rendered once per (resource, token, variant) and kept in the
 *   render cache with its Link header.
 */
import type { Context } from 'koa';
import type { Format, RenderEnv } from '../formats/format.js';
import type { FormatRegistry } from '../formats/registry.js';
import type { ContextRegistry } from '../resources/contexts.js';
import { baseUrl } from '../http/base-url.js';
import { privateCacheControl, type CacheControlPolicy } from '../http/cache-control.js';
import { formatEtag } from '../http/etag.js';
import { formatLinks } from '../http/link-header.js';
import { FormatChooser, notAcceptable } from '../http/negotiation.js';
import { conditionalHeaders, evaluatePreconditions, preconditionFailed } from '../http/preconditions.js';
import type { RenderCache, RenderedEntry } from './render-cache.js';
import type { LinkSpec, Representation } from '../http/representation.js';
import { audienceVariant, CALLER_DEPENDENT_KINDS, requestAudience, type Audience } from './audience.js';

export interface ResponderOptions {
  formats: FormatRegistry;
  /** The `Link` to the API documentation every response carries. */
  apiDocumentationLink(base: string): LinkSpec;
  /** The ApiDocumentation for a base URL (HTML shows its operations as forms), as a caller who may (not) write sees it. */
  documentation(base: string, mayWrite: boolean): Record<string, unknown>;
  contexts: ContextRegistry;
  cache: RenderCache;
  cacheControl: CacheControlPolicy;
  /** The levels guide's URL, when the levels are served (HTML pages link to it). */
  guide?(base: string): string;
}

export class Responder {
  constructor(private readonly options: ResponderOptions) {}

  /** Negotiate the response format from Accept, among `formats` (all by default). 406 when none fits. */
  negotiate(ctx: Context, keys?: string[]): Format {
    const cacheKey = keys ? keys.join(',') : '';
    let chooser = this.choosers.get(cacheKey);
    if (!chooser) {
      chooser = new FormatChooser(this.options.formats.only(keys));
      this.choosers.set(cacheKey, chooser);
    }
    const format = chooser.choose(ctx.get('Accept') || undefined);
    if (!format) throw notAcceptable(this.options.formats.only(keys));
    return format;
  }

  /** One memoising chooser per set of offered formats. */
  private readonly choosers = new Map<string, FormatChooser<Format>>();

  /** Write `representation` (or 204 when there is none) to the response. */
  async send(ctx: Context, representation: Representation | undefined): Promise<void> {
    // Appended, not set: CORS adds `Origin` (server/cors.ts).
    ctx.vary('Accept');
    if (!representation) {
      ctx.status = 204;
      return;
    }
    let format: Format = ctx.state.format ?? this.negotiate(ctx);
    if (representation.formats && !representation.formats.includes(format.key)) {
      format = this.negotiate(ctx, representation.formats);
    }
    // ISSUE-14 HOOK: a representation that shows operations depends on the caller (server/audience.ts).
    const audience = CALLER_DEPENDENT_KINDS.has(representation.kind) ? requestAudience(ctx) : undefined;
    const etag = formatEtag(representation.token, audience ? format.key + audienceVariant(audience) : format.key);
    const status = representation.status ?? 200;
    ctx.set('ETag', etag);
    const cacheControl = this.options.cacheControl[representation.kind];
    ctx.set('Cache-Control', audience ? privateCacheControl(cacheControl) : cacheControl);
    if (audience) ctx.vary('Authorization');
    if (representation.lastModified) ctx.set('Last-Modified', representation.lastModified.toUTCString());
    if (representation.location) ctx.set('Location', representation.location);
    if (representation.contentLocation && ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('Content-Location', representation.contentLocation); // RFC 9110 §6.4.2
    }

    const h = ctx.headers;
    const conditional = h['if-none-match'] || h['if-modified-since'] || h['if-match'] || h['if-unmodified-since'];
    if (conditional && status === 200 && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
      const outcome = evaluatePreconditions(conditionalHeaders(ctx.method, ctx.headers), {
        exists: true,
        token: representation.token,
        etag,
        lastModified: representation.lastModified,
      });
      if (outcome === 304) {
        ctx.status = 304;
        return;
      }
      if (outcome === 412) throw preconditionFailed();
    }

    const base = baseUrl(ctx);
    const entry = await this.render(base, ctx.url, representation, format, etag, audience);
    ctx.status = status;
    ctx.set('Content-Type', entry.contentType);
    // The entry's Link header already starts with the API documentation link
    // (appended: a custom handler may have set links of its own).
    ctx.append('Link', entry.link);
    ctx.state.apiDocumentationLinked = true;
    // A complete representation response: the response cache may keep it.
    ctx.state.representationSent = status === 200;
    ctx.body = entry.body;
  }

  private async render(base: string, url: string, representation: Representation, format: Format, etag: string, audience?: Audience): Promise<RenderedEntry> {
    const key = `${base}|${representation.key}|${representation.token}|${format.key}|${audience?.key ?? ''}`;
    const cached = this.options.cache.get(key);
    if (cached) return cached;
    const document = await representation.build();
    const env: RenderEnv = {
      base,
      contexts: this.options.contexts,
      url,
      etag,
      guide: this.options.guide?.(base),
      documentation: () => this.options.documentation(base, audience?.mayWrite ?? true),
      mayWrite: audience?.mayWrite ?? true,
    };
    const rendered = await format.render(document, env);
    const entry: RenderedEntry = {
      body: Buffer.from(rendered.body, 'utf8'),
      contentType: format.contentType,
      link: formatLinks([this.options.apiDocumentationLink(base), ...document.links, ...(rendered.links ?? [])]),
    };
    this.options.cache.set(key, entry);
    return entry;
  }
}
