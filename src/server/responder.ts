/**
 * The HTTP layer's half of every successful response: turn a
 * {@link Representation} into status, headers and bytes.
 *
 * - the format was negotiated before the handler ran (`ctx.state.format`);
 * - the ETag is `"<token>-<variant>"`, known without rendering, so a 304 never
 *   renders a body;
 * - a body is rendered once per (resource, token, variant) and kept in the
 *   render cache with its Link header — unless it is a 200 to GET that the
 *   whole-response cache keeps anyway;
 * - a 304 carries the same `Link` set as the 200 would: a cache replaces the
 *   stored header fields with those of a 304 (RFC 9111 §3.2, §4.3.4), so a
 *   shorter set would strip the links off its stored response.
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
import { ownBuffer, type RenderCache, type RenderedEntry } from './render-cache.js';
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
        const entry = await this.render(baseUrl(ctx), ctx.url, representation, format, etag, true, audience);
        ctx.status = 304;
        this.link(ctx, entry);
        return;
      }
      if (outcome === 412) throw preconditionFailed();
    }

    // A 200 to GET that the whole-response cache may keep is neither looked up nor kept here.
    const reusable = status === 200 && !ctx.state.notReusable && (ctx.method === 'GET' || ctx.method === 'HEAD');
    const entry = await this.render(baseUrl(ctx), ctx.url, representation, format, etag, !reusable, audience);
    ctx.status = status;
    ctx.set('Content-Type', entry.contentType);
    this.link(ctx, entry);
    // A complete representation response: the response cache may keep it, with what it depends on.
    ctx.state.representationSent = status === 200;
    ctx.state.dependsOn = representation.dependsOn;
    ctx.body = entry.body;
  }

  /**
   * The entry's Link header already starts with the API documentation link
   * (appended: a custom handler may have set links of its own).
   */
  private link(ctx: Context, entry: RenderedEntry): void {
    ctx.append('Link', entry.link);
    ctx.state.apiDocumentationLinked = true;
  }

  private async render(
    base: string,
    url: string,
    representation: Representation,
    format: Format,
    etag: string,
    keep = true,
    audience?: Audience,
  ): Promise<RenderedEntry> {
    // ISSUE-14 HOOK: each caller's variant is rendered and kept apart (server/audience.ts).
    const key = `${base}|${representation.key}|${representation.token}|${format.key}|${audience?.key ?? ''}`;
    const cached = keep ? this.options.cache.get(key) : undefined;
    if (cached) return cached;
    const document = await representation.build();
    const mayWrite = audience?.mayWrite ?? true;
    const env = new Env(base, this.options.contexts, url, etag, this.options.guide?.(base), mayWrite, (b) => this.options.documentation(b, mayWrite));
    const rendered = await format.render(document, env);
    const entry: RenderedEntry = {
      body: Buffer.from(rendered.body, 'utf8'),
      contentType: format.contentType,
      link: formatLinks([this.options.apiDocumentationLink(base), ...document.links, ...(rendered.links ?? [])]),
    };
    if (keep) this.options.cache.offer(key, () => ({ ...entry, body: ownBuffer(entry.body) }));
    return entry;
  }
}

/** What a format renders with (a class: no closure made per rendering). */
class Env implements RenderEnv {
  constructor(
    readonly base: string,
    readonly contexts: ContextRegistry,
    readonly url: string,
    readonly etag: string,
    readonly guide: string | undefined,
    readonly mayWrite: boolean,
    private readonly docs: (base: string) => Record<string, unknown>,
  ) {}

  documentation(): Record<string, unknown> {
    return this.docs(this.base);
  }
}
