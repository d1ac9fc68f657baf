/**
 * Create or migrate the SQLite schema so it holds every column of the
 * models: `rung_collections` (a version per table), `rung_changes` (the
 * change log, see sqlite-change-log.ts), and one table per resource, with
 * its indexes. Every statement is idempotent (`IF NOT EXISTS`, `INSERT OR
 * IGNORE`, columns added only when missing). Schema changes run alone,
 * outside group commits, each step in its own IMMEDIATE transaction.
 */
import type Database from 'better-sqlite3';
import type { TableModel } from './store.js';
import { translate } from './sqlite-errors.js';
import { quote, SQL_TYPES } from './sqlite-sql.js';

/** `closeRead`: end this connection's read transaction first (see ReadTurn). */
export function migrateSchema(db: Database.Database, models: TableModel[], closeRead: () => void): void {
  const migrateWrite = (body: () => void): void => {
    try {
      closeRead();
      db.transaction(body).immediate();
    } catch (err) {
      throw translate(err);
    }
  };
  migrateWrite(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS rung_collections (
        name TEXT PRIMARY KEY, version INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`);
    db.exec(`CREATE TABLE IF NOT EXISTS rung_changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL, row_id INTEGER)`);
  });
  migrateWrite(() => {
    for (const model of models) migrateTable(db, model);
  });
}

function migrateTable(db: Database.Database, model: TableModel): void {
  const t = quote(model.table);
  const parent = model.parent
    ? `, parent_id INTEGER NOT NULL REFERENCES ${quote(model.parent.table)}(id) ON DELETE CASCADE`
    : '';
  db.exec(`CREATE TABLE IF NOT EXISTS ${t} (
      id INTEGER PRIMARY KEY AUTOINCREMENT${parent},
      version INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL)`);
  const existing = new Set(
    (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name),
  );
  for (const column of model.columns) {
    if (existing.has(column.name)) continue;
    const ref = column.references
      ? ` REFERENCES ${quote(column.references.table)}(id) ON DELETE ${column.references.onDelete.toUpperCase()}`
      : '';
    db.exec(`ALTER TABLE ${t} ADD COLUMN ${quote(column.name)} ${SQL_TYPES[column.kind]}${ref}`);
  }
  for (const column of model.columns) {
    if (!column.indexed && !column.references) continue;
    db.exec(
      `CREATE INDEX IF NOT EXISTS ${quote(`${model.table}_${column.name}`)} ON ${t}(${quote(column.name)})`,
    );
  }
  if (model.parent) {
    db.exec(`CREATE INDEX IF NOT EXISTS ${quote(`${model.table}_parent`)} ON ${t}(parent_id)`);
  }
  const now = Date.now();
  db
    .prepare('INSERT OR IGNORE INTO rung_collections (name, version, created_at, updated_at) VALUES (?, 0, ?, ?)')
    .run(model.table, now, now);
}
