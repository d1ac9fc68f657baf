/**
 * The prepared statements of one SQLite connection, each prepared once: any
 * statement by its SQL text, and per table the statements every write and
 * read of a row uses (select, exists, version, delete, insert, the UPDATE of
 * each set of changed columns).
 */
import type Database from 'better-sqlite3';
import type { TableModel } from './store.js';
import { quote } from './sqlite-sql.js';
import { insertColumnNames } from './table-row.js';

/** The SQL of one table, built once. */
export interface TableSql {
  t: string;
  select: Database.Statement;
  exists: Database.Statement;
  version: Database.Statement;
  remove: Database.Statement;
  /** `SELECT 1 … WHERE <column> = ? LIMIT 1`, per column. */
  referencing: Map<string, Database.Statement>;
  /** UPDATE statements, per set of changed columns (their indexes in `model.columns`). */
  updates: Map<string, Database.Statement>;
}

export class SqliteStatements {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly tables = new WeakMap<TableModel, TableSql>();

  constructor(private readonly db: Database.Database) {}

  prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  table(model: TableModel): TableSql {
    let sql = this.tables.get(model);
    if (!sql) {
      const t = quote(model.table);
      sql = {
        t,
        select: this.prepare(`SELECT * FROM ${t} WHERE id = ?`),
        exists: this.prepare(`SELECT 1 FROM ${t} WHERE id = ?`),
        version: this.prepare(`SELECT version, created_at FROM ${t} WHERE id = ?`),
        remove: this.prepare(`DELETE FROM ${t} WHERE id = ?`),
        referencing: new Map(),
        updates: new Map(),
      };
      this.tables.set(model, sql);
    }
    return sql;
  }

  insert(model: TableModel, withId: boolean, returning = false): Database.Statement {
    const names = insertColumnNames(model, withId);
    return this.prepare(
      `INSERT INTO ${quote(model.table)} (${names.map(quote).join(', ')}) VALUES (${names.map(() => '?').join(', ')})${returning ? ' RETURNING *' : ''}`,
    );
  }

  /** `UPDATE … SET <the changed columns>, version, updated_at … RETURNING *`, per set of columns (`"0,2,"`). */
  update(model: TableModel, sql: TableSql, changed: string): Database.Statement {
    let statement = sql.updates.get(changed);
    if (!statement) {
      const indexes = new Set(changed.split(',').filter(Boolean).map(Number));
      const sets = model.columns.filter((_, i) => indexes.has(i)).map((c) => `${quote(c.name)} = ?, `).join('');
      statement = this.db.prepare(`UPDATE ${sql.t} SET ${sets}version = version + 1, updated_at = ? WHERE id = ? RETURNING *`);
      // Bounded: a model with many columns could have many sets of them.
      if (sql.updates.size < 256) sql.updates.set(changed, statement);
    }
    return statement;
  }

  /** `SELECT 1 … WHERE <column> = ? LIMIT 1`: does any row refer to an id? */
  referencing(model: TableModel, column: string): Database.Statement {
    const sql = this.table(model);
    let statement = sql.referencing.get(column);
    if (!statement) {
      statement = this.prepare(`SELECT 1 FROM ${sql.t} WHERE ${quote(column)} = ? LIMIT 1`);
      sql.referencing.set(column, statement);
    }
    return statement;
  }
}

/** The statements that begin and end transactions and savepoints, shared by reads and group commits. */
export type TransactionStatements = Record<'begin' | 'beginRead' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackTo', Database.Statement>;

export function prepareTransactionStatements(db: Database.Database): TransactionStatements {
  return {
    begin: db.prepare('BEGIN IMMEDIATE'),
    beginRead: db.prepare('BEGIN DEFERRED'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    savepoint: db.prepare('SAVEPOINT rung_write'),
    release: db.prepare('RELEASE rung_write'),
    rollbackTo: db.prepare('ROLLBACK TO rung_write'),
  };
}
