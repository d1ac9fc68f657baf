/**
 * The composition root: one object that holds a running API's compiled
 * resources, store, contexts, builders and HTTP responder. Routes take from
 * it what each handler needs (resources/handler.ts); handlers never see it.
 */
import { resolve } from 'node:path';
import pino, { type Logger } from 'pino';
import { createFormats, REQUEST_TYPES } from '../formats/index.js';
import type { FormatRegistry } from '../formats/registry.js';
import { DEFAULT_CACHE_CONTROL } from '../http/cache-control.js';
import { DEFAULT_MAX_JSON_DEPTH } from '../http/json-depth.js';
import { RenderCache } from './render-cache.js';
import { Responder } from './responder.js';
import type { LinkSpec } from '../http/representation.js';
import { CollectionBuilder } from '../hypermedia/collection.js';
import { ContextRegistry } from '../resources/contexts.js';
import { DocumentationBuilder } from '../hypermedia/documentation.js';
import { ItemBuilder } from '../hypermedia/item.js';
import { OpenApiBuilder } from '../openapi/document.js';
import type { RepresentationSources } from '../hypermedia/representations.js';
import type { HandlerPolicy } from '../resources/handler.js';
import { API_DOCUMENTATION_REL, DOCS_PATH } from '../resources/vocabulary.js';
import { DEFAULT_RATE_LIMIT, type ResolvedOptions, type RungOptions } from './options.js';
import { ResourceRegistry } from '../resources/registry.js';
import { SqliteStore } from '../store/sqlite.js';
import { PostgresStore } from '../store/postgres.js';
import { PostgresTokenStore } from '../store/postgres-tokens.js';
import { guideUrl } from './levels/paths.js';
import type { Store } from '../store/store.js';
import { SqliteTokenStore } from '../store/sqlite-tokens.js';
import type { TokenStore } from '../store/tokens.js';

export const DEFAULT_DB = './data/rung.db';

/**
 * The SQLite file tokens are kept in: the API's own file (`db`, or the file
 * of a SQLite store given as `store`), so `rung token create --db <file>`
 * reaches the server's tokens. A store in memory, or of another engine,
 * gets tokens in a memory database of their own (create them through
 * `rung.tokens`), unless `auth.tokens` is given.
 */
function tokenDatabase(options: RungOptions, store: Store): string {
  if (!options.store) return options.db ?? DEFAULT_DB;
  const db = store instanceof SqliteStore ? store.db : undefined;
  return db && !db.memory ? db.name : ':memory:';
}

export class Runtime {
  readonly options: ResolvedOptions;
  readonly registry: ResourceRegistry;
  readonly contexts: ContextRegistry;
  readonly store: Store;
  readonly items: ItemBuilder;
  readonly collections: CollectionBuilder;
  readonly documentation: DocumentationBuilder;
  /** The OpenAPI 3.1 description of the same resources (`/openapi.json`). */
  readonly openapi: OpenApiBuilder;
  readonly formats: FormatRegistry;
  readonly cache: RenderCache;
  readonly responder: Responder;
  readonly log: Logger;
  /** True when createRung was given no logger: Rung's own, silent until startServer sets its level. */
  readonly defaultLogger: boolean;
  /** What every representer shares (see hypermedia/representations.ts). */
  readonly representationSources: RepresentationSources;
  readonly policy: HandlerPolicy;
  /** Short revision of the definitions and contexts, part of every ETag token. */
  readonly revision: string;
  /** Bearer tokens (hashes only), in the same database as the resources by default. */
  readonly tokens: TokenStore;
  /** Set by `startServer`'s stop: the server drains, readiness answers 503. */
  draining = false;
  private readonly ownsStore: boolean;
  private readonly ownsTokens: boolean;

  private constructor(options: RungOptions) {
    this.options = {
      publicBaseUrl: options.publicBaseUrl?.replace(/\/$/, ''),
      title: options.title ?? 'Rung API',
      description: options.description ?? 'A hypermedia API served by Rung',
      bodyLimit: options.bodyLimit ?? '1mb',
      maxJsonDepth: options.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH,
      paging: { defaultPageSize: 20, maxPageSize: 100, ...options.paging },
      requirePreconditions: options.requirePreconditions ?? false,
      cacheControl: { ...DEFAULT_CACHE_CONTROL, ...options.cacheControl },
      renderCacheBytes: options.renderCacheBytes ?? 16 * 1024 * 1024,
      levels: options.levels ?? false,
      auth: { anonymous: options.auth?.anonymous ?? 'read', realm: options.auth?.realm ?? options.title ?? 'Rung API' },
      rateLimit: options.rateLimit === false ? false : { ...DEFAULT_RATE_LIMIT, ...options.rateLimit },
      cors: options.cors ?? false,
    };
    this.defaultLogger = !options.logger;
    this.log = options.logger ?? pino({ level: 'silent', base: undefined });
    this.registry = new ResourceRegistry(options.resources);
    this.contexts = new ContextRegistry(resolve(options.contextsDir ?? 'contexts'), this.registry);
    this.revision = this.contexts.token.slice(0, 4);
    this.ownsStore = !options.store;
    this.store =
      options.store ??
      (options.databaseUrl
        ? new PostgresStore({ connectionString: options.databaseUrl })
        : // Rows get an eighth of the response budget: 2 MiB at the default 16.
          new SqliteStore({ path: options.db ?? DEFAULT_DB, rowCacheBytes: Math.floor(this.options.renderCacheBytes / 8) }));
    this.ownsTokens = !options.auth?.tokens;
    // On PostgreSQL, tokens live in the same database (through the store's pool): every instance knows them.
    this.tokens =
      options.auth?.tokens ??
      (this.store instanceof PostgresStore
        ? new PostgresTokenStore({ pool: this.store.pool })
        : new SqliteTokenStore({ path: tokenDatabase(options, this.store) }));
    this.items = new ItemBuilder(this.contexts);
    this.collections = new CollectionBuilder(this.contexts, this.items);
    this.documentation = new DocumentationBuilder(this.registry, this.contexts, {
      title: this.options.title,
      description: this.options.description,
    });
    this.representationSources = { store: this.store, items: this.items, collections: this.collections, revision: this.revision };
    this.policy = { requirePreconditions: this.options.requirePreconditions, paging: this.options.paging };
    this.formats = createFormats();
    this.openapi = new OpenApiBuilder(this.registry, {
      title: this.options.title,
      description: this.options.description,
      paging: this.options.paging,
      requirePreconditions: this.options.requirePreconditions,
      formats: this.formats.formats.map((f) => ({ key: f.key, contentType: f.contentType })),
      // Contexts and problem types are offered in these formats only (routes.ts, http/problem-types.ts).
      documentFormats: ['jsonld', 'compacted', 'json'],
      requestTypes: REQUEST_TYPES,
      contextFiles: this.contexts.fileNames,
      anonymous: this.options.auth.anonymous,
    });
    this.cache = new RenderCache(this.options.renderCacheBytes / 2);
    this.responder = new Responder({
      formats: this.formats,
      documentation: (base, mayWrite) => this.documentation.build(base, mayWrite).data,
      apiDocumentationLink: (base) => this.apiDocumentationLink(base),
      contexts: this.contexts,
      cache: this.cache,
      cacheControl: this.options.cacheControl,
      guide: this.options.levels ? (base) => guideUrl(base) : undefined,
    });
  }

  /** Compile the definitions and create or migrate the store's schema. */
  static async create(options: RungOptions): Promise<Runtime> {
    const runtime = new Runtime(options);
    try {
      await runtime.store.migrate(runtime.registry.ordered.map((r) => r.model));
    } catch (err) {
      // A database that cannot be reached must not leave a pool (and the process) running.
      await runtime.close().catch(() => undefined);
      throw err;
    }
    return runtime;
  }

  /** The `Link` to the Hydra API documentation that every response carries. */
  apiDocumentationLink(base: string): LinkSpec {
    return { rel: API_DOCUMENTATION_REL, href: `${base}${DOCS_PATH}` };
  }

  async close(): Promise<void> {
    if (this.ownsTokens) await this.tokens.close();
    if (this.ownsStore) await this.store.close();
  }
}
