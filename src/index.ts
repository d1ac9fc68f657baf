/** Rung's public API: what an application built on Rung imports. */
export { createRung, type Rung } from './server/app.js';
export { defineResource, type ResourceDefinition, type RelationDefinition, type ParentDefinition } from './resources/definition.js';
export type { Handler, Handlers, CustomHandlers, ResourceRequest } from './server/generic-handlers.js';
export { itemRepresentation, checkWritePreconditions } from './server/generic-handlers.js';
export type { Representation, Document, LinkSpec } from './http/representation.js';
export { HttpError } from './http/errors.js';
export type { RungOptions } from './server/options.js';
export { SqliteStore } from './store/sqlite.js';
export type { Store } from './store/store.js';
export { startServer, type RunningServer, type ServerOptions } from './server/listen.js';
