/**
 * `rung audit`: measure the Richardson level of any live HTTP API from one
 * URL, with evidence. Each criterion (a {@link Check}) records the requests
 * it sent and the answers it saw; a level is reached when every required
 * criterion of it and of the levels below that could be run has passed.
 *
 * Only safe requests (GET, HEAD, OPTIONS) unless `allowWrites`: then it
 * creates one item by copying one it read, probes with it, and deletes it.
 * For APIs that read only by POST (levels 0 and 1), `post` is the body of
 * a read request the user vouches for; the audit POSTs it where it would GET.
 */
import type { Check } from './evidence.js';
import { type LevelScore, grade } from './grade.js';
import type { Level } from './maturity.js';
import { discover } from './discovery.js';
import { checkHypermedia } from './hypermedia-checks.js';
import { checkResources } from './resource-checks.js';
import { type AuditOptions, openSession } from './session.js';
import { checkErrorStatuses, checkHttpVerbs } from './verb-checks.js';
import { checkWrites } from './write-checks.js';

export interface AuditResult {
  url: string;
  level: Level;
  checks: Check[];
  scores: LevelScore[];
  /** The next step to climb (undefined at level 3 with nothing left). */
  next?: string;
  requests: number;
  allowWrites: boolean;
}

/** The checks of every level in the order they depend on each other (writes before the status check that counts their answers). */
export async function audit(url: string, options: AuditOptions = {}): Promise<AuditResult> {
  const session = openSession(options);
  const found = await discover(url, session);
  checkResources(session, found);
  const verbs = await checkHttpVerbs(session, found);
  await checkWrites(session, found, verbs);
  checkErrorStatuses(session);
  checkHypermedia(session, found);
  const { client, checks } = session;
  checks.sort((a, b) => a.level - b.level);
  return { url, ...grade(checks), requests: client.requests, allowWrites: Boolean(options.allowWrites) };
}
