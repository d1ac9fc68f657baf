/**
 * Group commit on one SQLite connection: the first write of a turn of the
 * event loop commits at once; the writes requested after it in the same turn
 * run together at the end of the turn, in one IMMEDIATE transaction, each in
 * its own savepoint (one that fails is rolled back alone and rejected with
 * its own error), and are all acknowledged once that transaction has
 * committed. Many concurrent writes then cost one lock, one commit and one
 * WAL append of the pages they share.
 */
import type Database from 'better-sqlite3';
import type { Change } from './changes.js';
import { StoreUnavailableError } from './errors.js';
import type { ChangeLog } from './sqlite-change-log.js';
import { translate } from './sqlite-errors.js';
import type { ReadCache } from './sqlite-read-cache.js';
import type { ReadTurn } from './sqlite-read-turn.js';
import type { TransactionStatements } from './sqlite-statements.js';

/** One write waiting for the next group commit. */
interface PendingWrite {
  body: () => unknown;
  /** After the commit, in the group's order: turn the body's result into the value resolved (and cache it). */
  settle?: (value: unknown) => unknown;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

export class GroupCommit {
  /** Write transactions committed (one per group commit): diagnostics. */
  commits = 0;
  private queue: PendingWrite[] = [];
  private flushScheduled = false;
  private committedThisTurn = false;
  private readonly endWriteTurn = () => {
    this.committedThisTurn = false;
  };
  /** Changes of the write running now (collected by {@link changed}, kept only if it succeeds). */
  private changes: Change[] = [];

  constructor(
    private readonly db: Database.Database,
    private readonly tx: TransactionStatements,
    private readonly reads: ReadTurn,
    private readonly log: ChangeLog,
    private readonly cache: ReadCache,
  ) {}

  /** Inside a write's body: it changed `change`. */
  changed(change: Change): void {
    this.changes.push(change);
  }

  /**
   * Queue `body` for the next group commit (see the file comment); resolves
   * with its result (through `settle`) once the transaction holding it has
   * committed. `settle` runs right after the commit, in the order of the
   * group, so what it caches is what the writes after it in the group leave.
   */
  write<T, R = T>(body: () => T, settle?: (value: T) => R): Promise<R> {
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

  /** Before the connection closes: commit what is queued. */
  close(): void {
    if (this.queue.length) this.flush();
  }

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
      this.reads.closeRead();
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
        ownSeqs.push(...this.log.append(committed));
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
    this.log.committed(ownSeqs, committed);
    // Replay the group's effect on the row cache in order: a row one write
    // caches and a later write of the group changes or deletes (or removes by
    // cascade) is dropped again, so no write's row outlives a later one.
    batch.forEach((write, i) => {
      const outcome = outcomes[i];
      if (!outcome.ok) return;
      if (i > 0) this.cache.dropRows(outcome.changes!);
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
}
