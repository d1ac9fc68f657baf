/**
 * The generic CRUD handlers, one Falcon-style object per route (see
 * `resources/handler.ts` for the contract). Each returns a representation,
 * or nothing for 204; the responder renders it. A resource definition can
 * replace any one of them and call the one it replaces through
 * `request.generic`.
 */
import { conflict, HttpError, notFound } from '../http/errors.js';
import { conditionalHeaders, evaluatePreconditions, hasWritePrecondition, preconditionFailed, preconditionRequired } from '../http/preconditions.js';
import type { Representation } from '../http/representation.js';
import type { Handlers, ResourceRequest } from '../resources/handler.js';
import { mergePatch, readBody, toValues } from '../resources/input.js';
import { idFromIriOrId } from '../resources/iri.js';
import { parseCollectionQuery } from '../resources/query.js';
import type { Resource } from '../resources/resource.js';
import { DuplicateIdError, MissingReferenceError, type StoredItem } from '../store/store.js';

/** The largest id a client may choose with PUT (2^31 - 1). */
export const MAX_CLIENT_ID = 2 ** 31 - 1;

async function requireParent(request: ResourceRequest): Promise<void> {
  const { resource, store, parentId } = request;
  if (resource.parent && !(parentId !== undefined && (await store.get(resource.parent.model, parentId)))) {
    throw notFound(`No ${resource.parent.name} exists at this URL.`);
  }
}

/**
 * A write refused because its parent or a linked item was deleted after the
 * checks: when the parent is gone the answer is the 404 the checks would have
 * given; otherwise the store's 409.
 */
async function referenceGone(request: ResourceRequest, err: unknown): Promise<never> {
  if (err instanceof MissingReferenceError) await requireParent(request);
  throw err;
}

async function current(request: ResourceRequest): Promise<StoredItem | undefined> {
  const { store, resource, id, parentId } = request;
  return id === undefined ? undefined : store.get(resource.model, id, parentId);
}

/** Evaluate If-Match / If-None-Match / If-Unmodified-Since for a write; throws 412 or 428. */
export async function checkWritePreconditions(request: ResourceRequest, item: StoredItem | undefined): Promise<void> {
  const { ctx, represent, policy } = request;
  const outcome = evaluatePreconditions(
    conditionalHeaders(ctx.method, ctx.headers),
    { exists: Boolean(item), token: item && (await represent.token(item)), lastModified: item?.updatedAt },
    policy.requirePreconditions,
  );
  const currentIri = item && represent.itemIri(item.id, item.parentId);
  if (outcome === 428) throw preconditionRequired(currentIri);
  if (outcome === 412) throw preconditionFailed(currentIri);
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
  const conditional = hasWritePrecondition(request.ctx.headers);
  for (let n = 0; n < MAX_WRITE_ATTEMPTS; n++) {
    const item = await current(request);
    if (n === 0) await checkWritePreconditions(request, item);
    const outcome = await attempt(item);
    if (outcome !== LOST_RACE) return outcome;
    if (conditional) throw preconditionFailed(request.represent.itemIri(request.id!));
  }
  throw new HttpError(503, {
    type: 'service-unavailable',
    title: 'Service Unavailable',
    detail: `This ${request.resource.name} is being changed by many writers at once; nothing was changed. Retry shortly.`,
    headers: { 'Retry-After': '1' },
    expose: true,
  });
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
      const { ctx, resource, base, policy } = request;
      await requireParent(request);
      const query = parseCollectionQuery(resource, ctx.query, policy.paging, (target, value) => idFromIriOrId(base, target, value));
      return request.represent.collection(query);
    },

    async post(request) {
      const { store, resource, parentId, input } = request;
      await requireParent(request);
      const { body, violations } = await readBody(request.body, input);
      const values = await toValues(body, input, violations);
      const item = await store.insert(resource.model, values, { parentId }).catch((err) => referenceGone(request, err));
      return request.represent.item(item, 201);
    },
  },

  item: {
    async get(request) {
      const item = await current(request);
      if (!item) throw notFound();
      return request.represent.item(item);
    },

    async put(request) {
      const { store, resource, id, parentId, input, represent } = request;
      await requireParent(request);
      let body: Awaited<ReturnType<typeof readBody>> | undefined;
      return withRaceRetry(request, async (item) => {
        body ??= await readBody(request.body, input);
        const values = await toValues(body.body, input, body.violations);
        if (!item) {
          // Server-generated ids continue after the largest one: a client-chosen id near
          // 2^53 would push them past the integers JavaScript can represent.
          if (id! > MAX_CLIENT_ID) throw conflict(`A client can create items at ids up to ${MAX_CLIENT_ID}; POST to the collection to get one assigned.`);
          const taken = await store.get(resource.model, id!);
          if (taken && taken.parentId !== parentId) {
            throw conflict(`The id ${id} is taken by ${resource.withArticle} elsewhere; choose another.`);
          }
          if (taken) return LOST_RACE; // created here since our read
          try {
            return represent.item(await store.insert(resource.model, values, { parentId, id }), 201);
          } catch (err) {
            if (err instanceof DuplicateIdError) return LOST_RACE;
            return referenceGone(request, err);
          }
        }
        if (unchanged(resource, item, values)) return represent.item(item);
        const updated = await store.replace(resource.model, item.id, values, item.version, item.createdAt);
        return typeof updated === 'string' ? LOST_RACE : represent.item(updated);
      });
    },

    async patch(request) {
      const { store, resource, input, represent } = request;
      let patch: Awaited<ReturnType<typeof readBody>> | undefined;
      return withRaceRetry(request, async (item) => {
        if (!item) throw notFound();
        patch ??= await readBody(request.body, input);
        const merged = mergePatch(apiValues(request, item), patch.body) as Record<string, unknown>;
        const values = await toValues(merged, input, patch.violations);
        if (unchanged(resource, item, values)) return represent.item(item);
        const updated = await store.replace(resource.model, item.id, values, item.version, item.createdAt);
        return typeof updated === 'string' ? LOST_RACE : represent.item(updated);
      });
    },

    async delete(request) {
      const { store, resource, base, represent } = request;
      const item = await current(request);
      if (!item) throw notFound();
      await checkWritePreconditions(request, item);
      for (const inverse of resource.inverseRelations) {
        if (inverse.onDelete !== 'restrict') continue;
        if (await store.isReferenced(inverse.from.model, inverse.field, item.id)) {
          const href = `${base}${inverse.from.collectionPath()}?${inverse.field}=${item.id}`;
          throw new HttpError(409, {
            type: 'still-referenced',
            title: 'Conflict',
            detail: `This ${resource.name} is still the ${inverse.field} of ${inverse.from.segment}; delete or change them first.`,
            links: [{ rel: 'related', href }],
          });
        }
      }
      // Without a precondition the client deletes whatever version is current; with one,
      // the version it was checked against, of the same life of the id (see Store.replace).
      const conditional = hasWritePrecondition(request.ctx.headers);
      const outcome = await store.delete(resource.model, item.id, conditional ? item.version : undefined, conditional ? item.createdAt : undefined);
      if (outcome === 'conflict') throw preconditionFailed(represent.itemIri(item.id, item.parentId));
      if (outcome === 'missing') throw notFound();
      if (typeof outcome === 'object') throw conflict(`This ${resource.name} is still referred to by ${outcome.referencedBy}.`);
      return undefined;
    },
  },
};
