/**
 * One write transaction of the PostgreSQL store on a pooled connection:
 * `body` runs its statements and names its changes; the change log is
 * appended last (the clock's row lock is then held only for the commit), and
 * the promise resolves only after COMMIT. A transaction that lost to a
 * concurrent one (serialization failure, deadlock) is retried a few times;
 * other errors are translated (an unavailable database is a 503).
 */
import type pg from 'pg';
import type { Change } from './changes.js';
import type { ChangeFeed } from './postgres-changes.js';
import { isRetryable, translate } from './postgres-sql.js';

/** Attempts of a write whose transaction lost to a concurrent one (serialization failure, deadlock). */
const ATTEMPTS = 4;

/** What a write does inside its transaction: its statements on `client`, its changes pushed to `changes`. */
export type WriteBody<T> = (client: pg.PoolClient, changes: Change[]) => Promise<T>;

export async function writeTransaction<T>(pool: pg.Pool, feed: ChangeFeed, body: WriteBody<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw translate(err);
    }
    let broken: Error | undefined;
    try {
      const changes: Change[] = [];
      await client.query('BEGIN');
      const value = await body(client, changes);
      const seqs = await feed.append(client, changes);
      await client.query('COMMIT');
      feed.committed(changes, seqs);
      return value;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      if (isRetryable(err) && attempt < ATTEMPTS) continue;
      throw translate(err);
    } finally {
      client.release(broken);
    }
  }
}
