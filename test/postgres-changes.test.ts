/**
 * Issue 13 §2, without a database: how an instance learns what the others
 * committed (src/store/postgres-changes.ts). A caller of `catchUp` is
 * answered only by a log query that started after it called — a query
 * already running when it arrived may have taken its snapshot before the
 * write it must see — and the callers that arrive during one query share the
 * next. A gap in the log (trimmed past us) drops everything.
 */
import { expect } from 'chai';
import type { Pool } from 'pg';
import { rowTags } from '../src/store/changes.js';
import { ChangeFeed } from '../src/store/postgres-changes.js';

interface Entry {
  seq: number;
  tbl: string;
  row_id: number | null;
}

/** A pool whose log queries see the log as it was when they started, and finish when the test says. */
function fakePool() {
  const log: Entry[] = [];
  const pending: (() => void)[] = [];
  let clock = 0;
  const pool = {
    async query(config: string | { values?: unknown[] }) {
      if (typeof config === 'string') return { rows: [{ seq: clock }] };
      const after = Number(config.values![0]);
      const snapshot = log.filter((e) => e.seq > after).map((e) => ({ ...e }));
      await new Promise<void>((resolve) => pending.push(resolve));
      return { rows: snapshot };
    },
  };
  return {
    pool: pool as unknown as Pool,
    commit(tbl: string, row_id: number | null, seq = ++clock) {
      clock = Math.max(clock, seq);
      log.push({ seq, tbl, row_id });
    },
    /** Queries started and not yet answered. */
    get running() {
      return pending.length;
    },
    finishOne() {
      pending.shift()!();
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('PostgreSQL change feed', () => {
  it('answers a caller only with a query begun after it called; callers arriving meanwhile share the next query', async () => {
    const db = fakePool();
    const feed = new ChangeFeed(db.pool);
    await feed.start();
    const position = feed.tracker.position;

    let firstDone = false;
    const first = feed.catchUp().then(() => (firstDone = true));
    await tick();
    expect(db.running).to.equal(1);
    // Another instance commits, and its client then asks here while the first query still runs.
    db.commit('countries', 7);
    const late = [feed.catchUp(), feed.catchUp(), feed.catchUp()];
    let lateDone = false;
    void Promise.all(late).then(() => (lateDone = true));
    db.finishOne();
    await first;
    expect(firstDone).to.equal(true);
    // The first query's snapshot predates the commit: the late callers must not be answered by it.
    expect(lateDone).to.equal(false);
    expect(feed.tracker.changedSince(rowTags('countries', 7), position)).to.equal(false);
    await tick();
    expect(db.running, 'one query for all three late callers').to.equal(1);
    db.finishOne();
    await Promise.all(late);
    expect(feed.tracker.changedSince(rowTags('countries', 7), position)).to.equal(true);
    expect(feed.tracker.changedSince(rowTags('countries', 8), position)).to.equal(false);
  });

  it('skips its own entries (already counted at commit) and drops everything after a gap', async () => {
    const db = fakePool();
    const feed = new ChangeFeed(db.pool);
    await feed.start();
    // Our own write: counted at once, then met again in the log.
    db.commit('countries', 1);
    feed.committed([{ table: 'countries', id: 1 }], [1]);
    const afterOwn = feed.tracker.position;
    let done = feed.catchUp();
    await tick();
    db.finishOne();
    await done;
    expect(feed.tracker.position, 'nothing new to record').to.equal(afterOwn);

    // Entries 2 and 3 were trimmed before we read them: anything may have changed.
    db.commit('events', 9, 4);
    done = feed.catchUp();
    await tick();
    db.finishOne();
    await done;
    expect(feed.tracker.changedSince(rowTags('countries', 123), afterOwn)).to.equal(true);
  });
});
