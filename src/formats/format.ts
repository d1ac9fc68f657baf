/** A serialisation of a representation for one media type. */
import type { Document, LinkSpec } from '../http/representation.js';
import type { ContextRegistry } from '../resources/contexts.js';

export interface RenderEnv {
  base: string;
  contexts: ContextRegistry;
  /** Path and query of the request, for pages that link to themselves. */
  url: string;
  /** The strong ETag of the variant being rendered (pages embed it to send If-Match). */
  etag: string;
  /** The REST maturity levels guide, when the server serves the levels (pages link to it). */
  guide?: string;
  /** The Hydra ApiDocumentation (compacted JSON-LD), for formats that show operations — as this caller sees it. */
  documentation(): Record<string, unknown>;
  /** May the caller write? A format shows no write controls to one who may not (default true). */
  mayWrite?: boolean;
}

export interface Rendered {
  body: string;
  /** Links this format adds (e.g. plain JSON's context link). */
  links?: LinkSpec[];
}

export interface Format {
  /** Short name used in ETags and cache keys, e.g. `jsonld`, `ttl`. */
  key: string;
  /** The media range offered in negotiation, possibly with a `profile` parameter. */
  mediaType: string;
  /** The Content-Type header sent. */
  contentType: string;
  render(document: Document, env: RenderEnv): Rendered | Promise<Rendered>;
}
