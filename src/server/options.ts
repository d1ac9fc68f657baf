/** Everything a Rung server can be configured with, and the defaults. */
import type { Logger } from 'pino';
import type { CacheControlPolicy } from '../http/cache-control.js';
import type { ResourceDefinition } from '../resources/definition.js';
import type { PagingOptions } from '../resources/query.js';
import type { Store } from '../store/store.js';
import type { TokenStore } from '../store/tokens.js';
import type { AnonymousAccess } from '../http/auth.js';
import type { RateLimitSettings } from './rate-limit.js';
import type { CorsSettings } from './cors.js';

/** Bearer tokens and what callers without one may do. */
export interface AuthOptions {
  /**
   * What a caller without a token may do: `none`, `read` (default: GET and
   * HEAD; writes need a token with the `write` scope), or `write` (an open
   * API, e.g. a local playground).
   */
  anonymous?: AnonymousAccess;
  /** The realm named in `WWW-Authenticate` (default: the API's title). */
  realm?: string;
  /** Where tokens are kept (default: table `rung_tokens` in the API's database: the SQLite file `db`, or PostgreSQL). */
  tokens?: TokenStore;
}

/** Requests per window for each client (its token, else its address); `false` turns limiting off. */
export type RateLimitOptions = false | (Partial<Omit<RateLimitSettings, 'limiter'>> & Pick<RateLimitSettings, 'limiter'>);

/** Default rate limit: 1000 requests per 60 s for each client. */
export const DEFAULT_RATE_LIMIT = { requests: 1000, window: 60 };

export interface RungOptions {
  resources: ResourceDefinition[];
  /** SQLite file path (default `./data/rung.db`), or `:memory:`. Ignored when `store` is given. */
  db?: string;
  /**
   * PostgreSQL instead of the SQLite file `db`: `postgres://user:password@host:port/database`.
   * Resources and tokens are kept there, so any number of instances can serve
   * one API (each proves its caches current against the database per request).
   * Ignored when `store` is given.
   */
  databaseUrl?: string;
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
  /**
   * Bytes of whole GET responses to keep (default 16 MiB); representations
   * rendered for writes, 304s and custom handlers get half as much, and the
   * SQLite store's rows an eighth (`rung serve --cache-size`, in MiB).
   */
  renderCacheBytes?: number;
  logger?: Logger;
  /**
   * Also serve the API at Richardson maturity levels 0, 1 and 2 under
   * `/levels/0` … `/levels/2` (same store), with a guide at `/levels`
   * (default false; on for the example API).
   */
  levels?: boolean;
  /** Tokens and anonymous access (default: anonymous read, writes need a token). */
  auth?: AuthOptions;
  /** Per-client rate limit (default 1000 requests per 60 s); `false` turns it off (benchmarks). */
  rateLimit?: RateLimitOptions;
  /** Cross-origin access for browser applications on other origins (default: off). */
  cors?: false | CorsSettings;
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
  levels: boolean;
  auth: { anonymous: AnonymousAccess; realm: string };
  rateLimit: false | RateLimitSettings;
  cors: false | CorsSettings;
}
