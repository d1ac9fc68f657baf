/**
 * The connection pool of the PostgreSQL store: its options, BIGINT parsed
 * to numbers, an idle connection the server dropped discarded quietly, and
 * a database URL with its password hidden for logs and messages.
 */
import { createRequire } from 'node:module';
import type pg from 'pg';
import { INT8_OID } from './postgres-sql.js';

export interface PostgresOptions {
  /** `postgres://user:password@host:port/database` (libpq's URL form). */
  connectionString: string;
  /** Connections in the pool (default 10). */
  max?: number;
  /** How long a request waits for a free connection before it is answered 503 (default 5000 ms). */
  connectionTimeoutMs?: number;
}

/**
 * The `pg` driver, required the first time a pool is made: a server on
 * SQLite never loads it (~15 MB). It is CommonJS, so a synchronous require
 * keeps `new PostgresStore()` synchronous.
 */
let driver: typeof pg | undefined;
const pgDriver = (): typeof pg => (driver ??= createRequire(import.meta.url)('pg') as typeof pg);

const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pgDriver().types.getTypeParser(oid, format as 'text');
  },
};

/** The URL without its password, for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}

export function createPool(options: PostgresOptions): pg.Pool {
  const pool = new (pgDriver().Pool)({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
    types,
  });
  // An idle connection the server dropped (restart, admin shutdown): the pool discards it;
  // without a listener the error would end the process.
  pool.on('error', () => undefined);
  return pool;
}
