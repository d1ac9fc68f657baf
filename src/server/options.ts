/** Everything a Rung server can be configured with, and the defaults. */
import type { Logger } from 'pino';
import type { CacheControlPolicy } from '../http/cache-control.js';
import type { ResourceDefinition } from '../resources/definition.js';
import type { PagingOptions } from '../resources/query.js';
import type { Store } from '../store/store.js';

export interface RungOptions {
  resources: ResourceDefinition[];
  /** SQLite file path (default `./data/rung.db`), or `:memory:`. Ignored when `store` is given. */
  db?: string;
  /** A store of your own (e.g. a shared one in tests). */
  store?: Store;
  /** Folder holding the JSON-LD context files (default `./contexts`). */
  contextsDir?: string;
  /** Absolute base URL IRIs are built from (e.g. behind a proxy); default: the request's origin. */
  publicBaseUrl?: string;
  title?: string;
  description?: string;
  /** Largest accepted request body (bytes, or a string such as `1mb`). Default 1 MB. */
  bodyLimit?: number | string;
  /** Deepest nesting of arrays and objects accepted in a request body (default 64). */
  maxJsonDepth?: number;
  paging?: Partial<PagingOptions>;
  /** Make If-Match mandatory on PUT, PATCH and DELETE (428 otherwise). */
  requirePreconditions?: boolean;
  cacheControl?: Partial<CacheControlPolicy>;
  /** Bytes of whole GET responses to keep (default 16 MiB); representations rendered for writes, 304s and custom handlers get half as much. */
  renderCacheBytes?: number;
  logger?: Logger;
}

export interface ResolvedOptions {
  publicBaseUrl?: string;
  title: string;
  description: string;
  bodyLimit: number | string;
  maxJsonDepth: number;
  paging: PagingOptions;
  requirePreconditions: boolean;
  cacheControl: CacheControlPolicy;
  renderCacheBytes: number;
}
