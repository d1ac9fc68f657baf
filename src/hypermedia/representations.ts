/**
 * Representations of stored data, as the HTTP layer takes them: a state
 * token (the ETag without its variant), a cache key, `Last-Modified`, and a
 * `build` that makes the JSON-LD document only when no rendering is cached.
 * Tokens come from stored versions, never from hashing bytes.
 */
import { badParameter } from '../http/errors.js';
import type { Representation } from '../http/representation.js';
import type { Representer } from '../resources/handler.js';
import { pageKey, toStoreQuery, type CollectionQuery } from '../resources/query.js';
import type { Resource } from '../resources/resource.js';
import { rowTags, tableTag, type Store, type StoredItem } from '../store/store.js';
import type { CollectionBuilder } from './collection.js';
import type { ItemBuilder } from './item.js';

const b36 = (n: number) => n.toString(36);

/** What every representer of an API shares. */
export interface RepresentationSources {
  store: Store;
  items: ItemBuilder;
  collections: CollectionBuilder;
  /** Short revision of the definitions and contexts: part of every token, so a deployment changes every ETag. */
  revision: string;
}

/** The {@link Representer} of one resource type, for one request's base URL and parent item. */
export class ResourceRepresenter implements Representer {
  constructor(
    private readonly sources: RepresentationSources,
    private readonly resource: Resource,
    private readonly base: string,
    private readonly parentId?: number,
    /** May the caller write? A caller who may not is offered no DELETE (see server/audience.ts). */
    private readonly mayWrite = true,
  ) {}

  itemIri(id: number, parentId = this.parentId): string {
    return this.base + this.resource.itemPath(id, parentId);
  }

  /**
   * The definitions' revision, the item's creation time (so a re-created id
   * never matches an old tag), its version, and the versions of collections
   * whose content changes what the item offers (a country can be deleted
   * only while no event refers to it).
   */
  async token(item: StoredItem): Promise<string> {
    const { store, revision } = this.sources;
    let token = `${revision}.${b36(item.createdAt.getTime())}.${b36(item.version)}`;
    for (const inverse of this.resource.inverseRelations) {
      if (inverse.onDelete !== 'restrict') continue;
      const state = await store.collectionState(inverse.from.model);
      token += `.${b36(state.version)}`;
    }
    return token;
  }

  async item(item: StoredItem, status = 200): Promise<Representation> {
    const { resource, base } = this;
    const path = resource.itemPath(item.id, item.parentId);
    return {
      kind: 'item',
      key: path,
      token: await this.token(item),
      lastModified: item.updatedAt,
      // What the token is made of: the row, and the tables whose versions it includes.
      dependsOn: this.itemDependencies(item.id),
      status,
      location: status === 201 ? base + path : undefined,
      contentLocation: base + path,
      build: async () =>
        this.sources.items.build(base, resource, item, {
          canDelete: resource.deleteIsConditional && this.mayWrite ? await this.canDelete(item.id) : undefined,
        }),
    };
  }

  async collection(query: CollectionQuery): Promise<Representation> {
    const { resource, base, parentId } = this;
    const { store, revision, collections } = this.sources;
    const state = await store.collectionState(resource.model);
    return {
      kind: 'collection',
      key: resource.collectionPath(parentId) + pageKey(query),
      token: `${revision}.${b36(state.createdAt.getTime())}.${b36(state.version)}`,
      lastModified: state.updatedAt,
      // The table, and the parent item whose existence the page depends on.
      dependsOn: resource.parent ? [tableTag(resource.model.table), ...rowTags(resource.parent.model.table, parentId!)] : [tableTag(resource.model.table)],
      build: async () => {
        const { where, order } = toStoreQuery(resource, query);
        const offset = (query.page - 1) * query.pageSize;
        const page = await store.list(resource.model, { parentId, where, order, limit: query.pageSize, offset });
        if (query.page > 1 && offset >= page.total) {
          const last = Math.max(1, Math.ceil(page.total / query.pageSize));
          throw badParameter('page', `Page ${query.page} is past the last page (${last}).`);
        }
        return collections.build(base, resource, parentId, query, page);
      },
    };
  }

  /** The store tags an item's representation depends on: its row, and the tables of `restrict` links to it. */
  private itemDependencies(id: number): string[] {
    const tags = rowTags(this.resource.model.table, id);
    for (const inverse of this.resource.inverseRelations) {
      if (inverse.onDelete === 'restrict') tags.push(tableTag(inverse.from.model.table));
    }
    return tags;
  }

  /** Deleting is possible while nothing refers to the item through a `restrict` relation. */
  private async canDelete(id: number): Promise<boolean> {
    for (const inverse of this.resource.inverseRelations) {
      if (inverse.onDelete === 'restrict' && (await this.sources.store.isReferenced(inverse.from.model, inverse.field, id))) {
        return false;
      }
    }
    return true;
  }
}
