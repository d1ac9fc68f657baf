/**
 * What a handler returns: a resource's state, not bytes. The HTTP layer
 * (`respond.ts`) picks the media type, evaluates preconditions, renders the
 * document once per (state, variant), and writes status and headers.
 */

/** A typed link: body property and, for plain HTTP clients, an RFC 8288 `Link` header. */
export interface LinkSpec {
  rel: string;
  href: string;
  title?: string;
  type?: string;
}

/** A JSON-LD document in compacted form (its `@context` is a URL) and the links to mirror as headers. */
export interface Document {
  data: Record<string, unknown>;
  links: LinkSpec[];
}

/** Kinds of resource; each has its own Cache-Control policy. */
export type ResourceKind = 'item' | 'collection' | 'entrypoint' | 'documentation' | 'context' | 'problemType';

export interface Representation {
  kind: ResourceKind;
  /** Identity of the resource in the render cache, e.g. `/countries?page=2`. */
  key: string;
  /**
   * State token: changes whenever any representation of the resource could
   * change. ETags are `"<token>-<variant>"`.
   */
  token: string;
  lastModified?: Date;
  /** Build the document; called only when no cached rendering exists. */
  build(): Document | Promise<Document>;
  /** Default 200. */
  status?: number;
  /** For 201 Created. */
  location?: string;
  /**
   * The IRI of the resource whose state this is. Sent as `Content-Location`
   * in answer to a write, so the body is identified as that resource's new
   * state (RFC 9110 §6.4.2, §8.7).
   */
  contentLocation?: string;
  /** Restrict the formats this resource offers (e.g. contexts are JSON-LD or JSON only). */
  formats?: string[];
  /**
   * Tags of the stored data the representation is made of (the store's
   * change tags: rows, tables): a whole response is reused while none of
   * them changed. Absent: it may depend on any change.
   */
  dependsOn?: readonly string[];
}

/** A handler returns a representation, or nothing for 204 No Content. */
export type HandlerResult = Representation | undefined;
