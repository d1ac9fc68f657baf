/**
 * The databases of the reliability tests (test/support/engines.ts): each
 * engine makes a fresh database that answers queries, and drops it again.
 * PostgreSQL is checked here even before the PostgreSQL store lands, so its
 * create/drop is known to work when it joins the engine list.
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { postgresEngine, sqliteEngine, type TestEngine } from './support/engines.js';

function checkLifecycle(engine: TestEngine, exists: (args: string[]) => Promise<boolean>) {
  describe(`test database on ${engine.name}`, function () {
    this.timeout(30_000);
    before(async function () {
      const ready = await engine.available();
      if (ready !== true) {
        console.log(`      skipped on ${engine.name}: ${ready}`);
        this.skip();
      }
    });

    it('is created fresh for each test, answers queries, and is dropped', async () => {
      const first = await engine.create();
      const second = await engine.create();
      try {
        expect(first.serveArgs).to.not.deep.equal(second.serveArgs);
        expect(await exists(first.serveArgs)).to.equal(true);
        if (engine.name === 'SQLite') {
          // The file appears once the server (here: a direct connection) writes to it.
          const Database = (await import('better-sqlite3')).default;
          const db = new Database(first.serveArgs[1]);
          db.exec('CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2)');
          db.close();
          expect(await first.query('SELECT n FROM t ORDER BY n')).to.deep.equal([{ n: 1 }, { n: 2 }]);
        } else {
          expect(await first.query('SELECT 1 AS n UNION ALL SELECT 2')).to.deep.equal([{ n: 1 }, { n: 2 }]);
        }
      } finally {
        await first.drop();
        await second.drop();
      }
      expect(await exists(first.serveArgs)).to.equal(false);
      expect(await exists(second.serveArgs)).to.equal(false);
    });
  });
}

checkLifecycle(sqliteEngine(), async ([, file]) => existsSync(file.replace(/\/[^/]+$/, '')));

checkLifecycle(postgresEngine(), async ([, url]) => {
  const name = new URL(url).pathname.slice(1);
  expect(name).to.match(/^rung_test_[0-9a-f]{12}$/);
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync('psql', ['-X', '-tA', '-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-c', `SELECT count(*) FROM pg_database WHERE datname = '${name}'`]).toString();
  return out.trim() === '1';
});
