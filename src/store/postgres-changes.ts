/**
 * The change log on PostgreSQL, and how an instance learns what every other
 * instance committed before it reuses anything cached.
 *
 * Writing: every write transaction ends by moving the counter of the one
 * row of `rung_clock` by the number of its changes and appending them to
 * `rung_changes` under those numbers. The row lock on the clock is held
 * until the commit, so log entries become visible in the order of their
 * numbers, without gaps: a reader that has seen entry n has seen every
 * entry before it (a plain sequence would not do: numbers taken by two
 * transactions can commit in the other order, and a reader that saw the
 * later one would never look back for the earlier). A gap means the log was
 * trimmed past the reader: anything may have changed.
 *
 * Reading: {@link ChangeFeed.catchUp} asks for the entries after the last one
 * seen — one indexed query. A caller is answered only by a query that
 * *started after it called*: a client that got a 2xx for a write on another
 * instance and then asks here has its write counted, so nothing cached from
 * before it is served (read-your-writes across instances; a notification
 * could arrive after the read, a query cannot). Callers that arrive while a
 * query runs share the next one, so under load there is at most one query
 * running and one waiting, however many requests.
 */
import type { Pool, PoolClient } from 'pg';
import { ChangeTracker, type Change } from './changes.js';

/** Change-log entries kept (older ones are trimmed); a reader further behind drops all its caches. */
const LOG_KEEP = 10_000;
/** Own log entries between two trims. */
const TRIM_EVERY = 1000;
/** Entries read at once; more means a bulk write: drop everything instead. */
const LOG_READ_LIMIT = 2000;

export class ChangeFeed {
  readonly tracker = new ChangeTracker();
  /** The newest log entry taken into account. */
  private seenSeq = 0;
  /** Entries this instance appended and already recorded, not yet read past. */
  private readonly ownSeqs = new Set<number>();
  private ownSinceTrim = 0;
  private running: Promise<void> | undefined;
  private waiting: Promise<void> | undefined;

  constructor(private readonly pool: Pool) {}

  /** Start from the newest entry: what is cached from now on is current as of it. */
  async start(): Promise<void> {
    const { rows } = await this.pool.query<{ seq: number }>('SELECT seq FROM rung_clock');
    this.seenSeq = rows[0]?.seq ?? 0;
    this.ownSeqs.clear();
    this.tracker.everything();
  }

  /**
   * Inside a write transaction, as its last statements: number `changes` and
   * append them to the log. Returns their numbers, to {@link committed} once
   * the transaction has committed.
   */
  async append(client: PoolClient, changes: readonly Change[]): Promise<number[]> {
    if (changes.length === 0) return [];
    const { rows } = await client.query<{ seq: number }>('UPDATE rung_clock SET seq = seq + $1 RETURNING seq', [changes.length]);
    const last = rows[0].seq;
    const seqs = changes.map((_, i) => last - changes.length + 1 + i);
    await client.query(
      'INSERT INTO rung_changes (seq, tbl, row_id) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[])',
      [seqs, changes.map((c) => c.table), changes.map((c) => c.id ?? null)],
    );
    this.ownSinceTrim += changes.length;
    if (this.ownSinceTrim >= TRIM_EVERY) {
      this.ownSinceTrim = 0;
      await client.query('DELETE FROM rung_changes WHERE seq <= $1', [last - LOG_KEEP]);
    }
    return seqs;
  }

  /** A write of ours committed: its changes count at once (our own reads see them), and are skipped when read from the log. */
  committed(changes: readonly Change[], seqs: readonly number[]): void {
    for (const seq of seqs) if (seq > this.seenSeq) this.ownSeqs.add(seq);
    this.tracker.record(changes);
  }

  /** Resolves once a query that started after this call has brought the tracker up to date. */
  catchUp(): Promise<void> {
    if (!this.running) return this.run();
    this.waiting ??= this.running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        this.waiting = undefined;
        return this.run();
      });
    return this.waiting;
  }

  private run(): Promise<void> {
    const running = this.poll().finally(() => {
      if (this.running === running) this.running = undefined;
    });
    this.running = running;
    return running;
  }

  private async poll(): Promise<void> {
    const { rows } = await this.pool.query<{ seq: number; tbl: string; row_id: number | null }>({
      name: 'rung_changes_after',
      text: 'SELECT seq, tbl, row_id FROM rung_changes WHERE seq > $1 ORDER BY seq LIMIT $2',
      values: [this.seenSeq, LOG_READ_LIMIT + 1],
    });
    if (rows.length === 0) return;
    const found: Change[] = [];
    let complete = rows.length <= LOG_READ_LIMIT;
    for (const entry of rows) {
      if (entry.seq !== this.seenSeq + 1) complete = false;
      this.seenSeq = entry.seq;
      if (this.ownSeqs.delete(entry.seq)) continue;
      found.push(entry.row_id === null ? { table: entry.tbl } : { table: entry.tbl, id: entry.row_id });
    }
    for (const seq of this.ownSeqs) if (seq <= this.seenSeq) this.ownSeqs.delete(seq);
    if (!complete) this.tracker.everything();
    else if (found.length) this.tracker.record(found);
  }
}
