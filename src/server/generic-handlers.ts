/**
 * The generic CRUD handlers, one Falcon-style object per route: a
 * collection answers `get`/`post`, an item `get`/`put`/`patch`/`delete`.
 * Each returns a {@link Representation} (or nothing, for 204); the HTTP
 * layer renders it. A resource definition can replace any one of them and
 * call the generic one it replaces through `request.generic`.
 */
import type { Context } from 'koa';
import { badParameter, conflict, HttpError, notFound } from '../http/errors.js';
import { conditionalHeaders, evaluatePreconditions } from '../http/preconditions.js';
import { preconditionFailed } from './responder.js';
import type { HandlerResult, Representation } from '../http/representation.js';
import { DuplicateIdError, type StoredItem } from '../store/store.js';
import type { Runtime } from './runtime.js';
import { mergePatch, readBody, toValues, type InputContext } from '../resources/input.js';
import { idFromIriOrId } from '../resources/iri.js';
import { pageKey, parseCollectionQuery, toStoreQuery } from '../resources/query.js';
import type { Resource } from '../resources/resource.js';

export interface ResourceRequest {
  ctx: Context;
  runtime: Runtime;
  resource: Resource;
  /** Absolute base URL IRIs are built from. */
  base: string;
  /** Item id (item routes) and parent item id (nested resources). */
  id?: number;
  parentId?: number;
  /** Parsed request body (writes). */
  body?: unknown;
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

const b36 = (n: number) => n.toString(36);

/** The largest id a client may choose with PUT (2^31 - 1). */
export const MAX_CLIENT_ID = 2 ** 31 - 1;

/**
 * State token of an item: the definitions' revision, the item's creation
 * time (so a re-created id never matches an old tag), its version, and the
 * versions of collections whose content changes what the item offers (a
 * country can be deleted only while no event refers to it).
 */
export async function itemToken(request: ResourceRequest, item: StoredItem): Promise<string> {
  const { runtime, resource } = request;
  let token = `${runtime.revision}.${b36(item.createdAt.getTime())}.${b36(item.version)}`;
  for (const inverse of resource.inverseRelations) {
    if (inverse.onDelete !== 'restrict') continue;
    const state = await runtime.store.collectionState(inverse.from.model);
    token += `.${b36(state.version)}`;
  }
  return token;
}

async function canDelete(request: ResourceRequest, id: number): Promise<boolean> {
  for (const inverse of request.resource.inverseRelations) {
    if (inverse.onDelete === 'restrict' && (await request.runtime.store.isReferenced(inverse.from.model, inverse.field, id))) {
      return false;
    }
  }
  return true;
}

export async function itemRepresentation(request: ResourceRequest, item: StoredItem, status = 200): Promise<Representation> {
  const { runtime, resource, base } = request;
  const path = resource.itemPath(item.id, item.parentId);
  return {
    kind: 'item',
    key: path,
    token: await itemToken(request, item),
    lastModified: item.updatedAt,
    status,
    location: status === 201 ? base + path : undefined,
    build: async () =>
      runtime.items.build(base, resource, item, {
        canDelete: resource.deleteIsConditional ? await canDelete(request, item.id) : undefined,
      }),
  };
}

async function requireParent(request: ResourceRequest): Promise<void> {
  const { resource, runtime, parentId } = request;
  if (resource.parent && !(parentId !== undefined && (await runtime.store.get(resource.parent.model, parentId)))) {
    throw notFound(`No ${resource.parent.name} exists at this URL.`);
  }
}

async function current(request: ResourceRequest): Promise<StoredItem | undefined> {
  const { runtime, resource, id, parentId } = request;
  return id === undefined ? undefined : runtime.store.get(resource.model, id, parentId);
}

/** Evaluate If-Match / If-None-Match / If-Unmodified-Since for a write; throws 412 or 428. */
export async function checkWritePreconditions(request: ResourceRequest, item: StoredItem | undefined): Promise<void> {
  const { ctx, runtime, base, resource } = request;
  const outcome = evaluatePreconditions(
    conditionalHeaders(ctx.method, ctx.headers),
    { exists: Boolean(item), token: item && (await itemToken(request, item)), lastModified: item?.updatedAt },
    runtime.options.requirePreconditions,
  );
  if (outcome === 428) {
    throw new HttpError(428, {
      type: 'precondition-required',
      title: 'Precondition Required',
      detail: `This server requires conditional writes: send If-Match with the ETag you last received${item ? '' : ' (or If-None-Match: * to create)'}.`,
      links: item ? [{ rel: 'current', href: base + resource.itemPath(item.id, item.parentId) }] : [],
    });
  }
  if (outcome === 412) throw preconditionFailed(item ? base + resource.itemPath(item.id, item.parentId) : undefined);
}

/** Did the client make this write depend on the state it last saw? @see RFC 9110 §13.1 */
function isConditional(ctx: Context): boolean {
  const h = ctx.headers;
  return h['if-match'] !== undefined || h['if-unmodified-since'] !== undefined || h['if-none-match'] !== undefined;
}

/** An attempt found the item changed (or created) by another writer between its read and its write. */
const LOST_RACE = Symbol('lost race');

/** Attempts an unconditional write gets before it gives up with 503. */
const MAX_WRITE_ATTEMPTS = 16;

/**
 * Run a read-modify-write of the request's item. The write is conditional on
 * the version read, so a concurrent writer cannot be overwritten unseen; when
 * it wins the race in between:
 *
 * - a request with a precondition (If-Match…) gets 412: the state it named is gone;
 * - a request without one asked for no particular state, so it must never get
 *   412 (RFC 9110 §13.1): the attempt runs again on the new state.
 *
 * Preconditions are evaluated against the first read only, because only a
 * conditional request that loses the race is answered 412 rather than retried.
 */
async function withRaceRetry(
  request: ResourceRequest,
  attempt: (item: StoredItem | undefined) => Promise<Representation | typeof LOST_RACE>,
): Promise<Representation> {
  const conditional = isConditional(request.ctx);
  for (let n = 0; n < MAX_WRITE_ATTEMPTS; n++) {
    const item = await current(request);
    if (n === 0) await checkWritePreconditions(request, item);
    const outcome = await attempt(item);
    if (outcome !== LOST_RACE) return outcome;
    if (conditional) throw preconditionFailed(request.base + request.resource.itemPath(request.id!, request.parentId));
  }
  throw new HttpError(503, {
    type: 'service-unavailable',
    title: 'Service Unavailable',
    detail: `This ${request.resource.name} is being changed by many writers at once; nothing was changed. Retry shortly.`,
    headers: { 'Retry-After': '1' },
    expose: true,
  });
}

function inputContext(request: ResourceRequest, target?: string): InputContext {
  const { base, resource, runtime, ctx } = request;
  return { base, resource, contexts: runtime.contexts, store: runtime.store, target, mediaType: ctx.request.type || undefined };
}

/** Would writing `values` change nothing? Then there is no write, and no new version. */
function unchanged(resource: Resource, item: StoredItem, values: Record<string, unknown>): boolean {
  return resource.fields.every((f) => JSON.stringify(item.values[f]) === JSON.stringify(values[f]));
}

/** The item as the API shows it (links as IRIs): the starting point of a merge patch. */
function apiValues(request: ResourceRequest, item: StoredItem): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(item.values)) {
    const relation = request.resource.relation(field);
    out[field] = relation ? request.base + relation.target.itemPath(value as number) : value;
  }
  return out;
}

export const genericHandlers: Handlers = {
  collection: {
    async get(request) {
      const { ctx, runtime, resource, base, parentId } = request;
      await requireParent(request);
      const q = parseCollectionQuery(resource, ctx.query, runtime.options.paging, (target, value) =>
        idFromIriOrId(base, target, value),
      );
      const state = await runtime.store.collectionState(resource.model);
      return {
        kind: 'collection',
        key: resource.collectionPath(parentId) + pageKey(q),
        token: `${runtime.revision}.${b36(state.createdAt.getTime())}.${b36(state.version)}`,
        lastModified: state.updatedAt,
        build: async () => {
          const { where, order } = toStoreQuery(resource, q);
          const offset = (q.page - 1) * q.pageSize;
          const page = await runtime.store.list(resource.model, { parentId, where, order, limit: q.pageSize, offset });
          if (q.page > 1 && offset >= page.total) {
            const last = Math.max(1, Math.ceil(page.total / q.pageSize));
            throw badParameter('page', `Page ${q.page} is past the last page (${last}).`);
          }
          return runtime.collections.build(base, resource, parentId, q, page);
        },
      };
    },

    async post(request) {
      const { runtime, resource, parentId } = request;
      await requireParent(request);
      const input = inputContext(request);
      const { body, violations } = await readBody(request.body, input);
      const values = await toValues(body, input, violations);
      const item = await runtime.store.insert(resource.model, values, { parentId });
      return itemRepresentation(request, item, 201);
    },
  },

  item: {
    async get(request) {
      const item = await current(request);
      if (!item) throw notFound();
      return itemRepresentation(request, item);
    },

    async put(request) {
      const { runtime, resource, base, id, parentId } = request;
      await requireParent(request);
      const input = inputContext(request, base + resource.itemPath(id!, parentId));
      let body: Awaited<ReturnType<typeof readBody>> | undefined;
      return withRaceRetry(request, async (item) => {
        body ??= await readBody(request.body, input);
        const values = await toValues(body.body, input, body.violations);
        if (!item) {
          // Server-generated ids continue after the largest one: a client-chosen id near
          // 2^53 would push them past the integers JavaScript can represent.
          if (id! > MAX_CLIENT_ID) throw conflict(`A client can create items at ids up to ${MAX_CLIENT_ID}; POST to the collection to get one assigned.`);
          const taken = await runtime.store.get(resource.model, id!);
          if (taken && taken.parentId !== parentId) {
            throw conflict(`The id ${id} is taken by ${resource.withArticle} elsewhere; choose another.`);
          }
          if (taken) return LOST_RACE; // created here since our read
          try {
            return itemRepresentation(request, await runtime.store.insert(resource.model, values, { parentId, id }), 201);
          } catch (err) {
            if (err instanceof DuplicateIdError) return LOST_RACE;
            throw err;
          }
        }
        if (unchanged(resource, item, values)) return itemRepresentation(request, item);
        const updated = await runtime.store.replace(resource.model, item.id, values, item.version);
        return typeof updated === 'string' ? LOST_RACE : itemRepresentation(request, updated);
      });
    },

    async patch(request) {
      const { runtime, resource, base, id, parentId } = request;
      const input = inputContext(request, base + resource.itemPath(id!, parentId));
      let patch: Awaited<ReturnType<typeof readBody>> | undefined;
      return withRaceRetry(request, async (item) => {
        if (!item) throw notFound();
        patch ??= await readBody(request.body, input);
        const merged = mergePatch(apiValues(request, item), patch.body) as Record<string, unknown>;
        const values = await toValues(merged, input, patch.violations);
        if (unchanged(resource, item, values)) return itemRepresentation(request, item);
        const updated = await runtime.store.replace(resource.model, item.id, values, item.version);
        return typeof updated === 'string' ? LOST_RACE : itemRepresentation(request, updated);
      });
    },

    async delete(request) {
      const { runtime, resource, base, parentId } = request;
      const item = await current(request);
      if (!item) throw notFound();
      await checkWritePreconditions(request, item);
      for (const inverse of resource.inverseRelations) {
        if (inverse.onDelete !== 'restrict') continue;
        if (await runtime.store.isReferenced(inverse.from.model, inverse.field, item.id)) {
          const href = `${base}${inverse.from.collectionPath()}?${inverse.field}=${item.id}`;
          throw new HttpError(409, {
            type: 'still-referenced',
            title: 'Conflict',
            detail: `This ${resource.name} is still the ${inverse.field} of ${inverse.from.segment}; delete or change them first.`,
            links: [{ rel: 'related', href }],
          });
        }
      }
      // Without a precondition the client deletes whatever version is current.
      const outcome = await runtime.store.delete(resource.model, item.id, isConditional(request.ctx) ? item.version : undefined);
      if (outcome === 'conflict') throw preconditionFailed(base + resource.itemPath(item.id, parentId));
      if (outcome === 'missing') throw notFound();
      if (typeof outcome === 'object') throw conflict(`This ${resource.name} is still referred to by ${outcome.referencedBy}.`);
      return undefined;
    },
  },
};
