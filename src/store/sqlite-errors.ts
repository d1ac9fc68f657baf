/**
 * What better-sqlite3's errors mean to the store: another connection's lock
 * is a 503 to retry (never a 500), and a refused foreign key is a missing
 * reference (or, on delete, a row still referenced).
 */
import { MissingReferenceError, StoreUnavailableError } from './errors.js';

/** SQLite's result codes for "another connection holds the lock". */
const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED', 'SQLITE_LOCKED_SHAREDCACHE']);

/** A busy database is a 503 to retry, never a 500; any other error passes through. */
export function translate(err: unknown): unknown {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && BUSY_CODES.has(code)) {
    return new StoreUnavailableError('The database is busy with other writes.', 1, { cause: err });
  }
  return err;
}

/** Run a read, with a busy database translated like a write's. */
export function translating<T>(body: () => T): T {
  try {
    return body();
  } catch (err) {
    throw translate(err);
  }
}

/** A foreign key refused the statement (SQLite reports it as FOREIGNKEY or, inside a savepoint, as a TRIGGER constraint). */
export function isForeignKeyError(err: unknown): boolean {
  const { code, message } = err as { code?: string; message?: string };
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || (Boolean(code?.startsWith('SQLITE_CONSTRAINT')) && /FOREIGN KEY/.test(message ?? ''));
}

/** An insert or update that names a row deleted meanwhile (parent or link): a typed error, not a 500. */
export function missingReference(table: string) {
  return (err: unknown): never => {
    throw isForeignKeyError(err) ? new MissingReferenceError(table, { cause: err }) : err;
  };
}
