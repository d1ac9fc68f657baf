/**
 * Rung's public API: everything an application built on Rung imports, and
 * nothing more. The example API (src/example/) uses only this.
 */
export { createRung, type Rung } from './server/app.js';
export { startServer, type RunningServer, type ServerOptions } from './server/listen.js';
export { DEFAULT_DB } from './server/runtime.js';
export type { RungOptions, AuthOptions, RateLimitOptions } from './server/options.js';
export { DEFAULT_RATE_LIMIT } from './server/options.js';
export type { CorsSettings } from './server/cors.js';
export { SqliteTokenStore, type SqliteTokenOptions } from './store/sqlite-tokens.js';
export { parseScopes, hashToken, SCOPES, type Scope, type TokenStore, type TokenRecord, type CreatedToken } from './store/tokens.js';
export { defineResource, type ResourceDefinition, type RelationDefinition, type ParentDefinition, type JsonSchema } from './resources/definition.js';
export type { Handler, Handlers, CustomHandlers, ResourceRequest, Representer, HandlerPolicy } from './resources/handler.js';
export type { Resource } from './resources/resource.js';
export type { InputContext } from './resources/input.js';
export type { CollectionQuery, PagingOptions } from './resources/query.js';
export { checkWritePreconditions } from './server/generic-handlers.js';
export type { Representation, Document, LinkSpec } from './http/representation.js';
export { HttpError, type HttpErrorOptions, type Violation } from './http/errors.js';
export { SqliteStore, type SqliteOptions } from './store/sqlite.js';
export { PostgresStore, redactUrl, type PostgresOptions } from './store/postgres.js';
export { PostgresTokenStore, type PostgresTokenOptions } from './store/postgres-tokens.js';
export type { Store, StoredItem, Values, TableModel, ColumnModel, ListQuery, Condition, Comparison, CollectionState, DeleteOutcome } from './store/store.js';
export { StoreUnavailableError, DuplicateIdError, MissingReferenceError } from './store/errors.js';
export { crawl, crawlTree, crawlJson, urlShape, Client, Unreachable, type CrawlOptions, type CrawlResult, type CrawledResource, type CrawlLink, type Exchange } from './crawl/index.js';
export { audit, auditText, auditJson, auditHtml, LEVELS, type AuditOptions, type AuditResult, type Check, type Evidence, type Level } from './audit/index.js';
export { importOpenApi, readOpenApiFile, type ImportedApi } from './openapi/import.js';
export { OpenApiImportError, type ImportProblem } from './openapi/import-problems.js';
export { loadApiFile, createRungFromFile, seedFromFile, type ApiFile, type SeedRows, type FromFileOptions } from './declaration/load.js';
export { ApiFileError, describeProblem, type ApiFileProblem } from './declaration/problems.js';
export type { ApiDeclaration, ResourceDeclaration, RelationDeclaration, PagingDeclaration } from './declaration/schema.js';
