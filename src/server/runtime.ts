/**
 * The composition root: one object that holds a running API's compiled
 * resources, store, contexts, builders and HTTP responder. Routes take from
 * it what each handler needs (resources/handler.ts); handlers never see it.
 */
import { resolve } from 'node:path';
import pino, { type Logger } from 'pino';
import { createFormats } from '../formats/index.js';
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
import type { RepresentationSources } from '../hypermedia/representations.js';
import type { HandlerPolicy } from '../resources/handler.js';
import { API_DOCUMENTATION_REL, DOCS_PATH } from '../resources/vocabulary.js';
import type { ResolvedOptions, RungOptions } from './options.js';
import { ResourceRegistry } from '../resources/registry.js';
import { SqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/store.js';

export const DEFAULT_DB = './data/rung.db';

export class Runtime {
  readonly options: ResolvedOptions;
  readonly registry: ResourceRegistry;
  readonly contexts: ContextRegistry;
  readonly store: Store;
  readonly items: ItemBuilder;
  readonly collections: CollectionBuilder;
  readonly documentation: DocumentationBuilder;
  readonly formats: FormatRegistry;
  readonly cache: RenderCache;
  readonly responder: Responder;
  readonly log: Logger;
  /** What every representer shares (see hypermedia/representations.ts). */
  readonly representationSources: RepresentationSources;
  readonly policy: HandlerPolicy;
  /** Short revision of the definitions and contexts, part of every ETag token. */
  readonly revision: string;
  private readonly ownsStore: boolean;

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
    };
    this.log = options.logger ?? pino({ level: 'silent' });
    this.registry = new ResourceRegistry(options.resources);
    this.contexts = new ContextRegistry(resolve(options.contextsDir ?? 'contexts'), this.registry);
    this.revision = this.contexts.token.slice(0, 4);
    this.ownsStore = !options.store;
    this.store = options.store ?? new SqliteStore({ path: options.db ?? DEFAULT_DB });
    this.items = new ItemBuilder(this.contexts);
    this.collections = new CollectionBuilder(this.contexts, this.items);
    this.documentation = new DocumentationBuilder(this.registry, this.contexts, {
      title: this.options.title,
      description: this.options.description,
    });
    this.representationSources = { store: this.store, items: this.items, collections: this.collections, revision: this.revision };
    this.policy = { requirePreconditions: this.options.requirePreconditions, paging: this.options.paging };
    this.formats = createFormats();
    this.cache = new RenderCache(this.options.renderCacheBytes / 2);
    this.responder = new Responder({
      formats: this.formats,
      documentation: (base) => this.documentation.build(base).data,
      apiDocumentationLink: (base) => this.apiDocumentationLink(base),
      contexts: this.contexts,
      cache: this.cache,
      cacheControl: this.options.cacheControl,
    });
  }

  /** Compile the definitions and create or migrate the store's schema. */
  static async create(options: RungOptions): Promise<Runtime> {
    const runtime = new Runtime(options);
    await runtime.store.migrate(runtime.registry.ordered.map((r) => r.model));
    return runtime;
  }

  /** The `Link` to the Hydra API documentation that every response carries. */
  apiDocumentationLink(base: string): LinkSpec {
    return { rel: API_DOCUMENTATION_REL, href: `${base}${DOCS_PATH}` };
  }

  async close(): Promise<void> {
    if (this.ownsStore) await this.store.close();
  }
}
