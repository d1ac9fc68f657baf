/**
 * What the HTTP and resource layers need from persistence. Implemented by
 * SQLite (`sqlite.ts`, embedded, the default) and PostgreSQL (`postgres.ts`,
 * for many instances over one database); `test/store-contract.test.ts` runs
 * the same cases against both. Stores throw the errors of `errors.ts`
 * (a busy or unreachable database, a taken id).
 */
import type { Freshness } from './changes.js';

export type ColumnKind = 'text' | 'integer' | 'real' | 'boolean' | 'json';

export interface ColumnModel {
  name: string;
  kind: ColumnKind;
  /** A link to another table, stored as that table's id. */
  references?: { table: string; onDelete: 'restrict' | 'cascade' };
  /** Filterable or sortable: gets an index. */
  indexed: boolean;
}

export interface TableModel {
  table: string;
  columns: ColumnModel[];
  /** Nested resources: every row belongs to a row of the parent table, deleted with it. */
  parent?: { table: string };
  /** Tables whose rows a delete here may remove by cascade (their versions are bumped too). */
  cascadesTo?: string[];
}

export type Values = Record<string, unknown>;

export interface StoredItem {
  id: number;
  parentId?: number;
  values: Values;
  /** Incremented by every write of this item. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** State of a whole table: every write to any of its rows bumps `version`. */
export interface CollectionState {
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A comparison of one column with a value. */
export interface Comparison {
  column: string;
  /** `contains`: the text value contains `value` as a substring, ignoring case (Unicode lower case). */
  op: '=' | '>=' | '<=' | 'contains';
  value: unknown;
}

/** What `ListQuery.where` combines with AND: a comparison, or `any` of several (OR). */
export type Condition = Comparison | { any: Comparison[] };

export interface ListQuery {
  parentId?: number;
  where: Condition[];
  order: { column: string; descending: boolean }[];
  limit: number;
  offset: number;
}

export type DeleteOutcome = 'deleted' | 'missing' | 'conflict' | { referencedBy: string };

export interface Store {
  readonly kind: string;
  /** Create or migrate tables so they hold every column of the models. */
  migrate(models: TableModel[]): Promise<void>;
  get(model: TableModel, id: number, parentId?: number): Promise<StoredItem | undefined>;
  list(model: TableModel, query: ListQuery): Promise<{ items: StoredItem[]; total: number }>;
  /**
   * Insert a row; `id` may be chosen by the caller (PUT to create). Throws
   * {@link DuplicateIdError} when that id is taken, and (as replace does)
   * {@link MissingReferenceError} when its parent or a linked row is gone.
   */
  insert(model: TableModel, values: Values, options?: { parentId?: number; id?: number }): Promise<StoredItem>;
  /**
   * Replace all values of a row, atomically: only if its version is still
   * `expectedVersion` when one is given ('conflict' otherwise), whatever its
   * version when none is. With `expectedCreatedAt` too, only if the row is
   * still the one created then: an id deleted and created again starts over
   * at version 1, so a version alone does not tell the new row from the old.
   */
  replace(
    model: TableModel,
    id: number,
    values: Values,
    expectedVersion?: number,
    expectedCreatedAt?: Date,
  ): Promise<StoredItem | 'conflict' | 'missing'>;
  /** Delete a row (and what cascades from it), with the same version rule as {@link replace}. */
  delete(model: TableModel, id: number, expectedVersion?: number, expectedCreatedAt?: Date): Promise<DeleteOutcome>;
  /** Does any row of `model` point at `id` through `column`? */
  isReferenced(model: TableModel, column: string, id: number): Promise<boolean>;
  collectionState(model: TableModel): Promise<CollectionState>;
  count(model: TableModel): Promise<number>;
  /**
   * What has changed, at the grain of rows and tables (see `changes.ts`),
   * brought up to date with what other processes or instances committed.
   * Caches in front of the store keep a value while the tags it was made of
   * have not changed since the position they read. Undefined when the store
   * cannot tell: nothing may be reused.
   */
  freshness(): Promise<Freshness | undefined>;
  /** Insert many rows in one transaction (seeding, benchmarks). */
  insertMany(model: TableModel, rows: Values[], parentId?: number): Promise<void>;
  /**
   * Seeding: insert `rows` in one transaction only if the table is empty
   * then; false (and nothing written) when it is not. Safe when several
   * processes or instances start together on one database: exactly one seeds.
   */
  seedIfEmpty(model: TableModel, rows: Values[]): Promise<boolean>;
  /**
   * The cheapest question the database must answer itself (readiness,
   * `GET /health/ready`): resolves when it does, rejects (with a
   * {@link StoreUnavailableError}) when it is closed, gone or unreachable.
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export { DuplicateIdError, MissingReferenceError, StoreUnavailableError } from './errors.js';
export { ANY, rowTags, tableTag, type Change, type Freshness } from './changes.js';
