/**
 * PostgreSQL for tests: each run gets a database of its own
 * (`rung_test_<random>`), dropped afterwards.
 *
 * Where PostgreSQL is: `RUNG_TEST_PG_URL` (a server URL; its database is
 * only used to create and drop test databases), else 127.0.0.1:5432 as
 * user `postgres`, database `test` (this project's machines: trust auth).
 *
 * When it cannot be reached: under `CI=true` the suite fails (CI must run
 * it); elsewhere it is skipped with one line saying so.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_ADMIN_URL = process.env.RUNG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  /** URL of the fresh database. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

let reachable: Promise<string | undefined> | undefined;

/** Undefined when PostgreSQL answers; else why not. Asked once per run. */
function unreachableReason(): Promise<string | undefined> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return undefined;
    } catch (err) {
      return (err as Error).message || String(err);
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

let announced = false;

/**
 * Call in a `before` hook (with `this`): skips the suite (one line) when
 * PostgreSQL cannot be reached, fails it under CI.
 */
export async function requirePostgres(context: Mocha.Context, suite: string): Promise<void> {
  const reason = await unreachableReason();
  if (!reason) return;
  if (process.env.CI === 'true') throw new Error(`PostgreSQL is required under CI=true but ${PG_ADMIN_URL.replace(/:[^:@/]*@/, ':***@')} cannot be reached: ${reason}`);
  // One line for the whole run, however many suites skip.
  if (!announced) {
    announced = true;
    console.log(`  PostgreSQL tests skipped (${suite} and the others): PostgreSQL at ${new URL(PG_ADMIN_URL).host} cannot be reached (${reason}); under CI=true they fail instead.`);
  }
  context.skip();
}

/** Create a fresh database for this run. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `rung_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    // Tests need commits visible, not durable across a machine crash: skipping the WAL flush
    // keeps them quick and changes no visibility or locking (the flush happens after the commit is visible).
    await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      try {
        // WITH (FORCE): connections a failed test left open do not keep the database alive (PostgreSQL 13+).
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
