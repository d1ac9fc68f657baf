/**
 * A row of a resource table as better-sqlite3 returns it, and its
 * conversion to and from the store's items (see table-row.ts): booleans are
 * stored as 0/1, JSON values as text.
 */
import type { ColumnModel, StoredItem, TableModel, Values } from './store.js';
import { rowToItem, valuesToColumns, type TableRow } from './table-row.js';

export type Row = TableRow;

function decode(column: ColumnModel, raw: unknown): unknown {
  return column.kind === 'boolean' ? raw === 1 : column.kind === 'json' ? JSON.parse(raw as string) : raw;
}

function encode(column: ColumnModel, value: unknown): unknown {
  if (column.kind === 'boolean') return value ? 1 : 0;
  if (column.kind === 'json') return JSON.stringify(value);
  return value;
}

/** A stored row as a frozen item. */
export function toItem(model: TableModel, row: Row): StoredItem {
  return rowToItem(model, row, decode);
}

/** An item's values as the parameters of its columns, in `model.columns` order. */
export function toColumns(model: TableModel, values: Values): unknown[] {
  return valuesToColumns(model, values, encode);
}

/** Is the stored row the version (of the life, when given) a conditional write expects? See Store.replace. */
export function isExpected(row: Pick<Row, 'version' | 'created_at'>, version?: number, createdAt?: Date): boolean {
  if (version !== undefined && row.version !== version) return false;
  return createdAt === undefined || row.created_at === createdAt.getTime();
}
