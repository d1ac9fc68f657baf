/**
 * What the SQLite store keeps in process memory between reads: collection
 * states, list counts, the values of referencing columns, and rows in an LRU
 * bounded in bytes (a row is admitted from its second read on). A write
 * (ours, or another process's seen through the change log) drops exactly the
 * rows and tables it changed (see {@link ReadCache.drop}).
 */
import type { CollectionState, StoredItem } from './store.js';
import type { Change } from './changes.js';
import { ByteLru, Doorkeeper } from './lru.js';

/** Distinct values of a referencing column kept in memory (see {@link ReadCache.referencedValues}). */
const REFERENCED_LIMIT = 1024;

/** Rough bytes of a cached row, for the row cache's budget. */
function rowBytes(item: StoredItem): number {
  let n = 160;
  for (const value of Object.values(item.values)) n += typeof value === 'string' ? 2 * value.length + 16 : 16;
  return n;
}

const rowKey = (table: string, id: number) => `${table}#${id}`;

export class ReadCache {
  private readonly states = new Map<string, CollectionState>();
  private readonly rows: ByteLru<StoredItem>;
  /**
   * The values of a referencing column (`table.column`), while its table is
   * unchanged and they are few: "does anything refer to this row?" is then a
   * lookup. `'many'`: past {@link REFERENCED_LIMIT}, ask the database.
   */
  private readonly referenced = new Map<string, Set<unknown> | 'many'>();
  /** Row counts of list queries, per table, while it is unchanged. */
  private readonly counts = new Map<string, Map<string, number>>();
  /** A row is cached when it is read a second time (see lru.ts). */
  private readonly readOnce = new Doorkeeper(8192);

  /** `rowCacheBytes`: the budget of the rows, in bytes (default 2 MiB, at least 1 KiB). */
  constructor(rowCacheBytes?: number) {
    this.rows = new ByteLru<StoredItem>(Math.max(rowCacheBytes ?? 2 * 1024 * 1024, 1024), rowBytes);
  }

  /** Cached reads made stale by `changes`. */
  drop(changes: readonly Change[] | 'everything'): void {
    if (changes === 'everything') {
      this.states.clear();
      this.rows.clear();
      this.referenced.clear();
      this.counts.clear();
      return;
    }
    for (const { table } of changes) {
      this.states.delete(table);
      this.counts.delete(table);
      for (const key of this.referenced.keys()) if (key.startsWith(`${table}.`)) this.referenced.delete(key);
    }
    this.dropRows(changes);
  }

  /** Cached rows named by `changes` (every row of a table changed as a whole). */
  dropRows(changes: readonly Change[]): void {
    for (const { table, id } of changes) {
      if (id !== undefined) this.rows.delete(rowKey(table, id));
      else for (const key of [...this.rows.keys()]) if (key.startsWith(`${table}#`)) this.rows.delete(key);
    }
  }

  row(table: string, id: number): StoredItem | undefined {
    return this.rows.get(rowKey(table, id));
  }

  /** A row just read: kept from its second read on (random reads over many rows would only churn the cache). */
  admit(table: string, id: number, item: StoredItem): void {
    const key = rowKey(table, id);
    if (this.readOnce.admit(key)) this.rows.set(key, item);
  }

  /** A row just written: kept at once. */
  remember(table: string, item: StoredItem): void {
    this.rows.set(rowKey(table, item.id), item);
  }

  /** The row count of a list query (`key`: its SQL and parameters), from `load` when not kept. */
  count(table: string, key: string, load: () => number): number {
    let counts = this.counts.get(table);
    let total = counts?.get(key);
    if (total === undefined) {
      total = load();
      if (!counts) this.counts.set(table, (counts = new Map()));
      if (counts.size >= 256) counts.clear();
      counts.set(key, total);
    }
    return total;
  }

  /** The values of `table.column`, from `distinct(limit)` (at most `limit` distinct non-null values) when not kept. */
  referencedValues(table: string, column: string, distinct: (limit: number) => unknown[]): Set<unknown> | 'many' {
    const key = `${table}.${column}`;
    let values = this.referenced.get(key);
    if (values === undefined) {
      const found = distinct(REFERENCED_LIMIT + 1);
      values = found.length > REFERENCED_LIMIT ? 'many' : new Set(found);
      this.referenced.set(key, values);
    }
    return values;
  }

  /** A collection's state, from `load` when not kept. */
  state(table: string, load: () => CollectionState): CollectionState {
    let state = this.states.get(table);
    if (!state) {
      state = load();
      this.states.set(table, state);
    }
    return state;
  }
}
