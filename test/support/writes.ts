/**
 * A client for the reliability tests that records every write it sends and
 * what became of it, and reads back stored state through the API: the
 * material the crash and concurrency models judge.
 *
 * A Rung ETag is `"<revision>.<created>.<version>[.<collection versions>]-<variant>"`
 * (src/hypermedia/representations.ts): `created` (base 36 ms) names the
 * generation of an item (a re-created id starts a new one), `version` counts
 * its writes from 1.
 */
import { startCli, type Child } from '../helpers.js';

/** The data fields of an item as the tests compare them (link values as paths). */
export type Fields = Record<string, string | number>;

/** A request body: fields, and (in a merge patch) null to remove one. */
export type Body = Record<string, string | number | null>;

/** The state of one item: its generation, version and fields. */
export interface ItemState {
  generation: string;
  version: number;
  content: Fields;
  etag: string;
}

export type Method = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Write {
  /** Unique number of the write; its values are tagged with it, so no write is a no-op. */
  seq: number;
  method: Method;
  /** Item path (PUT, PATCH, DELETE) or collection path (POST). */
  path: string;
  body?: Body;
  ifMatch?: string;
}

/**
 * What became of a write: `ack` (2xx, with the state it produced unless it was
 * a DELETE), `rejected` (a 4xx, or a request that never reached the server),
 * `unknown` (sent, but no answer: the server died meanwhile).
 */
export interface WriteRecord extends Write {
  outcome: 'ack' | 'rejected' | 'unknown';
  status?: number;
  /** The item written (for a POST, its Location). */
  item?: string;
  state?: ItemState;
  sentAt: number;
  answeredAt?: number;
  error?: string;
}

/** The fields each collection's items have, as the tests compare them. */
export const FIELDS: Record<string, string[]> = {
  countries: ['name', 'capital', 'area'],
  events: ['name', 'startDate', 'location'],
  guests: ['name', 'email'],
};

/** `countries`, `events` or `guests`: the last collection segment of a path. */
export function kindOf(path: string): string {
  const segments = path.split('/').filter(Boolean);
  return segments.length % 2 === 0 ? segments[segments.length - 2] : segments[segments.length - 1];
}

/** The path of an item's parent (a guest's event), if it has one. */
export function parentOf(path: string): string | undefined {
  const segments = path.split('/').filter(Boolean);
  return segments.length === 4 ? `/${segments[0]}/${segments[1]}` : undefined;
}

/** Generation and version from a Rung ETag. */
export function parseEtag(etag: string): { generation: string; version: number } {
  const token = etag.replace(/^"|-[^-"]*"$/g, '');
  const [, generation, version] = token.split('.');
  if (!generation || !version) throw new Error(`Not a Rung item ETag: ${etag}`);
  return { generation, version: parseInt(version, 36) };
}

/** The compared fields of a JSON body (IRIs of links reduced to paths). */
export function fieldsOf(kind: string, body: Record<string, unknown>): Fields {
  const out: Fields = {};
  for (const field of FIELDS[kind]) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    out[field] = typeof value === 'string' && /^https?:\/\//.test(value) ? new URL(value).pathname : (value as string | number);
  }
  return out;
}

/** The state a successful request of `kind` produced, from its ETag and body. */
function stateOf(kind: string, etag: string, body: Record<string, unknown>): ItemState {
  return { ...parseEtag(etag), content: fieldsOf(kind, body), etag };
}

let sequence = 0;
/** A fresh write number (unique in the test process). */
export const nextSeq = () => ++sequence;

/** Send one write to `base` and record what became of it. Never throws. */
export async function send(base: string, write: Write): Promise<WriteRecord> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (write.body) headers['Content-Type'] = write.method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
  if (write.ifMatch) headers['If-Match'] = write.ifMatch;
  const record: WriteRecord = { ...write, outcome: 'unknown', sentAt: performance.now() };
  let response: Response;
  try {
    response = await fetch(base + write.path, { method: write.method, headers, body: write.body ? JSON.stringify(write.body) : undefined });
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code;
    // A connection refused never reached a server: nothing can have been written.
    if (code === 'ECONNREFUSED') record.outcome = 'rejected';
    record.error = code ?? String(err);
    return record;
  }
  record.status = response.status;
  record.item = response.headers.get('location') ? new URL(response.headers.get('location')!).pathname : write.method === 'POST' ? undefined : write.path;
  const etag = response.headers.get('etag');
  let body: Record<string, unknown> | undefined;
  try {
    const text = await response.text();
    body = text ? JSON.parse(text) : undefined;
  } catch (err) {
    // The status line arrived, the body did not (the server died in between).
    record.error = String(err);
  }
  record.answeredAt = performance.now();
  if (response.status >= 200 && response.status < 300) {
    record.outcome = 'ack';
    if (write.method !== 'DELETE') {
      if (!etag) throw new Error(`${write.method} ${write.path} answered ${response.status} without an ETag`);
      // A 2xx whose body was cut off still acknowledges a write: its state is what the request asked for.
      const content = body ? fieldsOf(kindOf(record.item!), body) : undefined;
      record.state = { ...parseEtag(etag), etag, content: content ?? ({ __unknown: 1 } as Fields) };
    }
  } else if (response.status >= 500) {
    record.outcome = 'rejected';
    record.error = `${response.status} ${JSON.stringify(body)}`;
  } else {
    record.outcome = 'rejected';
  }
  return record;
}

/** GET one item: its state, or undefined on 404. */
export async function readItem(base: string, path: string): Promise<ItemState | undefined> {
  const response = await fetch(base + path, { headers: { Accept: 'application/json' } });
  if (response.status === 404) {
    await response.arrayBuffer();
    return undefined;
  }
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
  return stateOf(kindOf(path), response.headers.get('etag')!, (await response.json()) as Record<string, unknown>);
}

/** Every member path of a collection (following `view.next`), and its `totalItems`. */
export async function readCollection(base: string, path: string): Promise<{ members: string[]; totalItems: number }> {
  const members: string[] = [];
  let totalItems = -1;
  let next: string | undefined = `${base}${path}?pageSize=100`;
  while (next) {
    const response: Response = await fetch(next, { headers: { Accept: 'application/json' } });
    if (response.status !== 200) throw new Error(`GET ${next} answered ${response.status}: ${await response.text()}`);
    const page = (await response.json()) as { totalItems: number; member: { '@id': string }[]; view?: { next?: string } };
    if (totalItems >= 0 && page.totalItems !== totalItems) throw new Error(`${path}: totalItems changed while paging`);
    totalItems = page.totalItems;
    members.push(...page.member.map((m) => new URL(m['@id']).pathname));
    next = page.view?.next;
  }
  return { members, totalItems };
}

/** Every item the API shows, by path: countries, events, and each event's guests; collection counts checked against members. */
export async function readAll(base: string): Promise<Map<string, ItemState>> {
  const out = new Map<string, ItemState>();
  const paths: string[] = [];
  for (const collection of ['/countries', '/events']) {
    const { members, totalItems } = await readCollection(base, collection);
    if (members.length !== totalItems) throw new Error(`${collection}: totalItems ${totalItems} but ${members.length} members`);
    paths.push(...members);
  }
  for (const event of paths.filter((p) => kindOf(p) === 'events')) {
    const { members, totalItems } = await readCollection(base, `${event}/guests`);
    if (members.length !== totalItems) throw new Error(`${event}/guests: totalItems ${totalItems} but ${members.length} members`);
    paths.push(...members);
  }
  for (const path of paths) {
    const state = await readItem(base, path);
    if (!state) throw new Error(`${path} is listed in its collection but answers 404`);
    out.set(path, state);
  }
  return out;
}

/** Options every reliability server runs with: open for writing, no rate limit, quiet. */
export const SERVE_FLAGS = ['--no-seed', '--anonymous', 'write', '--rate-limit', 'off', '--log-level', 'silent'];

/**
 * Start `node bin/rung.js serve` (the built CLI, as a user runs it: `npm test`
 * builds dist/ first) on a random loopback port.
 */
export function startRung(serveArgs: string[]): Promise<Child> {
  return startCli([...serveArgs, ...SERVE_FLAGS], { LOG_LEVEL: 'silent' }, [process.execPath, ['bin/rung.js', 'serve', '--port', '0', '--host', '127.0.0.1']]);
}

/** Stop a server started by {@link startRung} (SIGTERM, then wait). */
export async function stopRung(child: Child): Promise<void> {
  if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGTERM');
  await child.exited;
}
