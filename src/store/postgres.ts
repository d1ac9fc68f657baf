/**
 * PostgreSQL persistence through the `pg` driver and its connection pool:
 * the same {@link Store} contract as SQLite (the contract suite runs both),
 * for many stateless instances over one database.
 *
 * - Every write is one transaction on a pooled connection, committed before
 *   its promise resolves (before the 2xx). Conditional writes are one
 *   statement (`UPDATE … WHERE id = $1 AND version = $2 RETURNING *`), so of
 *   concurrent writers with the same version exactly one wins, whichever
 *   instance they reach.
 * - A conflict between transactions (serialization failure, deadlock) is
 *   retried a few times, then answered 503; a database that cannot be
 *   reached, an administrator's shutdown or a pool with no free connection
 *   in time is a {@link StoreUnavailableError} (503 with Retry-After), never
 *   a 500.
 * - What changed is logged in `rung_changes` in the same transaction
 *   (postgres-changes.ts); {@link PostgresStore.freshness} reads the new
 *   entries with one query per request, so a cached representation is reused
 *   only once it is proven current against the database.
 * - The store keeps no rows in memory: the whole-response and render caches
 *   in front of it do the caching, against {@link freshness}.
 */
import type pg from 'pg';
import type { Change, Freshness } from './changes.js';
import { ChangeFeed } from './postgres-changes.js';
import { migrate } from './postgres-migrate.js';
import { createPool, redactUrl, type PostgresOptions } from './postgres-pool.js';
import { expectedRow, insertSql, listOrder, listWhere, missingReference, quote, SequenceRaceError, toColumns, toItem, translate, type PgRow } from './postgres-sql.js';
import { writeTransaction, type WriteBody } from './postgres-write-transaction.js';
import type { CollectionState, DeleteOutcome, ListQuery, Store, StoredItem, TableModel, Values } from './store.js';
import { DuplicateIdError, StoreUnavailableError } from './errors.js';

export { redactUrl, type PostgresOptions };

/** Bind parameters per statement of a bulk insert (PostgreSQL allows 65535). */
const MAX_PARAMS = 30_000;

export class PostgresStore implements Store {
  readonly kind = 'postgres';
  readonly pool: pg.Pool;
  /** The URL without its password. */
  readonly url: string;
  private readonly feed: ChangeFeed;
  private readonly inserts = new Map<string, string>();
  private closed = false;

  constructor(options: PostgresOptions) {
    this.url = redactUrl(options.connectionString);
    this.pool = createPool(options);
    this.feed = new ChangeFeed(this.pool);
  }

  /** Run `body` on a connection of the pool, errors translated. */
  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = [], name?: string): Promise<pg.QueryResult<R>> {
    if (this.closed) throw new StoreUnavailableError('The database is closed.');
    try {
      return await this.pool.query<R>(name ? { name, text, values } : { text, values });
    } catch (err) {
      throw translate(err);
    }
  }

  /** One write transaction (see postgres-write-transaction.ts); refused once the store is closed. */
  private write<T>(body: WriteBody<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('The database is closed.'));
    return writeTransaction(this.pool, this.feed, body);
  }

  async migrate(models: TableModel[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw translate(err);
    }
    try {
      await migrate(client, models);
    } catch (err) {
      throw translate(err);
    } finally {
      client.release();
    }
    try {
      await this.feed.start();
    } catch (err) {
      throw translate(err);
    }
  }

  async freshness(): Promise<Freshness> {
    try {
      await this.feed.catchUp();
    } catch (err) {
      throw translate(err);
    }
    return this.feed.tracker;
  }

  async get(model: TableModel, id: number, parentId?: number): Promise<StoredItem | undefined> {
    const { rows } = await this.query<PgRow>(`SELECT * FROM ${quote(model.table)} WHERE id = $1`, [id], `rung_get_${model.table}`);
    if (!rows[0]) return undefined;
    const item = toItem(model, rows[0]);
    return parentId === undefined || item.parentId === parentId ? item : undefined;
  }

  /**
   * The page and the total in one statement, so both come from one snapshot
   * (a row with no page columns when the page is empty).
   */
  async list(model: TableModel, query: ListQuery): Promise<{ items: StoredItem[]; total: number }> {
    const params: unknown[] = [];
    const where = listWhere(model, query, params);
    const t = quote(model.table);
    params.push(query.limit, query.offset);
    const { rows } = await this.query<PgRow & { rung_total: number }>(
      `SELECT (SELECT count(*) FROM ${t}${where})::bigint AS rung_total, page.*
       FROM (SELECT 1) AS one LEFT JOIN LATERAL (
         SELECT * FROM ${t}${where} ORDER BY ${listOrder(model, query)} LIMIT $${params.length - 1} OFFSET $${params.length}
       ) AS page ON true`,
      params,
    );
    const total = rows[0]?.rung_total ?? 0;
    return { items: rows.filter((row) => row.id !== null).map((row) => toItem(model, row)), total };
  }

  /** The INSERT of `rowCount` rows (see postgres-sql.ts), built once per table and shape. */
  private insertStatement(model: TableModel, withId: boolean, rowCount = 1): string {
    const key = `${model.table}\u0000${withId}\u0000${rowCount}`;
    let sql = this.inserts.get(key);
    if (!sql) {
      sql = insertSql(model, withId, rowCount);
      if (this.inserts.size < 1024) this.inserts.set(key, sql);
    }
    return sql;
  }

  async insert(model: TableModel, values: Values, options: { parentId?: number; id?: number } = {}): Promise<StoredItem> {
    const withId = options.id !== undefined;
    const columns = toColumns(model, values);
    const row = await this.write(async (client, changes) => {
      const now = Date.now();
      const params = [...(withId ? [options.id] : []), ...(model.parent ? [options.parentId] : []), 1, now, now, ...columns];
      let inserted: PgRow;
      try {
        inserted = (await client.query<PgRow>(this.insertStatement(model, withId), params)).rows[0];
      } catch (err) {
        // 23505 unique_violation on the primary key: the id is taken (a concurrent create won).
        if ((err as { code?: string }).code === '23505') {
          throw withId ? new DuplicateIdError(model.table, options.id!) : new SequenceRaceError(model.table, { cause: err });
        }
        throw missingReference(model.table, err);
      }
      if (withId) {
        // Ids the database picks later must pass the one chosen here (SQLite's AUTOINCREMENT does this itself).
        await client.query(
          'SELECT setval(s, GREATEST($2::bigint, COALESCE(pg_sequence_last_value(s::regclass), 0))) FROM pg_get_serial_sequence($1, \'id\') AS s',
          [quote(model.table), options.id],
        );
      }
      await this.bump(client, changes, model.table, now, inserted.id);
      return inserted;
    });
    return toItem(model, row);
  }

  async insertMany(model: TableModel, rows: Values[], parentId?: number): Promise<void> {
    if (rows.length === 0) return;
    await this.write((client, changes) => this.insertRows(client, changes, model, rows, parentId));
  }

  /**
   * A transaction-scoped advisory lock per table serialises the seeders of
   * every instance: the first inserts, the others find rows and write nothing.
   */
  async seedIfEmpty(model: TableModel, rows: Values[]): Promise<boolean> {
    return this.write(async (client, changes) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`rung seed ${model.table}`]);
      if ((await client.query(`SELECT 1 FROM ${quote(model.table)} LIMIT 1`)).rowCount) return false;
      await this.insertRows(client, changes, model, rows);
      return true;
    });
  }

  /** Inside a write: insert `rows` in statements of as many rows as the protocol's parameter limit allows. */
  private async insertRows(client: pg.PoolClient, changes: Change[], model: TableModel, rows: Values[], parentId?: number): Promise<void> {
    const perRow = model.columns.length + 3 + (model.parent ? 1 : 0);
    const chunk = Math.max(1, Math.floor(MAX_PARAMS / perRow));
    const now = Date.now();
    for (let start = 0; start < rows.length; start += chunk) {
      const slice = rows.slice(start, start + chunk);
      const params: unknown[] = [];
      for (const values of slice) params.push(...(model.parent ? [parentId] : []), 1, now, now, ...toColumns(model, values));
      await client.query(this.insertStatement(model, false, slice.length).replace(/ RETURNING \*$/, ''), params);
    }
    await this.bump(client, changes, model.table, now);
  }

  /**
   * One statement decides: the row is updated only if its version is still
   * the expected one (a concurrent writer holding the row lock makes this
   * one wait, then re-check the version it committed). No row updated: the
   * row is missing, or its version moved.
   */
  async replace(
    model: TableModel,
    id: number,
    values: Values,
    expectedVersion?: number,
    expectedCreatedAt?: Date,
  ): Promise<StoredItem | 'conflict' | 'missing'> {
    const columns = toColumns(model, values);
    const t = quote(model.table);
    const sets = model.columns.map((c, i) => `${quote(c.name)} = $${i + 1}`).join(', ');
    const n = columns.length;
    const outcome = await this.write(async (client, changes): Promise<PgRow | 'conflict' | 'missing'> => {
      const now = Date.now();
      const expected = expectedRow(expectedVersion, expectedCreatedAt, n + 3);
      const params = [...columns, now, id, ...expected.params];
      let rows: PgRow[];
      try {
        ({ rows } = await client.query<PgRow>(
          `UPDATE ${t} SET ${sets}${n ? ', ' : ''}version = version + 1, updated_at = $${n + 1} WHERE id = $${n + 2}${expected.clause} RETURNING *`,
          params,
        ));
      } catch (err) {
        throw missingReference(model.table, err);
      }
      if (!rows[0]) return (await this.exists(client, model, id)) ? 'conflict' : 'missing';
      await this.bump(client, changes, model.table, now, id);
      return rows[0];
    });
    return typeof outcome === 'string' ? outcome : toItem(model, outcome);
  }

  async delete(model: TableModel, id: number, expectedVersion?: number, expectedCreatedAt?: Date): Promise<DeleteOutcome> {
    try {
      return await this.write(async (client, changes): Promise<DeleteOutcome> => {
        const now = Date.now();
        const expected = expectedRow(expectedVersion, expectedCreatedAt, 2);
        const { rowCount } = await client.query(`DELETE FROM ${quote(model.table)} WHERE id = $1${expected.clause}`, [id, ...expected.params]);
        if (!rowCount) return (await this.exists(client, model, id)) ? 'conflict' : 'missing';
        await this.bump(client, changes, model.table, now, id);
        // Rows removed by cascade are not named one by one: their tables changed as a whole.
        for (const table of model.cascadesTo ?? []) await this.bump(client, changes, table, now);
        return 'deleted';
      });
    } catch (err) {
      // 23503 foreign_key_violation: a `restrict` link to the row.
      if ((err as { code?: string }).code === '23503') return { referencedBy: 'another resource' };
      throw err;
    }
  }

  private async exists(client: pg.PoolClient, model: TableModel, id: number): Promise<boolean> {
    return (await client.query(`SELECT 1 FROM ${quote(model.table)} WHERE id = $1`, [id])).rowCount! > 0;
  }

  /** Inside a write: `table` changed (row `id`, or rows it cannot name); its collection version moves. */
  private async bump(client: pg.PoolClient, changes: Change[], table: string, now: number, id?: number): Promise<void> {
    changes.push(id === undefined ? { table } : { table, id });
    await client.query('UPDATE rung_collections SET version = version + 1, updated_at = $1 WHERE name = $2', [now, table]);
  }

  async isReferenced(model: TableModel, column: string, id: number): Promise<boolean> {
    const { rowCount } = await this.query(`SELECT 1 FROM ${quote(model.table)} WHERE ${quote(column)} = $1 LIMIT 1`, [id]);
    return rowCount! > 0;
  }

  async collectionState(model: TableModel): Promise<CollectionState> {
    const { rows } = await this.query<{ version: number; created_at: number; updated_at: number }>(
      'SELECT version, created_at, updated_at FROM rung_collections WHERE name = $1',
      [model.table],
      'rung_collection_state',
    );
    const row = rows[0];
    return Object.freeze({ version: row.version, createdAt: new Date(row.created_at), updatedAt: new Date(row.updated_at) });
  }

  async count(model: TableModel): Promise<number> {
    const { rows } = await this.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM ${quote(model.table)}`);
    return rows[0].n;
  }

  /** A cheap round trip: is the database there? */
  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
