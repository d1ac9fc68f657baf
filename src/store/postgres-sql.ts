/**
 * The SQL of the PostgreSQL store that does not need a connection: column
 * types, rows to items and back, list conditions and order, inserts, the
 * version check of conditional writes, and which driver errors mean "the
 * database cannot take the request now" or "a referenced row is gone".
 *
 * The SQL is chosen to give the same answers as SQLite (the contract suite
 * runs both):
 * - text compares and sorts by code point (`COLLATE "C"`), as SQLite's BINARY;
 * - NULLs sort first ascending and last descending, as in SQLite;
 * - `contains` folds case with `lower()`, Unicode-aware under any UTF-8
 *   locale (`C.UTF-8`, `en_US.UTF-8`; a database created with the plain `C`
 *   locale folds ASCII letters only);
 * - times are milliseconds since the epoch (BIGINT), so an item's ETag,
 *   which includes its creation time, is the same from every engine and instance.
 */
import type { ColumnKind, ColumnModel, Condition, ListQuery, StoredItem, TableModel, Values } from './store.js';
import { insertColumnNames, rowToItem, valuesToColumns, type TableRow } from './table-row.js';
import { MissingReferenceError, StoreUnavailableError } from './errors.js';

export const SQL_TYPES: Record<ColumnKind, string> = {
  text: 'TEXT',
  integer: 'BIGINT',
  real: 'DOUBLE PRECISION',
  boolean: 'BOOLEAN',
  json: 'TEXT',
};

export const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/** A row as the driver returns it (BIGINTs parsed to numbers by the pool's type parser). */
export type PgRow = TableRow;

function decode(column: ColumnModel, raw: unknown): unknown {
  return column.kind === 'json' ? JSON.parse(raw as string) : raw;
}

function encode(column: ColumnModel, value: unknown): unknown {
  if (column.kind === 'json') return JSON.stringify(value);
  return value;
}

export function toItem(model: TableModel, row: PgRow): StoredItem {
  return rowToItem(model, row, decode);
}

export function toColumns(model: TableModel, values: Values): unknown[] {
  return valuesToColumns(model, values, encode);
}

/** A column in a comparison or an order: text by code point, as SQLite. */
function operand(model: TableModel, name: string): string {
  const column = model.columns.find((c) => c.name === name);
  return column?.kind === 'text' ? `${quote(name)} COLLATE "C"` : quote(name);
}

/** SQL for one condition of a list query; its values are appended to `params` (`$n` placeholders). */
export function whereClause(model: TableModel, condition: Condition, params: unknown[]): string {
  if ('any' in condition) return `(${condition.any.map((c) => whereClause(model, c, params)).join(' OR ')})`;
  params.push(condition.value);
  const p = `$${params.length}`;
  if (condition.op === 'contains') {
    // Unicode lower case on both sides, as SQLite's rung_contains (String#toLowerCase).
    return `strpos(lower(${quote(condition.column)}), lower(${p}::text)) > 0`;
  }
  return `${operand(model, condition.column)} ${condition.op} ${p}`;
}

/** `WHERE …` of a list query (empty when it has no conditions). */
export function listWhere(model: TableModel, query: ListQuery, params: unknown[]): string {
  const clauses: string[] = [];
  if (query.parentId !== undefined) {
    params.push(query.parentId);
    clauses.push(`parent_id = $${params.length}`);
  }
  for (const condition of query.where) clauses.push(whereClause(model, condition, params));
  return clauses.length ? ` WHERE ${clauses.join(' AND ')}` : '';
}

/**
 * `ORDER BY …`, ending with the id; NULLs placed as SQLite places them (the
 * indexes are built `NULLS FIRST` to match, see postgres-migrate.ts). The id
 * is never NULL: plain `id`, which the primary key's index serves.
 */
export function listOrder(model: TableModel, query: ListQuery): string {
  return [
    ...query.order.map((o) => `${operand(model, o.column)} ${o.descending ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`),
    'id',
  ].join(', ');
}

/** `INSERT … VALUES (…), … RETURNING *` of `rowCount` rows, with the id given when `withId`. */
export function insertSql(model: TableModel, withId: boolean, rowCount: number): string {
  const names = insertColumnNames(model, withId);
  const tuples: string[] = [];
  for (let r = 0; r < rowCount; r++) tuples.push(`(${names.map((_, i) => `$${r * names.length + i + 1}`).join(', ')})`);
  return `INSERT INTO ${quote(model.table)} (${names.map(quote).join(', ')}) VALUES ${tuples.join(', ')} RETURNING *`;
}

/**
 * The WHERE clause of a conditional write, from parameter `$first` on: the
 * row must still have `version`, and still be the row created at `createdAt`
 * (an id deleted and created again starts over at version 1).
 */
export function expectedRow(version: number | undefined, createdAt: Date | undefined, first: number): { clause: string; params: number[] } {
  let clause = '';
  const params: number[] = [];
  if (version !== undefined) {
    params.push(version);
    clause += ` AND version = $${first + params.length - 1}`;
  }
  if (createdAt !== undefined) {
    params.push(createdAt.getTime());
    clause += ` AND created_at = $${first + params.length - 1}`;
  }
  return { clause, params };
}

/** SQLSTATEs of a conflict between concurrent transactions: retrying the transaction is the cure. */
const RETRYABLE = new Set(['40001', '40P01']);

/**
 * A create whose id the sequence handed out was taken meanwhile by a PUT
 * that chose that id (its `setval` moves the sequence past it, but only once
 * it runs): the whole write is tried again and gets the next id. It carries
 * the serialization-failure SQLSTATE so it is retried like one, and answered
 * 503 if it keeps happening.
 */
export class SequenceRaceError extends Error {
  readonly code = '40001';

  constructor(table: string, options?: { cause?: unknown }) {
    super(`An id of ${table} given by its sequence was taken by a concurrent create`, options);
    this.name = 'SequenceRaceError';
  }
}

export function isRetryable(err: unknown): boolean {
  return RETRYABLE.has(String((err as { code?: unknown })?.code));
}

/**
 * Errors that mean the database cannot take the request now: connection
 * failures (class 08), an administrator's or crash shutdown (57P01–57P03),
 * too many connections (53300), a lock or statement timeout (55P03, 57014),
 * a pool that found no connection in time, and sockets that broke.
 * @see https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300', '55P03', '57014', '40001', '40P01']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|connection timeout|Client has encountered a connection error|Cannot use a pool after calling end|Client was closed/i;

export function isUnavailable(err: unknown): boolean {
  const code = String((err as { code?: unknown })?.code ?? '');
  if (code.startsWith('08') || UNAVAILABLE_CODES.has(code) || SOCKET_CODES.has(code)) return true;
  // pg-pool and a client whose socket broke throw plain Errors without a SQLSTATE.
  return err instanceof Error && !/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_MESSAGES.test(err.message);
}

/** An unavailable database is a 503 to retry, never a 500; any other error passes through. */
export function translate(err: unknown): unknown {
  if (err instanceof StoreUnavailableError) return err;
  if (isUnavailable(err)) return new StoreUnavailableError('The database cannot be reached or is busy.', 1, { cause: err });
  return err;
}

/**
 * 23503 foreign_key_violation on an insert or update: the parent or a linked
 * row was deleted by a write that committed meanwhile. Nothing was written.
 */
export function missingReference(table: string, err: unknown): unknown {
  return (err as { code?: string }).code === '23503' ? new MissingReferenceError(table, { cause: err }) : err;
}

/** Parse BIGINT (int8) as a JS number: ids, versions and times fit in 2^53. */
export const INT8_OID = 20;
