/**
 * SQLite persistence through better-sqlite3, in WAL mode.
 *
 * Durability: every write is committed before its promise resolves, so
 * before the 2xx is sent; with WAL and `synchronous=NORMAL` a committed
 * transaction is in the WAL file, so it survives the process being killed
 * (`kill -9`). Only an operating-system crash or power loss can drop the last
 * transactions; set `synchronous: 'FULL'` to cover those too.
 *
 * Group commit: the first write of a turn of the event loop commits at
 * once; the writes requested after it in the same turn run together at the
 * end of the turn, in one IMMEDIATE transaction, each in its own savepoint
 * (one that fails is rolled back alone and rejected with its own error), and
 * are all acknowledged once that transaction has committed. Many concurrent writes
 * then cost one lock, one commit and one WAL append of the pages they share.
 *
 * Change log: every write appends what it changed to `rung_changes` in the
 * same transaction; another process on the same file reads the new entries
 * when `PRAGMA data_version` moves, so its caches drop exactly those rows and
 * tables (see `changes.ts`).
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
import { ChangeTracker, type Change, type Freshness } from './changes.js';
import { DuplicateIdError, MissingReferenceError, StoreUnavailableError } from './errors.js';
import { ByteLru, Doorkeeper } from './lru.js';

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
  /** Bytes of rows kept in memory (default 2 MiB). */
  rowCacheBytes?: number;
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

/** Change-log entries kept (older ones are trimmed); a reader further behind drops all its caches. */
const LOG_KEEP = 10_000;
/** Own log entries between two trims. */
const TRIM_EVERY = 1000;
/** Entries read at once when catching up; more means a bulk write: drop everything instead. */
const LOG_READ_LIMIT = 2000;

/** Distinct values of a referencing column kept in memory (see SqliteStore.referenced). */
const REFERENCED_LIMIT = 1024;

/** One write waiting for the next group commit. */
interface PendingWrite {
  body: () => unknown;
  /** After the commit, in the group's order: turn the body's result into the value resolved (and cache it). */
  settle?: (value: unknown) => unknown;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/** The SQL of one table, built once. */
interface TableSql {
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

/** A foreign key refused the statement (SQLite reports it as FOREIGNKEY or, inside a savepoint, as a TRIGGER constraint). */
function isForeignKeyError(err: unknown): boolean {
  const { code, message } = err as { code?: string; message?: string };
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || (Boolean(code?.startsWith('SQLITE_CONSTRAINT')) && /FOREIGN KEY/.test(message ?? ''));
}

/** An insert or update that names a row deleted meanwhile (parent or link): a typed error, not a 500. */
function missingReference(table: string) {
  return (err: unknown): never => {
    throw isForeignKeyError(err) ? new MissingReferenceError(table, { cause: err }) : err;
  };
}

/** Is the stored row the version (of the life, when given) a conditional write expects? See Store.replace. */
function isExpected(row: Pick<Row, 'version' | 'created_at'>, version?: number, createdAt?: Date): boolean {
  if (version !== undefined && row.version !== version) return false;
  return createdAt === undefined || row.created_at === createdAt.getTime();
}

/** Rough bytes of a cached row, for the row cache's budget. */
function rowBytes(item: StoredItem): number {
  let n = 160;
  for (const value of Object.values(item.values)) n += typeof value === 'string' ? 2 * value.length + 16 : 16;
  return n;
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
  /** Write transactions committed by this store (one per group commit): diagnostics. */
  commits = 0;
  private readonly tracker = new ChangeTracker();
  private readonly statements = new Map<string, Database.Statement>();
  private readonly tables = new WeakMap<TableModel, TableSql>();
  private readonly states = new Map<string, CollectionState>();
  private readonly rows: ByteLru<StoredItem>;
  private dataVersion: unknown = undefined;
  /** The newest change-log entry this process has taken into account. */
  private seenSeq = 0;
  /** Entries this process appended that it has not yet read past. */
  private readonly ownSeqs = new Set<number>();
  private ownSinceTrim = 0;
  private logReady = false;
  /** The change log was consulted in this turn of the event loop. */
  private syncedThisTurn = false;
  /** A read transaction of ours is open (see {@link turn}). */
  private readOpen = false;
  private endTurnScheduled = false;
  private readonly endTurn = () => {
    this.endTurnScheduled = false;
    this.syncedThisTurn = false;
    this.closeRead();
  };
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
  private readonly dataVersionStatement: Database.Statement;
  private readonly tx: Record<'begin' | 'beginRead' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackTo', Database.Statement>;
  private queue: PendingWrite[] = [];
  private flushScheduled = false;
  /** Changes of the write running now (collected by bump, kept only if it succeeds). */
  private changes: Change[] = [];

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
    this.tx = {
      begin: this.db.prepare('BEGIN IMMEDIATE'),
      beginRead: this.db.prepare('BEGIN DEFERRED'),
      commit: this.db.prepare('COMMIT'),
      rollback: this.db.prepare('ROLLBACK'),
      savepoint: this.db.prepare('SAVEPOINT rung_write'),
      release: this.db.prepare('RELEASE rung_write'),
      rollbackTo: this.db.prepare('ROLLBACK TO rung_write'),
    };
    this.rows = new ByteLru<StoredItem>(Math.max(options.rowCacheBytes ?? 2 * 1024 * 1024, 1024), rowBytes);
    this.tracker.onChange((changes) => this.drop(changes));
  }

  /** Cached reads made stale by `changes`. */
  private drop(changes: readonly Change[] | 'everything'): void {
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
  private dropRows(changes: readonly Change[]): void {
    for (const { table, id } of changes) {
      if (id !== undefined) this.rows.delete(`${table}#${id}`);
      else for (const key of [...this.rows.keys()]) if (key.startsWith(`${table}#`)) this.rows.delete(key);
    }
  }

  /**
   * Once per turn of the event loop, before anything cached is trusted:
   * catch up with other connections' commits. Requests handled in the same
   * turn are concurrent with any outside commit, so either order is a valid
   * serialisation.
   */
  private turn(): void {
    if (this.syncedThisTurn) return;
    this.syncedThisTurn = true;
    this.scheduleEndTurn();
    this.sync();
  }

  /**
   * Before a statement that reads tables: the reads of one turn share one
   * read transaction, which spares every statement its own WAL read lock (two
   * `fcntl` calls each). It ends at the end of the turn, or before a write of
   * ours. A turn that only serves cached responses opens none.
   */
  private reading(): void {
    this.turn();
    if (this.readOpen || !this.db.open) return;
    this.tx.beginRead.run();
    this.readOpen = true;
  }

  private scheduleEndTurn(): void {
    if (this.endTurnScheduled) return;
    this.endTurnScheduled = true;
    setImmediate(this.endTurn);
  }

  private closeRead(): void {
    if (!this.readOpen) return;
    this.readOpen = false;
    if (this.db.open && this.db.inTransaction) this.tx.commit.run();
  }

  /**
   * Catch up with commits of other connections. `PRAGMA data_version` moves
   * only when another connection committed. Then the change log names what
   * changed; a log with a gap (trimmed past what we saw) or no entry at all
   * (a writer that keeps no log) means anything may have changed.
   */
  private sync(): void {
    let version = this.dataVersionStatement.get();
    if (version === this.dataVersion) {
      // Nobody else committed since we last read the log: every newer entry is ours.
      for (const seq of this.ownSeqs) if (seq > this.seenSeq) this.seenSeq = seq;
      this.ownSeqs.clear();
      return;
    }
    if (!this.logReady) {
      this.dataVersion = version;
      return;
    }
    const found: Change[] = [];
    let complete = true;
    for (;;) {
      const entries = this.prepare('SELECT seq, tbl, row_id FROM rung_changes WHERE seq > ? ORDER BY seq LIMIT ?').all(this.seenSeq, LOG_READ_LIMIT + 1) as {
        seq: number;
        tbl: string;
        row_id: number | null;
      }[];
      if (entries.length > LOG_READ_LIMIT) {
        complete = false;
        this.seenSeq = (this.prepare('SELECT max(seq) FROM rung_changes').pluck().get() as number | null) ?? this.seenSeq;
      } else {
        for (const entry of entries) {
          if (entry.seq !== this.seenSeq + 1) complete = false;
          this.seenSeq = entry.seq;
          if (this.ownSeqs.delete(entry.seq) || entry.tbl === '') continue;
          found.push(entry.row_id === null ? { table: entry.tbl } : { table: entry.tbl, id: entry.row_id });
        }
      }
      // A commit between the pragma and the query: read again from where we are.
      const again = this.dataVersionStatement.get();
      if (again === version) break;
      version = again;
    }
    this.dataVersion = version;
    if (!complete || found.length === 0) this.tracker.everything();
    else this.tracker.record(found);
  }

  async freshness(): Promise<Freshness> {
    this.read(() => this.turn());
    return this.tracker;
  }

  /**
   * Queue `body` for the next group commit (see the file comment); resolves
   * with its result (through `settle`) once the transaction holding it has
   * committed. `settle` runs right after the commit, in the order of the
   * group, so what it caches is what the writes after it in the group leave.
   */
  private write<T, R = T>(body: () => T, settle?: (value: T) => R): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ body, settle: settle as PendingWrite['settle'], resolve: resolve as (value: unknown) => void, reject });
      if (this.flushScheduled) return;
      if (!this.committedThisTurn) {
        // The first write of a turn commits at once: a lone write waits for nothing.
        this.committedThisTurn = true;
        setImmediate(this.endWriteTurn);
        this.flush();
        return;
      }
      this.flushScheduled = true;
      setImmediate(this.flush);
    });
  }

  private committedThisTurn = false;
  private readonly endWriteTurn = () => {
    this.committedThisTurn = false;
  };

  /**
   * Run every queued write in one transaction, begun IMMEDIATE: it takes the
   * write lock first, waiting up to the busy timeout for it. A DEFERRED
   * transaction that reads and then writes would have to upgrade its lock,
   * and SQLite answers SQLITE_BUSY at once to such an upgrade when another
   * connection writes (waiting could deadlock) — a 500 under two processes.
   * A lock still busy after the timeout fails every write of the group with a
   * 503; nothing of the group is stored.
   *
   * @see https://www.sqlite.org/lang_transaction.html (DEFERRED, IMMEDIATE)
   * @see https://www.sqlite.org/lang_savepoint.html
   */
  private readonly flush = (): void => {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    if (!this.db.open) {
      for (const write of batch) write.reject(new StoreUnavailableError('The database is closed.'));
      return;
    }
    const outcomes: { ok: boolean; value: unknown; changes?: Change[] }[] = [];
    const committed: Change[] = [];
    const ownSeqs: number[] = [];
    try {
      this.closeRead();
      this.tx.begin.run();
      try {
        for (const write of batch) {
          this.changes = [];
          this.tx.savepoint.run();
          try {
            const value = write.body();
            this.tx.release.run();
            outcomes.push({ ok: true, value, changes: this.changes });
            committed.push(...this.changes);
          } catch (err) {
            this.tx.rollbackTo.run();
            this.tx.release.run();
            outcomes.push({ ok: false, value: err });
          }
        }
        this.changes = [];
        ownSeqs.push(...this.appendToLog(committed));
        this.tx.commit.run();
        this.commits++;
      } catch (err) {
        if (this.db.inTransaction) this.tx.rollback.run();
        throw err;
      }
    } catch (err) {
      const failure = translate(err);
      for (const write of batch) write.reject(failure);
      return;
    }
    for (const seq of ownSeqs) this.ownSeqs.add(seq);
    // No other connection committed since we last read the log: every newer entry is ours
    // (without this, a run of writes with no read in between would pile up `ownSeqs`).
    if (this.logReady && this.read(() => this.dataVersionStatement.get()) === this.dataVersion) {
      for (const seq of this.ownSeqs) if (seq > this.seenSeq) this.seenSeq = seq;
      this.ownSeqs.clear();
    }
    this.tracker.record(committed);
    // Replay the group's effect on the row cache in order: a row one write
    // caches and a later write of the group changes or deletes (or removes by
    // cascade) is dropped again, so no write's row outlives a later one.
    batch.forEach((write, i) => {
      const outcome = outcomes[i];
      if (!outcome.ok) return;
      if (i > 0) this.dropRows(outcome.changes!);
      if (!write.settle) return;
      try {
        outcome.value = write.settle(outcome.value);
      } catch (err) {
        Object.assign(outcome, { ok: false, value: err });
      }
    });
    batch.forEach((write, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(translate(outcome.value));
    });
  };

  /** Append committed changes to the change log (inside the transaction); trim it now and then. */
  private appendToLog(changes: Change[]): number[] {
    if (!this.logReady || changes.length === 0) return [];
    const append = this.prepare('INSERT INTO rung_changes (tbl, row_id) VALUES (?, ?)');
    const seqs = changes.map((c) => Number(append.run(c.table, c.id ?? null).lastInsertRowid));
    this.ownSinceTrim += changes.length;
    if (this.ownSinceTrim >= TRIM_EVERY) {
      this.ownSinceTrim = 0;
      this.prepare('DELETE FROM rung_changes WHERE seq <= ?').run(seqs[seqs.length - 1] - LOG_KEEP);
      // The trim is a commit too: give it an entry, so readers do not take it for an unlogged write.
      seqs.push(Number(append.run('', null).lastInsertRowid));
    }
    return seqs;
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

  private sql(model: TableModel): TableSql {
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

  /** Schema changes run alone, outside group commits. */
  private migrateWrite(body: () => void): void {
    try {
      this.closeRead();
      this.db.transaction(body).immediate();
    } catch (err) {
      throw translate(err);
    }
  }

  async migrate(models: TableModel[]): Promise<void> {
    this.migrateWrite(() => {
      this.db.exec(`CREATE TABLE IF NOT EXISTS rung_collections (
        name TEXT PRIMARY KEY, version INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`);
      this.db.exec(`CREATE TABLE IF NOT EXISTS rung_changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL, row_id INTEGER)`);
    });
    this.migrateWrite(() => {
      for (const model of models) this.migrateTable(model);
    });
    // From here on, what we cache is current as of the newest log entry.
    this.read(() => {
      this.dataVersion = this.dataVersionStatement.get();
      this.seenSeq = (this.db.prepare('SELECT max(seq) FROM rung_changes').pluck().get() as number | null) ?? 0;
    });
    this.logReady = true;
    this.tracker.everything();
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
    return Object.freeze({
      id: row.id,
      parentId: row.parent_id ?? undefined,
      values: Object.freeze(values),
      version: row.version,
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
    });
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

  /** Inside a write: `table` changed (row `id`, or rows it cannot name); its collection version moves. */
  private bump(table: string, now: number, id?: number): void {
    this.changes.push(id === undefined ? { table } : { table, id });
    this.prepare('UPDATE rung_collections SET version = version + 1, updated_at = ? WHERE name = ?').run(now, table);
  }

  async get(model: TableModel, id: number, parentId?: number): Promise<StoredItem | undefined> {
    const key = `${model.table}#${id}`;
    let item = this.rows.get(key);
    if (!item) {
      const row = this.read(() => (this.reading(), this.sql(model).select.get(id))) as Row | undefined;
      if (!row) return undefined;
      item = this.toItem(model, row);
      // Kept from its second read on: random reads over many rows would only churn the cache.
      if (this.readOnce.admit(key)) this.rows.set(key, item);
    } else this.read(() => this.turn());
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
      this.reading();
      // Counting every row of a large table reads a whole index: keep counts while the table is unchanged.
      const countSql = `SELECT count(*) AS n FROM ${t}${where}`;
      const countKey = params.length ? `${countSql}\u0000${JSON.stringify(params)}` : countSql;
      let counts = this.counts.get(model.table);
      let total = counts?.get(countKey);
      if (total === undefined) {
        total = (this.prepare(countSql).get(...params) as { n: number }).n;
        if (!counts) this.counts.set(model.table, (counts = new Map()));
        if (counts.size >= 256) counts.clear();
        counts.set(countKey, total);
      }
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
    const statement = this.insertStatement(model, options.id !== undefined, true);
    const columns = this.toColumns(model, values);
    return this.write(() => {
      const now = Date.now();
      if (options.id !== undefined && this.sql(model).exists.get(options.id)) {
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

  /** A row just written, as a (frozen, cached) item: no second read after a write. Only from a write's `settle` (see flush). */
  private remember(model: TableModel, row: Row): StoredItem {
    const item = this.toItem(model, row);
    this.rows.set(`${model.table}#${item.id}`, item);
    return item;
  }

  async insertMany(model: TableModel, rows: Values[], parentId?: number): Promise<void> {
    const statement = this.insertStatement(model, false);
    await this.write(() => {
      const now = Date.now();
      for (const values of rows) {
        statement.run(...(model.parent ? [parentId] : []), 1, now, now, ...this.toColumns(model, values));
      }
      this.bump(model.table, now);
    });
  }

  /** The emptiness check and the inserts share one IMMEDIATE transaction: the write lock keeps every other process out. */
  async seedIfEmpty(model: TableModel, rows: Values[]): Promise<boolean> {
    const statement = this.insertStatement(model, false);
    const any = this.db.prepare(`SELECT 1 FROM ${quote(model.table)} LIMIT 1`);
    return this.write(() => {
      if (any.get() !== undefined) return false;
      const now = Date.now();
      for (const values of rows) statement.run(1, now, now, ...this.toColumns(model, values));
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
    const sql = this.sql(model);
    const columns = this.toColumns(model, values);
    return this.write((): Row | 'conflict' | 'missing' => {
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
      const row = this.updateStatement(model, sql, changed).get(...params, now, id) as Row;
      this.bump(model.table, now, id);
      return row;
    }, (outcome) => (typeof outcome === 'string' ? outcome : this.remember(model, outcome))).catch(missingReference(model.table));
  }

  /** `UPDATE … SET <the changed columns>, version, updated_at … RETURNING *`, per set of columns (`"0,2,"`). */
  private updateStatement(model: TableModel, sql: TableSql, changed: string): Database.Statement {
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

  async delete(model: TableModel, id: number, expectedVersion?: number, expectedCreatedAt?: Date): Promise<DeleteOutcome> {
    const sql = this.sql(model);
    try {
      return await this.write((): DeleteOutcome => {
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
    const sql = this.sql(model);
    let statement = sql.referencing.get(column);
    if (!statement) {
      statement = this.prepare(`SELECT 1 FROM ${sql.t} WHERE ${quote(column)} = ? LIMIT 1`);
      sql.referencing.set(column, statement);
    }
    const query = statement;
    return this.read(() => {
      this.reading();
      const key = `${model.table}.${column}`;
      let values = this.referenced.get(key);
      if (values === undefined) {
        const found = this.prepare(`SELECT DISTINCT ${quote(column)} FROM ${sql.t} WHERE ${quote(column)} IS NOT NULL LIMIT ?`)
          .pluck()
          .all(REFERENCED_LIMIT + 1);
        values = found.length > REFERENCED_LIMIT ? 'many' : new Set(found);
        this.referenced.set(key, values);
      }
      return values === 'many' ? query.get(id) !== undefined : values.has(id);
    });
  }

  async collectionState(model: TableModel): Promise<CollectionState> {
    this.read(() => this.turn());
    let state = this.states.get(model.table);
    if (!state) {
      const row = this.read(() => (
        this.reading(), this.prepare('SELECT version, created_at, updated_at FROM rung_collections WHERE name = ?').get(model.table)
      )) as { version: number; created_at: number; updated_at: number };
      state = Object.freeze({ version: row.version, createdAt: new Date(row.created_at), updatedAt: new Date(row.updated_at) });
      this.states.set(model.table, state);
    }
    return state;
  }

  async count(model: TableModel): Promise<number> {
    return this.read(() => (this.reading(), this.prepare(`SELECT count(*) AS n FROM ${quote(model.table)}`).get() as { n: number }).n);
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
    if (this.queue.length) this.flush();
    this.closeRead();
    if (this.db.open) this.db.close();
  }
}
