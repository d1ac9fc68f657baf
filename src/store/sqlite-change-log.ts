/**
 * The change log on SQLite (`rung_changes`), and how a process learns what
 * other connections to the same file committed. Every write transaction
 * appends what it changed, in the same transaction; `PRAGMA data_version`
 * moves only when another connection committed, and the entries after the
 * last one seen then name what changed. A log with a gap (trimmed past what
 * we saw) or no entry at all (a writer that keeps no log) means anything may
 * have changed. What is learnt goes to the {@link ChangeTracker}.
 */
import type Database from 'better-sqlite3';
import type { ChangeTracker, Change } from './changes.js';
import { translating } from './sqlite-errors.js';
import type { SqliteStatements } from './sqlite-statements.js';

/** Change-log entries kept (older ones are trimmed); a reader further behind drops all its caches. */
const LOG_KEEP = 10_000;
/** Own log entries between two trims. */
const TRIM_EVERY = 1000;
/** Entries read at once when catching up; more means a bulk write: drop everything instead. */
const LOG_READ_LIMIT = 2000;

export class ChangeLog {
  private dataVersion: unknown = undefined;
  /** The newest change-log entry this process has taken into account. */
  private seenSeq = 0;
  /** Entries this process appended that it has not yet read past. */
  private readonly ownSeqs = new Set<number>();
  private ownSinceTrim = 0;
  /** The log's table exists and {@link start} has read where it ends. */
  private ready = false;
  private readonly dataVersionStatement: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly statements: SqliteStatements,
    private readonly tracker: ChangeTracker,
  ) {
    this.dataVersionStatement = db.prepare('PRAGMA data_version').pluck();
  }

  /** After the migration: what we cache from here on is current as of the newest log entry. */
  start(): void {
    translating(() => {
      this.dataVersion = this.dataVersionStatement.get();
      this.seenSeq = (this.db.prepare('SELECT max(seq) FROM rung_changes').pluck().get() as number | null) ?? 0;
    });
    this.ready = true;
    this.tracker.everything();
  }

  /** Catch up with commits of other connections (see the file comment). */
  sync(): void {
    let version = this.dataVersionStatement.get();
    if (version === this.dataVersion) {
      // Nobody else committed since we last read the log: every newer entry is ours.
      this.seeOwn();
      return;
    }
    if (!this.ready) {
      this.dataVersion = version;
      return;
    }
    const found: Change[] = [];
    let complete = true;
    for (;;) {
      const entries = this.statements.prepare('SELECT seq, tbl, row_id FROM rung_changes WHERE seq > ? ORDER BY seq LIMIT ?').all(this.seenSeq, LOG_READ_LIMIT + 1) as {
        seq: number;
        tbl: string;
        row_id: number | null;
      }[];
      if (entries.length > LOG_READ_LIMIT) {
        complete = false;
        this.seenSeq = (this.statements.prepare('SELECT max(seq) FROM rung_changes').pluck().get() as number | null) ?? this.seenSeq;
      } else {
        for (const entry of entries) {
          if (entry.seq !== this.seenSeq + 1) complete = false;
          this.seenSeq = entry.seq;
          if (this.ownSeqs.delete(entry.seq) || entry.tbl === '') continue;
          found.push(entry.row_id === null ? { table: entry.tbl } : { table: entry.tbl, id: entry.row_id });
        }
      }
      // A commit between the pragma and the query: read again from where we are.
      const again = this.dataVersionStatement.get();
      if (again === version) break;
      version = again;
    }
    this.dataVersion = version;
    if (!complete || found.length === 0) this.tracker.everything();
    else this.tracker.record(found);
  }

  /** Append committed changes to the change log (inside the transaction); trim it now and then. Returns the entries' numbers. */
  append(changes: Change[]): number[] {
    if (!this.ready || changes.length === 0) return [];
    const append = this.statements.prepare('INSERT INTO rung_changes (tbl, row_id) VALUES (?, ?)');
    const seqs = changes.map((c) => Number(append.run(c.table, c.id ?? null).lastInsertRowid));
    this.ownSinceTrim += changes.length;
    if (this.ownSinceTrim >= TRIM_EVERY) {
      this.ownSinceTrim = 0;
      this.statements.prepare('DELETE FROM rung_changes WHERE seq <= ?').run(seqs[seqs.length - 1] - LOG_KEEP);
      // The trim is a commit too: give it an entry, so readers do not take it for an unlogged write.
      seqs.push(Number(append.run('', null).lastInsertRowid));
    }
    return seqs;
  }

  /** After our own commit of `changes` under the entries `seqs`: remember them as ours, and tell the tracker. */
  committed(seqs: number[], changes: Change[]): void {
    for (const seq of seqs) this.ownSeqs.add(seq);
    // No other connection committed since we last read the log: every newer entry is ours
    // (without this, a run of writes with no read in between would pile up `ownSeqs`).
    if (this.ready && translating(() => this.dataVersionStatement.get()) === this.dataVersion) this.seeOwn();
    this.tracker.record(changes);
  }

  /** Every entry of ours is seen: read past them. */
  private seeOwn(): void {
    for (const seq of this.ownSeqs) if (seq > this.seenSeq) this.seenSeq = seq;
    this.ownSeqs.clear();
  }
}
