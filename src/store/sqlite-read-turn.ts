/**
 * The reads of one turn of the event loop on a SQLite connection: the first
 * catches up with other connections' commits (once per turn), and the
 * statements that read tables share one read transaction, which spares
 * every statement its own WAL read lock (two `fcntl` calls each). It ends
 * at the end of the turn (`setImmediate`), or before a write of ours. A turn
 * that only serves cached responses opens none.
 */
import type Database from 'better-sqlite3';
import type { TransactionStatements } from './sqlite-statements.js';

export class ReadTurn {
  /** The change log was consulted in this turn of the event loop. */
  private syncedThisTurn = false;
  /** A read transaction of ours is open (see {@link reading}). */
  private readOpen = false;
  private endTurnScheduled = false;
  private readonly endTurn = () => {
    this.endTurnScheduled = false;
    this.syncedThisTurn = false;
    this.closeRead();
  };

  /** `sync`: catch up with other connections' commits (see ChangeLog.sync). */
  constructor(
    private readonly db: Database.Database,
    private readonly tx: TransactionStatements,
    private readonly sync: () => void,
  ) {}

  /**
   * Once per turn of the event loop, before anything cached is trusted:
   * catch up with other connections' commits. Requests handled in the same
   * turn are concurrent with any outside commit, so either order is a valid
   * serialisation.
   */
  turn(): void {
    if (this.syncedThisTurn) return;
    this.syncedThisTurn = true;
    this.scheduleEndTurn();
    this.sync();
  }

  /** Before a statement that reads tables: join (or open) this turn's read transaction. */
  reading(): void {
    this.turn();
    if (this.readOpen || !this.db.open) return;
    this.tx.beginRead.run();
    this.readOpen = true;
  }

  /** End the read transaction, if one is open (before a write, or at the end of the turn). */
  closeRead(): void {
    if (!this.readOpen) return;
    this.readOpen = false;
    if (this.db.open && this.db.inTransaction) this.tx.commit.run();
  }

  private scheduleEndTurn(): void {
    if (this.endTurnScheduled) return;
    this.endTurnScheduled = true;
    setImmediate(this.endTurn);
  }
}
