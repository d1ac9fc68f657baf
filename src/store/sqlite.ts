/**
 * SQLite persistence through better-sqlite3, in WAL mode: the Store's
 * methods, over one connection and its collaborators, each in its own file:
 * - sqlite-group-commit.ts: writes of a turn of the event loop share one
 *   IMMEDIATE transaction, a savepoint each, acknowledged after the commit;
 * - sqlite-read-turn.ts: reads of a turn share one read transaction;
 * - sqlite-change-log.ts: `rung_changes`, so another process on the same
 *   file drops exactly the cached rows and tables that changed;
 * - sqlite-read-cache.ts: what is kept in memory between reads;
 * - sqlite-statements.ts, sqlite-sql.ts, sqlite-row.ts, sqlite-migrate.ts,
 *   sqlite-errors.ts: statements, SQL text, rows, schema, errors.
 *
 * Durability: every write is committed before its promise resolves, so
 * before the 2xx is sent; with WAL and `synchronous=NORMAL` a committed
 * transaction is in the WAL file, so it survives the process being killed
 * (`kill -9`). Only an operating-system crash or power loss can drop the last
 * transactions; set `synchronous: 'FULL'` to cover those too.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { CollectionState, DeleteOutcome, ListQuery, Store, StoredItem, TableModel, Values } from './store.js';
import { ChangeTracker, type Freshness } from './changes.js';
import { DuplicateIdError, StoreUnavailableError } from './errors.js';
import { ChangeLog } from './sqlite-change-log.js';
import { isForeignKeyError, missingReference, translating } from './sqlite-errors.js';
import { GroupCommit } from './sqlite-group-commit.js';
import { migrateSchema } from './sqlite-migrate.js';
import { ReadCache } from './sqlite-read-cache.js';
import { ReadTurn } from './sqlite-read-turn.js';
import { isExpected, toColumns, toItem, type Row } from './sqlite-row.js';
import { CONTAINS_FUNCTION, containsIgnoringCase, orderClause, quote, whereClause } from './sqlite-sql.js';
import { prepareTransactionStatements, SqliteStatements } from './sqlite-statements.js';

export interface SqliteOptions {
  /** File path, or `:memory:`. */
  path: string;
  synchronous?: 'NORMAL' | 'FULL';
  /**
   * How long a statement waits for another connection's lock before the
   * request is answered 503 (default 5000 ms).
   */
  busyTimeoutMs?: number;
  /** Bytes of rows kept in memory (default 2 MiB). */
  rowCacheBytes?: number;
}

/**
 * Reads are served from process memory while nothing they were made of
 * changed: collection states, list counts, the values of referencing
 * columns, and rows in an LRU bounded in bytes. A write
 * (ours, or another process's seen through the change log) drops exactly the
 * rows and tables it changed. So a GET usually costs one tiny pragma per
 * event-loop turn instead of one or two queries, and is never stale.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  readonly db: Database.Database;
  private readonly tracker = new ChangeTracker();
  private readonly statements: SqliteStatements;
  private readonly cache: ReadCache;
  private readonly log: ChangeLog;
  private readonly reads: ReadTurn;
  private readonly writes: GroupCommit;

  constructor(options: SqliteOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
    // The busy timeout (set by the constructor's `timeout`) is in force before
    // the first statement: switching to WAL waits for other connections too.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    this.db.pragma('foreign_keys = ON');
    this.statements = new SqliteStatements(this.db);
    this.log = new ChangeLog(this.db, this.statements, this.tracker);
    this.db.function(CONTAINS_FUNCTION, { deterministic: true }, containsIgnoringCase);
    const tx = prepareTransactionStatements(this.db);
    this.cache = new ReadCache(options.rowCacheBytes);
    this.reads = new ReadTurn(this.db, tx, () => this.log.sync());
    this.writes = new GroupCommit(this.db, tx, this.reads, this.log, this.cache);
    this.tracker.onChange((changes) => this.cache.drop(changes));
  }

  /** Write transactions committed by this store (one per group commit): diagnostics. */
  get commits(): number {
    return this.writes.commits;
  }

  async freshness(): Promise<Freshness> {
    translating(() => this.reads.turn());
    return this.tracker;
  }

  async migrate(models: TableModel[]): Promise<void> {
    migrateSchema(this.db, models, () => this.reads.closeRead());
    this.log.start();
  }

  /** Inside a write: `table` changed (row `id`, or rows it cannot name); its collection version moves. */
  private bump(table: string, now: number, id?: number): void {
    this.writes.changed(id === undefined ? { table } : { table, id });
    this.statements.prepare('UPDATE rung_collections SET version = version + 1, updated_at = ? WHERE name = ?').run(now, table);
  }

  async get(model: TableModel, id: number, parentId?: number): Promise<StoredItem | undefined> {
    let item = this.cache.row(model.table, id);
    if (!item) {
      const row = translating(() => (this.reads.reading(), this.statements.table(model).select.get(id))) as Row | undefined;
      if (!row) return undefined;
      item = toItem(model, row);
      this.cache.admit(model.table, id, item);
    } else translating(() => this.reads.turn());
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
    const order = orderClause(query.order);
    const t = quote(model.table);
    return translating(() => {
      this.reads.reading();
      // Counting every row of a large table reads a whole index: keep counts while the table is unchanged.
      const countSql = `SELECT count(*) AS n FROM ${t}${where}`;
      const countKey = params.length ? `${countSql}\u0000${JSON.stringify(params)}` : countSql;
      const total = this.cache.count(model.table, countKey, () => (this.statements.prepare(countSql).get(...params) as { n: number }).n);
      const rows = this.statements.prepare(`SELECT * FROM ${t}${where} ORDER BY ${order} LIMIT ? OFFSET ?`).all(
        ...params,
        query.limit,
        query.offset,
      ) as Row[];
      return { items: rows.map((row) => toItem(model, row)), total };
    });
  }

  async insert(model: TableModel, values: Values, options: { parentId?: number; id?: number } = {}): Promise<StoredItem> {
    const statement = this.statements.insert(model, options.id !== undefined, true);
    const columns = toColumns(model, values);
    return this.writes.write(() => {
      const now = Date.now();
      if (options.id !== undefined && this.statements.table(model).exists.get(options.id)) {
        throw new DuplicateIdError(model.table, options.id);
      }
      const params = [
        ...(options.id !== undefined ? [options.id] : []),
        ...(model.parent ? [options.parentId] : []),
        1,
        now,
        now,
        ...columns,
      ];
      const inserted = statement.get(...params) as Row;
      this.bump(model.table, now, inserted.id);
      return inserted;
    }, (inserted) => this.remember(model, inserted)).catch(missingReference(model.table));
  }

  /** A row just written, as a (frozen, cached) item: no second read after a write. Only from a write's `settle` (see GroupCommit.flush). */
  private remember(model: TableModel, row: Row): StoredItem {
    const item = toItem(model, row);
    this.cache.remember(model.table, item);
    return item;
  }

  async insertMany(model: TableModel, rows: Values[], parentId?: number): Promise<void> {
    const statement = this.statements.insert(model, false);
    await this.writes.write(() => {
      const now = Date.now();
      for (const values of rows) {
        statement.run(...(model.parent ? [parentId] : []), 1, now, now, ...toColumns(model, values));
      }
      this.bump(model.table, now);
    });
  }

  /** The emptiness check and the inserts share one IMMEDIATE transaction: the write lock keeps every other process out. */
  async seedIfEmpty(model: TableModel, rows: Values[]): Promise<boolean> {
    const statement = this.statements.insert(model, false);
    const any = this.db.prepare(`SELECT 1 FROM ${quote(model.table)} LIMIT 1`);
    return this.writes.write(() => {
      if (any.get() !== undefined) return false;
      const now = Date.now();
      for (const values of rows) statement.run(1, now, now, ...toColumns(model, values));
      this.bump(model.table, now);
      return true;
    });
  }

  /**
   * Inside the write transaction (which holds the write lock, so nothing can
   * come between) the current row is read and only the columns whose stored
   * value changes are written: SQLite rewrites the index entries of every
   * column an UPDATE sets, and those writes were most of a PATCH's cost.
   */
  async replace(
    model: TableModel,
    id: number,
    values: Values,
    expectedVersion?: number,
    expectedCreatedAt?: Date,
  ): Promise<StoredItem | 'conflict' | 'missing'> {
    const sql = this.statements.table(model);
    const columns = toColumns(model, values);
    return this.writes.write((): Row | 'conflict' | 'missing' => {
      const now = Date.now();
      const current = sql.select.get(id) as Row | undefined;
      if (!current) return 'missing';
      if (!isExpected(current, expectedVersion, expectedCreatedAt)) return 'conflict';
      let changed = '';
      const params: unknown[] = [];
      model.columns.forEach((column, i) => {
        if ((current[column.name] ?? null) === columns[i]) return;
        changed += `${i},`;
        params.push(columns[i]);
      });
      const row = this.statements.update(model, sql, changed).get(...params, now, id) as Row;
      this.bump(model.table, now, id);
      return row;
    }, (outcome) => (typeof outcome === 'string' ? outcome : this.remember(model, outcome))).catch(missingReference(model.table));
  }

  async delete(model: TableModel, id: number, expectedVersion?: number, expectedCreatedAt?: Date): Promise<DeleteOutcome> {
    const sql = this.statements.table(model);
    try {
      return await this.writes.write((): DeleteOutcome => {
        const now = Date.now();
        const current = sql.version.get(id) as Pick<Row, 'version' | 'created_at'> | undefined;
        if (!current) return 'missing';
        if (!isExpected(current, expectedVersion, expectedCreatedAt)) return 'conflict';
        sql.remove.run(id);
        this.bump(model.table, now, id);
        // Rows removed by cascade are not named one by one: their tables changed as a whole.
        for (const table of model.cascadesTo ?? []) this.bump(table, now);
        return 'deleted';
      });
    } catch (err) {
      // A `restrict` link to the row.
      if (isForeignKeyError(err)) return { referencedBy: 'another resource' };
      throw err;
    }
  }

  async isReferenced(model: TableModel, column: string, id: number): Promise<boolean> {
    const query = this.statements.referencing(model, column);
    const t = this.statements.table(model).t;
    return translating(() => {
      this.reads.reading();
      const values = this.cache.referencedValues(model.table, column, (limit) =>
        this.statements.prepare(`SELECT DISTINCT ${quote(column)} FROM ${t} WHERE ${quote(column)} IS NOT NULL LIMIT ?`).pluck().all(limit),
      );
      return values === 'many' ? query.get(id) !== undefined : values.has(id);
    });
  }

  async collectionState(model: TableModel): Promise<CollectionState> {
    translating(() => this.reads.turn());
    return this.cache.state(model.table, () => {
      const row = translating(() => (
        this.reads.reading(), this.statements.prepare('SELECT version, created_at, updated_at FROM rung_collections WHERE name = ?').get(model.table)
      )) as { version: number; created_at: number; updated_at: number };
      return Object.freeze({ version: row.version, createdAt: new Date(row.created_at), updatedAt: new Date(row.updated_at) });
    });
  }

  async count(model: TableModel): Promise<number> {
    return translating(() => (this.reads.reading(), this.statements.prepare(`SELECT count(*) AS n FROM ${quote(model.table)}`).get() as { n: number }).n);
  }

  /** One statement that reads the file's schema page (a closed or unreadable file fails it). */
  async ping(): Promise<void> {
    if (!this.db.open) throw new StoreUnavailableError('The database is closed.', 5);
    try {
      this.db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get();
    } catch (err) {
      throw new StoreUnavailableError('The database does not answer.', 5, { cause: err });
    }
  }

  async close(): Promise<void> {
    this.writes.close();
    this.reads.closeRead();
    if (this.db.open) this.db.close();
  }
}
