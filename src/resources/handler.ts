/**
 * The handler contract: what a handler of a resource route receives, and
 * what it returns. The generic CRUD handlers (`server/generic-handlers.ts`)
 * and a user's custom handlers see exactly this, and nothing of the server
 * that assembles them.
 *
 * Handlers are Falcon-style: a collection answers `get`/`post`, an item
 * `get`/`put`/`patch`/`delete`. Each returns a {@link Representation} — the
 * resource's state, not bytes — or nothing for 204; the HTTP layer picks the
 * format, evaluates preconditions, and writes status, headers and body.
 */
import type { Context } from 'koa';
import type { HandlerResult, Representation } from '../http/representation.js';
import type { StoredItem, Store } from '../store/store.js';
import type { InputContext } from './input.js';
import type { CollectionQuery, PagingOptions } from './query.js';
import type { Resource } from './resource.js';

/** Builds the representations of one resource type, for the request at hand. */
export interface Representer {
  /** A stored item's representation; 201 adds `Location`. */
  item(item: StoredItem, status?: number): Promise<Representation>;
  /**
   * A stored item's state token: it names every state of the item that any
   * representation could show (its ETag is `"<token>-<variant>"`).
   */
  token(item: StoredItem): Promise<string>;
  /** A page of the collection the request addresses (nested in `parentId` for nested resources). */
  collection(query: CollectionQuery): Promise<Representation>;
  /** The absolute IRI of an item of this resource type. */
  itemIri(id: number, parentId?: number): string;
}

/** How this server treats writes and pages; set by the server's options. */
export interface HandlerPolicy {
  /** 428 for PUT, PATCH and DELETE without If-Match. */
  requirePreconditions: boolean;
  paging: PagingOptions;
}

/** What a handler receives: the request, the resource type it addresses, and the tools to answer it. */
export interface ResourceRequest {
  /** The Koa context: headers and query to read; a custom handler may set headers of its own. */
  ctx: Context;
  /** The resource type the route serves. */
  resource: Resource;
  /** Persistence of every resource type. */
  store: Store;
  /** Absolute base URL IRIs are built from. */
  base: string;
  /** Item id (item routes), checked to be a positive integer. */
  id?: number;
  /** Parent item id (nested resources), checked likewise. */
  parentId?: number;
  /** Parsed request body (writes). */
  body?: unknown;
  /** The write path for this request's body: JSON-LD compaction, schema validation, links to ids. */
  input: InputContext;
  /** Representations of items and pages of `resource`. */
  represent: Representer;
  policy: HandlerPolicy;
  /** The generic handlers, for custom handlers that decorate them. */
  generic: Handlers;
}

export type Handler = (request: ResourceRequest) => Promise<HandlerResult>;

export interface Handlers {
  collection: { get: Handler; post: Handler };
  item: { get: Handler; put: Handler; patch: Handler; delete: Handler };
}

/** Custom handlers a definition may give: any subset. */
export interface CustomHandlers {
  collection?: Partial<Handlers['collection']>;
  item?: Partial<Handlers['item']>;
}
