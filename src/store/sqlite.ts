/**
 * SQLite persistence through better-sqlite3, in WAL mode.
 *
 * Durability: every write is one transaction; with WAL and
 * `synchronous=NORMAL` a committed transaction is in the WAL file before the
 * 2xx is sent, so it survives the process being killed (`kill -9`). Only an
 * operating-system crash or power loss can drop the last transactions; set
 * `synchronous: 'FULL'` to cover those too.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type {
  CollectionState,
  ColumnKind,
  Condition,
  DeleteOutcome,
  ListQuery,
  Store,
  StoredItem,
  TableModel,
  Values,
} from './store.js';
import { DuplicateIdError, StoreUnavailableError } from './errors.js';

const SQL_TYPES: Record<ColumnKind, string> = {
  text: 'TEXT',
  integer: 'INTEGER',
  real: 'REAL',
  boolean: 'INTEGER',
  json: 'TEXT',
};

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

interface Row {
  id: number;
  parent_id?: number | null;
  version: number;
  created_at: number;
  updated_at: number;
  [column: string]: unknown;
}

export interface SqliteOptions {
  /** File path, or `:memory:`. */
  path: string;
  synchronous?: 'NORMAL' | 'FULL';
  /**
   * How long a statement waits for another connection's lock before the
   * request is answered 503 (default 5000 ms).
   */
  busyTimeoutMs?: number;
}

/** SQLite's result codes for "another connection holds the lock". */
const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED', 'SQLITE_LOCKED_SHAREDCACHE']);

/** A busy database is a 503 to retry, never a 500; any other error passes through. */
function translate(err: unknown): unknown {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && BUSY_CODES.has(code)) {
    return new StoreUnavailableError('The database is busy with other writes.', 1, { cause: err });
  }
  return err;
}

/**
 * SQL for one condition of a list query; its values are appended to `params`.
 * `contains` calls {@link containsIgnoringCase}: SQLite's own LIKE and lower()
 * fold ASCII letters only.
 */
function whereClause(condition: Condition, params: unknown[]): string {
  if ('any' in condition) return `(${condition.any.map((c) => whereClause(c, params)).join(' OR ')})`;
  params.push(typeof condition.value === 'boolean' ? Number(condition.value) : condition.value);
  return condition.op === 'contains'
    ? `${CONTAINS_FUNCTION}(${quote(condition.column)}, ?)`
    : `${quote(condition.column)} ${condition.op} ?`;
}

const CONTAINS_FUNCTION = 'rung_contains';

/** Does `text` contain `part`, ignoring case (Unicode lower case)? 1 or 0, as SQL wants. */
function containsIgnoringCase(text: unknown, part: unknown): number {
  return typeof text === 'string' && text.toLowerCase().includes(String(part).toLowerCase()) ? 1 : 0;
}

/** Rows kept per table before that table's row cache is emptied. */
const ROW_CACHE_LIMIT = 20_000;

/**
 * Reads are served from process memory when nothing changed: collection
 * states and item rows are cached, dropped on this connection's own writes,
 * and all dropped when `PRAGMA data_version` shows another connection (another
 * process on the same file) committed. So a GET costs one tiny pragma instead
 * of one or two queries, and is never stale.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly states = new Map<string, CollectionState>();
  private readonly rows = new Map<string, Map<number, StoredItem>>();
  private dataVersion: unknown = undefined;
  private checkedThisTurn = false;
  /** Bumped by every write of ours and every commit seen from another connection. */
  private changes = 0;
  private readonly endTurn = () => {
    this.checkedThisTurn = false;
  };
  private readonly dataVersionStatement: Database.Statement;

  constructor(options: SqliteOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
    // The busy timeout (set by the constructor's `timeout`) is in force before
    // the first statement: switching to WAL waits for other connections too.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    this.db.pragma('foreign_keys = ON');
    this.dataVersionStatement = this.db.prepare('PRAGMA data_version').pluck();
    this.db.function(CONTAINS_FUNCTION, { deterministic: true }, containsIgnoringCase);
  }

  /**
   * Drop every cached read if another connection has committed since we last
   * looked. Checked once per event-loop turn: requests handled in the same
   * turn are concurrent with any outside commit, so either order is a valid
   * serialisation.
   */
  private revalidate(): void {
    if (this.checkedThisTurn) return;
    this.checkedThisTurn = true;
    setImmediate(this.endTurn);
    const version = this.dataVersionStatement.get();
    if (version !== this.dataVersion) {
      this.dataVersion = version;
      this.states.clear();
      this.rows.clear();
      this.changes++;
    }
  }

  changeCounter(): number {
    this.read(() => this.revalidate());
    return this.changes;
  }

  /** Our own write to `table` (and whatever it cascades into) invalidates cached reads of it. */
  private forget(table: string): void {
    this.changes++;
    this.states.delete(table);
    this.rows.delete(table);
  }

  /**
   * Run `body` as one writing transaction, begun IMMEDIATE: it takes the
   * write lock first, waiting up to the busy timeout for it. A DEFERRED
   * transaction that reads and then writes would have to upgrade its lock,
   * and SQLite answers SQLITE_BUSY at once to such an upgrade when another
   * connection writes (waiting could deadlock) — a 500 under two processes.
   *
   * @see https://www.sqlite.org/lang_transaction.html (DEFERRED, IMMEDIATE)
   */
  private write<T>(body: () => T): T {
    try {
      return this.db.transaction(body).immediate();
    } catch (err) {
      throw translate(err);
    }
  }

  /** A read, with a busy database translated like a write's. */
  private read<T>(body: () => T): T {
    try {
      return body();
    } catch (err) {
      throw translate(err);
    }
  }

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async migrate(models: TableModel[]): Promise<void> {
    this.write(() =>
      this.db.exec(`CREATE TABLE IF NOT EXISTS rung_collections (
        name TEXT PRIMARY KEY, version INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`),
    );
    this.write(() => {
      for (const model of models) this.migrateTable(model);
    });
  }

  private migrateTable(model: TableModel): void {
    const t = quote(model.table);
    const parent = model.parent
      ? `, parent_id INTEGER NOT NULL REFERENCES ${quote(model.parent.table)}(id) ON DELETE CASCADE`
      : '';
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${t} (
      id INTEGER PRIMARY KEY AUTOINCREMENT${parent},
      version INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL)`);
    const existing = new Set(
      (this.db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name),
    );
    for (const column of model.columns) {
      if (existing.has(column.name)) continue;
      const ref = column.references
        ? ` REFERENCES ${quote(column.references.table)}(id) ON DELETE ${column.references.onDelete.toUpperCase()}`
        : '';
      this.db.exec(`ALTER TABLE ${t} ADD COLUMN ${quote(column.name)} ${SQL_TYPES[column.kind]}${ref}`);
    }
    for (const column of model.columns) {
      if (!column.indexed && !column.references) continue;
      this.db.exec(
        `CREATE INDEX IF NOT EXISTS ${quote(`${model.table}_${column.name}`)} ON ${t}(${quote(column.name)})`,
      );
    }
    if (model.parent) {
      this.db.exec(`CREATE INDEX IF NOT EXISTS ${quote(`${model.table}_parent`)} ON ${t}(parent_id)`);
    }
    const now = Date.now();
    this.db
      .prepare('INSERT OR IGNORE INTO rung_collections (name, version, created_at, updated_at) VALUES (?, 0, ?, ?)')
      .run(model.table, now, now);
  }

  private toItem(model: TableModel, row: Row): StoredItem {
    const values: Values = {};
    for (const column of model.columns) {
      const raw = row[column.name];
      if (raw === null || raw === undefined) continue;
      values[column.name] =
        column.kind === 'boolean' ? raw === 1 : column.kind === 'json' ? JSON.parse(raw as string) : raw;
    }
    return {
      id: row.id,
      parentId: row.parent_id ?? undefined,
      values: Object.freeze(values),
      version: row.version,
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
    };
  }

  private toColumns(model: TableModel, values: Values): unknown[] {
    return model.columns.map((column) => {
      const value = values[column.name];
      if (value === undefined || value === null) return null;
      if (column.kind === 'boolean') return value ? 1 : 0;
      if (column.kind === 'json') return JSON.stringify(value);
      return value;
    });
  }

  private bump(model: TableModel, now: number): void {
    this.forget(model.table);
    this.prepare('UPDATE rung_collections SET version = version + 1, updated_at = ? WHERE name = ?').run(
      now,
      model.table,
    );
  }

  async get(model: TableModel, id: number, parentId?: number): Promise<StoredItem | undefined> {
    this.read(() => this.revalidate());
    let item = this.rows.get(model.table)?.get(id);
    if (!item) {
      const row = this.read(() => this.prepare(`SELECT * FROM ${quote(model.table)} WHERE id = ?`).get(id)) as Row | undefined;
      if (!row) return undefined;
      item = this.remember(model, row);
    }
    return parentId === undefined || item.parentId === parentId ? item : undefined;
  }

  async list(model: TableModel, query: ListQuery): Promise<{ items: StoredItem[]; total: number }> {
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (query.parentId !== undefined) {
      clauses.push('parent_id = ?');
      params.push(query.parentId);
    }
    for (const condition of query.where) clauses.push(whereClause(condition, params));
    const where = clauses.length ? ` WHERE ${clauses.join(' AND ')}` : '';
    const order = [...query.order, { column: 'id', descending: false }]
      .map((o) => `${quote(o.column)} ${o.descending ? 'DESC' : 'ASC'}`)
      .join(', ');
    const t = quote(model.table);
    return this.read(() => {
      const total = (this.prepare(`SELECT count(*) AS n FROM ${t}${where}`).get(...params) as { n: number }).n;
      const rows = this.prepare(`SELECT * FROM ${t}${where} ORDER BY ${order} LIMIT ? OFFSET ?`).all(
        ...params,
        query.limit,
        query.offset,
      ) as Row[];
      return { items: rows.map((row) => this.toItem(model, row)), total };
    });
  }

  private insertStatement(model: TableModel, withId: boolean, returning = false): Database.Statement {
    const names = [
      ...(withId ? ['id'] : []),
      ...(model.parent ? ['parent_id'] : []),
      'version',
      'created_at',
      'updated_at',
      ...model.columns.map((c) => c.name),
    ];
    return this.prepare(
      `INSERT INTO ${quote(model.table)} (${names.map(quote).join(', ')}) VALUES (${names.map(() => '?').join(', ')})${returning ? ' RETURNING *' : ''}`,
    );
  }

  async insert(model: TableModel, values: Values, options: { parentId?: number; id?: number } = {}): Promise<StoredItem> {
    const now = Date.now();
    const row = this.write(() => {
      if (options.id !== undefined && this.prepare(`SELECT 1 FROM ${quote(model.table)} WHERE id = ?`).get(options.id)) {
        throw new DuplicateIdError(model.table, options.id);
      }
      const params = [
        ...(options.id !== undefined ? [options.id] : []),
        ...(model.parent ? [options.parentId] : []),
        1,
        now,
        now,
        ...this.toColumns(model, values),
      ];
      const inserted = this.insertStatement(model, options.id !== undefined, true).get(...params) as Row;
      this.bump(model, now);
      return inserted;
    });
    return this.remember(model, row);
  }

  /** A row just written, as a (frozen, cached) item: no second read after a write. */
  private remember(model: TableModel, row: Row): StoredItem {
    const item = Object.freeze(this.toItem(model, row));
    let cached = this.rows.get(model.table);
    if (!cached) this.rows.set(model.table, (cached = new Map()));
    if (cached.size >= ROW_CACHE_LIMIT) cached.clear();
    cached.set(item.id, item);
    return item;
  }

  async insertMany(model: TableModel, rows: Values[], parentId?: number): Promise<void> {
    const now = Date.now();
    const statement = this.insertStatement(model, false);
    this.write(() => {
      for (const values of rows) {
        statement.run(...(model.parent ? [parentId] : []), 1, now, now, ...this.toColumns(model, values));
      }
      this.bump(model, now);
    });
  }

  async replace(
    model: TableModel,
    id: number,
    values: Values,
    expectedVersion?: number,
  ): Promise<StoredItem | 'conflict' | 'missing'> {
    const now = Date.now();
    const sets = model.columns.map((c) => `${quote(c.name)} = ?`).join(', ');
    const conditional = expectedVersion !== undefined;
    const statement = this.prepare(
      `UPDATE ${quote(model.table)} SET ${sets}${sets ? ', ' : ''}version = version + 1, updated_at = ? WHERE id = ?${conditional ? ' AND version = ?' : ''} RETURNING *`,
    );
    const outcome = this.write((): Row | 'conflict' | 'missing' => {
      const params = [...this.toColumns(model, values), now, id, ...(conditional ? [expectedVersion] : [])];
      const row = statement.get(...params) as Row | undefined;
      if (!row) {
        const exists = this.prepare(`SELECT 1 FROM ${quote(model.table)} WHERE id = ?`).get(id);
        return exists ? 'conflict' : 'missing';
      }
      this.bump(model, now);
      return row;
    });
    return typeof outcome === 'string' ? outcome : this.remember(model, outcome);
  }

  async delete(model: TableModel, id: number, expectedVersion?: number): Promise<DeleteOutcome> {
    const now = Date.now();
    const t = quote(model.table);
    const run = (): DeleteOutcome => {
      const current = this.prepare(`SELECT version FROM ${t} WHERE id = ?`).get(id) as { version: number } | undefined;
      if (!current) return 'missing';
      if (expectedVersion !== undefined && current.version !== expectedVersion) return 'conflict';
      this.prepare(`DELETE FROM ${t} WHERE id = ?`).run(id);
      this.bump(model, now);
      this.bumpCascaded(model, now);
      return 'deleted';
    };
    try {
      return this.write(run);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        return { referencedBy: 'another resource' };
      }
      throw err;
    }
  }

  private bumpCascaded(model: TableModel, now: number): void {
    for (const table of model.cascadesTo ?? []) {
      this.forget(table);
      this.prepare('UPDATE rung_collections SET version = version + 1, updated_at = ? WHERE name = ?').run(now, table);
    }
  }

  async isReferenced(model: TableModel, column: string, id: number): Promise<boolean> {
    return this.read(() => Boolean(this.prepare(`SELECT 1 FROM ${quote(model.table)} WHERE ${quote(column)} = ? LIMIT 1`).get(id)));
  }

  async collectionState(model: TableModel): Promise<CollectionState> {
    this.read(() => this.revalidate());
    let state = this.states.get(model.table);
    if (!state) {
      const row = this.read(() =>
        this.prepare('SELECT version, created_at, updated_at FROM rung_collections WHERE name = ?').get(model.table),
      ) as { version: number; created_at: number; updated_at: number };
      state = Object.freeze({ version: row.version, createdAt: new Date(row.created_at), updatedAt: new Date(row.updated_at) });
      this.states.set(model.table, state);
    }
    return state;
  }

  async count(model: TableModel): Promise<number> {
    return this.read(() => (this.prepare(`SELECT count(*) AS n FROM ${quote(model.table)}`).get() as { n: number }).n);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
