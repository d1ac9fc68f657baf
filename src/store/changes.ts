/**
 * What changed, at the grain of the data: the caches in front of a store
 * (rows, whole responses) keep what they hold while nothing it was made of
 * has changed, so a write to one item leaves every unrelated item cached.
 *
 * A cached value names what it was made of with *tags*:
 *
 * - {@link tableTag} — a table as a whole (its collection pages, its state
 *   version): moved by every write to any of its rows;
 * - {@link rowTags} — one row: moved by a write to that row, or by a write to
 *   rows of its table that the store cannot name one by one (a cascade).
 *
 * Every store feeds one {@link ChangeTracker} with the changes it commits and
 * the changes other processes (or instances) committed, which it learns from
 * a change log kept in the database itself (for SQLite, `rung_changes`; a
 * PostgreSQL store can keep the same table and poll its newest `seq` once per
 * request, with LISTEN/NOTIFY only to learn earlier).
 */

/** One change a write made: a row of `table`, or (no id) rows of it the store cannot name. */
export interface Change {
  table: string;
  id?: number;
}

/** The tag of a table as a whole: moved by any write to it. */
export const tableTag = (table: string): string => table;
/** The tags of one row: the row itself, and its table's "any row" tag (moved by a cascade). */
export const rowTags = (table: string, id: number): string[] => [`${table}#${id}`, `${table}#*`];
/** Moved by every change: what a value that names no tags depends on. */
export const ANY = '*';

/**
 * Which cached values are still current. A value made after reading
 * {@link position} is current while {@link changedSince} its tags and that
 * position is false.
 */
export interface Freshness {
  /** The number of changes seen so far (by this process, from any writer). */
  readonly position: number;
  /** Has anything `tags` name changed after `position`? (`undefined` tags: anything at all.) */
  changedSince(tags: readonly string[] | undefined, position: number): boolean;
}

/**
 * The in-memory record of the latest change of each tag. Table tags (and
 * {@link ANY}) are few and always kept; row tags are bounded: the least
 * recently changed rows are forgotten first, and a forgotten row counts as
 * changed at the newest position forgotten (`floor`), which can only make a
 * cached value look older than it is — never fresher.
 */
export class ChangeTracker implements Freshness {
  position = 0;
  private floor = 0;
  /** Table tags, `table#*` tags and ANY → position of their latest change. */
  private readonly tables = new Map<string, number>();
  /** Row tags → position of their latest change. */
  private readonly rows = new Map<string, number>();
  /** Row tags in the order they were changed (with the position of that change), oldest first from `head`. */
  private queue: string[] = [];
  private queued: number[] = [];
  private head = 0;
  private readonly listeners: ((changes: readonly Change[] | 'everything') => void)[] = [];

  constructor(private readonly limit = 10_000) {}

  /** Called with every batch of changes recorded (`'everything'`: all cached values are stale). */
  onChange(listener: (changes: readonly Change[] | 'everything') => void): void {
    this.listeners.push(listener);
  }

  /** Record the changes of one commit. */
  record(changes: readonly Change[]): void {
    if (changes.length === 0) return;
    const position = ++this.position;
    this.tables.set(ANY, position);
    for (const { table, id } of changes) {
      this.tables.set(tableTag(table), position);
      if (id === undefined) this.tables.set(`${table}#*`, position);
      else this.touchRow(`${table}#${id}`, position);
    }
    for (const listener of this.listeners) listener(changes);
  }

  /** Something changed that cannot be named (a writer that kept no log, a log trimmed past us): nothing cached is current. */
  everything(): void {
    this.floor = ++this.position;
    this.tables.clear();
    this.rows.clear();
    this.queue = [];
    this.queued = [];
    this.head = 0;
    for (const listener of this.listeners) listener('everything');
  }

  changedSince(tags: readonly string[] | undefined, position: number): boolean {
    if (this.floor > position) return true;
    if (tags === undefined) return (this.tables.get(ANY) ?? 0) > position;
    for (const tag of tags) if ((this.tables.get(tag) ?? this.rows.get(tag) ?? this.floor) > position) return true;
    return false;
  }

  private touchRow(tag: string, position: number): void {
    // Set in place (no delete and re-insert): the queue keeps the order of changes.
    this.rows.set(tag, position);
    this.queue.push(tag);
    this.queued.push(position);
    if (this.rows.size > this.limit) {
      // Forget the least recently changed row; entries of rows changed again since are skipped.
      while (this.head < this.queue.length) {
        const oldest = this.queue[this.head];
        const at = this.queued[this.head++];
        if (this.rows.get(oldest) !== at) continue;
        this.rows.delete(oldest);
        if (at > this.floor) this.floor = at;
        break;
      }
    }
    // Drop what the head has passed, and entries of rows changed again since, now and then.
    if (this.queue.length > 2 * this.limit + 1024) {
      const queue: string[] = [];
      const queued: number[] = [];
      for (let i = this.head; i < this.queue.length; i++) {
        if (this.rows.get(this.queue[i]) !== this.queued[i]) continue;
        queue.push(this.queue[i]);
        queued.push(this.queued[i]);
      }
      this.queue = queue;
      this.queued = queued;
      this.head = 0;
    }
  }
}
