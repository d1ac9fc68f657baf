/**
 * The {@link TokenStore} on SQLite: table `rung_tokens` in the API's own
 * database file, through a connection of its own (so the resource store's
 * caches and statements are left alone). WAL like the resource store;
 * writes are IMMEDIATE transactions, so a `rung token create` while the
 * server runs waits for the lock instead of failing; the busy timeout
 * bounds that wait.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreUnavailableError } from './errors.js';
import { generateToken, hashToken, parseScopes, tokenRecord, type CreatedToken, type Scope, type TokenRecord, type TokenRow, type TokenStore } from './tokens.js';

export interface SqliteTokenOptions {
  /** The database file (the same one the API's resources live in), or `:memory:`. */
  path: string;
  busyTimeoutMs?: number;
}

const TABLE = 'rung_tokens';

const BUSY = /^SQLITE_(BUSY|LOCKED)/;

export class SqliteTokenStore implements TokenStore {
  private readonly db: Database.Database;
  private readonly statements: {
    insert: Database.Statement;
    list: Database.Statement;
    revoke: Database.Statement;
    find: Database.Statement;
  };

  constructor(options: SqliteTokenOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      hash TEXT NOT NULL UNIQUE,
      name TEXT,
      scopes TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      revoked_at INTEGER
    )`);
    this.statements = {
      insert: this.db.prepare(`INSERT INTO ${TABLE} (hash, name, scopes, created_at) VALUES (?, ?, ?, ?) RETURNING id, name, scopes, created_at, revoked_at`),
      list: this.db.prepare(`SELECT id, name, scopes, created_at, revoked_at FROM ${TABLE} ORDER BY id`),
      revoke: this.db.prepare(`UPDATE ${TABLE} SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`),
      find: this.db.prepare(`SELECT id, name, scopes, created_at, revoked_at FROM ${TABLE} WHERE hash = ? AND revoked_at IS NULL`),
    };
  }

  /** Run `fn`, a busy database becoming a 503 to retry (never a 500). */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (BUSY.test(String((err as { code?: unknown }).code))) {
        throw new StoreUnavailableError('The database is busy.', 1, { cause: err });
      }
      throw err;
    }
  }

  async create(options: { scopes: Scope[]; name?: string }): Promise<CreatedToken> {
    const scopes = parseScopes(options.scopes);
    const token = generateToken();
    const row = this.guard(() =>
      this.db
        .transaction(() => this.statements.insert.get(hashToken(token), options.name ?? null, scopes.join(','), Date.now()) as TokenRow)
        .immediate(),
    );
    return { token, record: tokenRecord(row) };
  }

  async list(): Promise<TokenRecord[]> {
    return this.guard(() => (this.statements.list.all() as TokenRow[]).map(tokenRecord));
  }

  async revoke(id: number): Promise<boolean> {
    return this.guard(() => this.db.transaction(() => this.statements.revoke.run(Date.now(), id).changes > 0).immediate());
  }

  async findByHash(hash: string): Promise<TokenRecord | undefined> {
    const row = this.guard(() => this.statements.find.get(hash) as TokenRow | undefined);
    return row && tokenRecord(row);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
