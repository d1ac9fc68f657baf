/**
 * The databases the reliability tests run against, one engine each. A test
 * runs its body once per entry of {@link engines}; an engine knows how to
 * make a fresh, empty database, the `rung serve` arguments that point the
 * server at it, how to read rows behind the server's back (to compare what
 * the API says with what is stored), and how to drop it.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';

const run = promisify(execFile);

/** One fresh database of an engine, for one test. */
export interface TestDatabase {
  /** Arguments of `rung serve` that make the server use this database. */
  serveArgs: string[];
  /** Run a read-only SQL query (plain SELECT, no parameters) and return its rows. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Drop the database and everything it left behind. */
  drop(): Promise<void>;
}

export interface TestEngine {
  name: string;
  /**
   * `true` when the engine can be used here; otherwise the reason it cannot,
   * and the test skips with that line. Rejects (the test fails) under CI=true.
   */
  available(): Promise<true | string>;
  /** A new, empty database. */
  create(): Promise<TestDatabase>;
}

/** An embedded SQLite file in a temporary directory (`--db <file>`). */
export function sqliteEngine(): TestEngine {
  return {
    name: 'SQLite',
    available: async () => true,
    async create() {
      const dir = mkdtempSync(join(tmpdir(), 'rung-reliability-'));
      const file = join(dir, 'rung.db');
      return {
        serveArgs: ['--db', file],
        async query(sql) {
          // A connection of its own per query, closed at once: it never holds a lock the server waits on.
          const db = new Database(file, { readonly: true, fileMustExist: true });
          try {
            return db.prepare(sql).all() as Record<string, unknown>[];
          } finally {
            db.close();
          }
        },
        async drop() {
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

/** Where the PostgreSQL of the tests runs (trust auth): PGHOST/PGPORT/PGUSER or 127.0.0.1:5432 as postgres. */
function pgConnection() {
  return {
    host: process.env.PGHOST ?? '127.0.0.1',
    port: process.env.PGPORT ?? '5432',
    user: process.env.PGUSER ?? 'postgres',
    /** The database to connect to for CREATE/DROP DATABASE. */
    admin: process.env.PGDATABASE ?? 'test',
  };
}

async function psql(database: string, sql: string): Promise<string> {
  const { host, port, user } = pgConnection();
  const { stdout } = await run('psql', ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-h', host, '-p', port, '-U', user, '-d', database, '-c', sql], {
    env: { ...process.env, PGCONNECT_TIMEOUT: '3' },
  });
  return stdout;
}

/**
 * A database `rung_test_<random>` of its own on the PostgreSQL server
 * (`--database-url postgres://…`), created and dropped with psql.
 */
export function postgresEngine(): TestEngine {
  return {
    name: 'PostgreSQL',
    async available() {
      const { host, port, admin } = pgConnection();
      try {
        await psql(admin, 'SELECT 1');
        return true;
      } catch (err) {
        const reason = `PostgreSQL is not reachable at ${host}:${port} (database ${admin}): ${String((err as Error).message).split('\n')[0]}`;
        if (process.env.CI === 'true') throw new Error(`${reason}; CI needs it`);
        return reason;
      }
    },
    async create() {
      const { host, port, user, admin } = pgConnection();
      const name = `rung_test_${randomBytes(6).toString('hex')}`;
      await psql(admin, `CREATE DATABASE ${name}`);
      return {
        serveArgs: ['--database-url', `postgres://${user}@${host}:${port}/${name}`],
        async query(sql) {
          const out = (await psql(name, `SELECT coalesce(json_agg(t), '[]') FROM (${sql}) t`)).trim();
          return JSON.parse(out) as Record<string, unknown>[];
        },
        async drop() {
          // WITH (FORCE) (PostgreSQL 13+) ends the connections a killed server left open.
          await psql(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        },
      };
    },
  };
}

/** Every engine the reliability tests run on: the embedded default, and PostgreSQL. */
export const engines: TestEngine[] = [sqliteEngine(), postgresEngine()];

/**
 * Declare the tests of `body` once per engine: a `describe` per engine whose
 * `before` skips the whole block (one printed line) when the engine is not
 * available here.
 */
export function forEachEngine(title: string, body: (engine: TestEngine) => void, list: TestEngine[] = engines): void {
  for (const engine of list) {
    describe(`${title} (${engine.name})`, function () {
      before(async function () {
        const ready = await engine.available();
        if (ready !== true) {
          console.log(`      skipped on ${engine.name}: ${ready}`);
          this.skip();
        }
      });
      body(engine);
    });
  }
}
