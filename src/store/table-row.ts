/**
 * A row of a resource table, laid out the same in every engine: `id`,
 * `parent_id` (nested resources only), `version`, `created_at` and
 * `updated_at` (milliseconds since the epoch), then the model's columns.
 * The engines differ only in how one column's value is stored (SQLite keeps
 * booleans as 0/1, PostgreSQL as BOOLEAN), so each passes that in.
 */
import type { ColumnModel, StoredItem, TableModel, Values } from './store.js';

export interface TableRow {
  id: number;
  parent_id?: number | null;
  version: number;
  created_at: number;
  updated_at: number;
  [column: string]: unknown;
}

/** The columns an INSERT names, in the order of its parameters. */
export function insertColumnNames(model: TableModel, withId: boolean): string[] {
  return [
    ...(withId ? ['id'] : []),
    ...(model.parent ? ['parent_id'] : []),
    'version',
    'created_at',
    'updated_at',
    ...model.columns.map((c) => c.name),
  ];
}

/** A stored row as a frozen item; `decode` turns a column's stored value (never NULL) into its value. */
export function rowToItem(model: TableModel, row: TableRow, decode: (column: ColumnModel, raw: unknown) => unknown): StoredItem {
  const values: Values = {};
  for (const column of model.columns) {
    const raw = row[column.name];
    if (raw === null || raw === undefined) continue;
    values[column.name] = decode(column, raw);
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

/** An item's values as the parameters of its columns, in `model.columns` order; `encode` stores a value (never null). */
export function valuesToColumns(model: TableModel, values: Values, encode: (column: ColumnModel, value: unknown) => unknown): unknown[] {
  return model.columns.map((column) => {
    const value = values[column.name];
    if (value === undefined || value === null) return null;
    return encode(column, value);
  });
}
