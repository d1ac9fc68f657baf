/**
 * A row of a resource table as better-sqlite3 returns it, and its
 * conversion to and from the store's items: booleans are stored as 0/1,
 * JSON values as text, times as milliseconds since the epoch.
 */
import type { StoredItem, TableModel, Values } from './store.js';

export interface Row {
  id: number;
  parent_id?: number | null;
  version: number;
  created_at: number;
  updated_at: number;
  [column: string]: unknown;
}

/** A stored row as a frozen item. */
export function toItem(model: TableModel, row: Row): StoredItem {
  const values: Values = {};
  for (const column of model.columns) {
    const raw = row[column.name];
    if (raw === null || raw === undefined) continue;
    values[column.name] =
      column.kind === 'boolean' ? raw === 1 : column.kind === 'json' ? JSON.parse(raw as string) : raw;
  }
  return Object.freeze({
    id: row.id,
    parentId: row.parent_id ?? undefined,
    values: Object.freeze(values),
    version: row.version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  });
}

/** An item's values as the parameters of its columns, in `model.columns` order. */
export function toColumns(model: TableModel, values: Values): unknown[] {
  return model.columns.map((column) => {
    const value = values[column.name];
    if (value === undefined || value === null) return null;
    if (column.kind === 'boolean') return value ? 1 : 0;
    if (column.kind === 'json') return JSON.stringify(value);
    return value;
  });
}

/** Is the stored row the version (of the life, when given) a conditional write expects? See Store.replace. */
export function isExpected(row: Pick<Row, 'version' | 'created_at'>, version?: number, createdAt?: Date): boolean {
  if (version !== undefined && row.version !== version) return false;
  return createdAt === undefined || row.created_at === createdAt.getTime();
}
