/**
 * The SQL text of the SQLite store that needs no connection: column types,
 * quoted identifiers, the WHERE and ORDER BY clauses of a list query, and
 * the `contains` function those clauses call (registered on each connection).
 */
import type { ColumnKind, Condition, ListQuery } from './store.js';

export const SQL_TYPES: Record<ColumnKind, string> = {
  text: 'TEXT',
  integer: 'INTEGER',
  real: 'REAL',
  boolean: 'INTEGER',
  json: 'TEXT',
};

export const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/**
 * SQL for one condition of a list query; its values are appended to `params`.
 * `contains` calls {@link containsIgnoringCase}: SQLite's own LIKE and lower()
 * fold ASCII letters only.
 */
export function whereClause(condition: Condition, params: unknown[]): string {
  if ('any' in condition) return `(${condition.any.map((c) => whereClause(c, params)).join(' OR ')})`;
  params.push(typeof condition.value === 'boolean' ? Number(condition.value) : condition.value);
  return condition.op === 'contains'
    ? `${CONTAINS_FUNCTION}(${quote(condition.column)}, ?)`
    : `${quote(condition.column)} ${condition.op} ?`;
}

/** The ORDER BY list of a list query: its own order, then `id`, so pages never overlap. */
export function orderClause(order: ListQuery['order']): string {
  return [...order, { column: 'id', descending: false }]
    .map((o) => `${quote(o.column)} ${o.descending ? 'DESC' : 'ASC'}`)
    .join(', ');
}

/** The name under which {@link containsIgnoringCase} is registered on a connection. */
export const CONTAINS_FUNCTION = 'rung_contains';

/** Does `text` contain `part`, ignoring case (Unicode lower case)? 1 or 0, as SQL wants. */
export function containsIgnoringCase(text: unknown, part: unknown): number {
  return typeof text === 'string' && text.toLowerCase().includes(String(part).toLowerCase()) ? 1 : 0;
}
