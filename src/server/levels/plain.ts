/**
 * Plain JSON for the levels below 3: the same stored items, with an `id`
 * instead of an `@id`, related items as ids (`"location": 220`) instead of
 * IRIs, and no links at all. A {@link Representer} like the level-3 one, so
 * the generic (and custom) handlers run unchanged: only the shape of the
 * answer differs, and the state tokens (hence ETags and If-Match) are the
 * level-3 ones.
 */
import { badParameter } from '../../http/errors.js';
import type { Representation } from '../../http/representation.js';
import type { ResourceRepresenter } from '../../hypermedia/representations.js';
import type { Representer } from '../../resources/handler.js';
import { toStoreQuery, type CollectionQuery } from '../../resources/query.js';
import type { Resource } from '../../resources/resource.js';
import type { Store, StoredItem } from '../../store/store.js';

type Json = Record<string, unknown>;

/** An item as levels 0–2 show it: `id`, the parent's id (nested resources), then the fields. */
export function plainItem(resource: Resource, item: StoredItem): Json {
  const out: Json = { id: item.id };
  if (resource.parent) out[resource.definition.parent!.term] = item.parentId;
  for (const field of resource.fields) if (item.values[field] !== undefined) out[field] = item.values[field];
  return out;
}

/**
 * A body written at levels 0–2, in the terms the write path reads: related
 * items given by id become the IRIs it expects; `id` and the parent's term,
 * which the client may send back as it got them, are dropped when they name
 * the item being written (anything else is left for validation to refuse).
 */
export function fromPlainBody(resource: Resource, base: string, body: unknown, target: { id?: number; parentId?: number }): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const out: Json = { ...(body as Json) };
  if (target.id !== undefined && (out.id === target.id || out.id === String(target.id))) delete out.id;
  const parentTerm = resource.definition.parent?.term;
  if (parentTerm && target.parentId !== undefined && (out[parentTerm] === target.parentId || out[parentTerm] === String(target.parentId))) {
    delete out[parentTerm];
  }
  for (const relation of resource.relations) {
    const value = out[relation.field];
    if ((typeof value === 'number' && Number.isSafeInteger(value) && value > 0) || (typeof value === 'string' && /^[1-9]\d{0,15}$/.test(value))) {
      out[relation.field] = base + relation.target.itemPath(Number(value));
    }
  }
  return out;
}

export class PlainRepresenter implements Representer {
  constructor(
    private readonly inner: ResourceRepresenter,
    private readonly store: Store,
    private readonly resource: Resource,
    /** Where this level serves items (`http://host/levels/2`), for `Location`. */
    private readonly levelBase: string,
    private readonly parentId?: number,
  ) {}

  itemIri(id: number, parentId?: number): string {
    return this.inner.itemIri(id, parentId);
  }

  token(item: StoredItem): Promise<string> {
    return this.inner.token(item);
  }

  async item(item: StoredItem, status = 200): Promise<Representation> {
    const level3 = await this.inner.item(item, status);
    const path = this.resource.itemPath(item.id, item.parentId);
    return {
      ...level3,
      location: status === 201 ? this.levelBase + path : undefined,
      build: () => ({ data: plainItem(this.resource, item), links: [] }),
    };
  }

  async collection(query: CollectionQuery): Promise<Representation> {
    const level3 = await this.inner.collection(query);
    const { resource, store, parentId } = this;
    return {
      ...level3,
      build: async () => {
        const { where, order } = toStoreQuery(resource, query);
        const offset = (query.page - 1) * query.pageSize;
        const page = await store.list(resource.model, { parentId, where, order, limit: query.pageSize, offset });
        if (query.page > 1 && offset >= page.total) {
          const last = Math.max(1, Math.ceil(page.total / query.pageSize));
          throw badParameter('page', `Page ${query.page} is past the last page (${last}).`);
        }
        return {
          data: { total: page.total, page: query.page, pageSize: query.pageSize, items: page.items.map((i) => plainItem(resource, i)) },
          links: [],
        };
      },
    };
  }
}
