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
import { crawl, type CrawlResult } from '../crawl/crawler.js';
import { Client, HYPERMEDIA_ACCEPT, type Exchange } from '../crawl/client.js';
import { DOCUMENTATION_RELS } from '../crawl/links.js';
import { LEVELS, type Level } from './maturity.js';

export interface Evidence {
  method: string;
  url: string;
  status: number;
  /** What this answer showed, in a few words. */
  note?: string;
}

export interface Check {
  id: string;
  level: Level;
  title: string;
  /** Undefined: not run (e.g. it needs `--allow-writes`, or nothing to run it on). */
  passed?: boolean;
  /** Required to reach the level (when it could be run); the others count in the score only. */
  required: boolean;
  detail: string;
  /** What to do when it fails. */
  advice: string;
  evidence: Evidence[];
}

export interface LevelScore {
  level: Level;
  passed: number;
  run: number;
  total: number;
}

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

export interface AuditOptions {
  allowWrites?: boolean;
  /** Body of a read request for APIs that read only by POST (RPC). */
  post?: string;
  maxRequests?: number;
  onProgress?(progress: { requests: number; found: number; url: string }): void;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const ok = (ex: Exchange) => ex.status >= 200 && ex.status < 300;

/** A 2xx answer that says, in its body, that the request failed (RPC style). */
export function errorInBody(json: unknown): boolean {
  if (!isObject(json)) return false;
  if (json.ok === false || json.success === false || json.status === 'error') return true;
  if (json.error !== undefined && json.error !== null && json.error !== false) return true;
  if (Array.isArray(json.errors) && json.errors.length > 0) return true;
  return json.fault !== undefined;
}

/** The first array of objects with an `id` in a body (`[…]`, `items`, `data`, `result.items`…), depth ≤ 3. */
function recordsIn(json: unknown, depth = 0): Json[] | undefined {
  if (Array.isArray(json)) {
    const records = json.filter((r): r is Json => isObject(r) && (typeof r.id === 'number' || typeof r.id === 'string'));
    return records.length ? records : undefined;
  }
  if (!isObject(json) || depth >= 3) return undefined;
  for (const value of Object.values(json)) {
    const found = recordsIn(value, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Does the body describe the record with this id (`id` at the top, or one level down, e.g. `result.id`)? */
function describesId(json: unknown, id: unknown): boolean {
  if (!isObject(json)) return false;
  if (json.id === id) return true;
  return Object.values(json).some((v) => isObject(v) && v.id === id);
}

const evidence = (ex: Exchange, note?: string): Evidence => ({ method: ex.method, url: ex.url, status: ex.status, ...(note ? { note } : {}) });

const withoutQuery = (url: string) => url.replace(/[?#].*$/, '');
const isJsonLike = (ex: Exchange) => ex.json !== undefined;

/** The URL of a certainly missing sibling of an item URL (or child of the start). */
function missingUrl(itemUrl: string | undefined, start: string): string {
  if (itemUrl && /\/\d+$/.test(withoutQuery(itemUrl))) return withoutQuery(itemUrl).replace(/\/\d+$/, '/999999999');
  if (itemUrl && /\/[^/]+$/.test(withoutQuery(itemUrl))) return withoutQuery(itemUrl).replace(/\/[^/]+$/, '/rung-audit-missing-0');
  return `${withoutQuery(start).replace(/\/$/, '')}/rung-audit-missing-0`;
}

/** A body to create with, copied from an item read: server-managed members removed. */
function copyForCreate(item: Exchange): { body: string; type: string } | undefined {
  if (!isObject(item.json)) return undefined;
  const copy: Json = { ...item.json };
  for (const key of ['id', '_links', '_embedded', '_templates', 'links', 'createdAt', 'updatedAt']) delete copy[key];
  if (item.mediaType === 'application/ld+json') {
    delete copy['@id'];
    return { body: JSON.stringify(copy), type: 'application/ld+json' };
  }
  for (const key of Object.keys(copy)) if (key.startsWith('@')) delete copy[key];
  return { body: JSON.stringify(copy), type: 'application/json' };
}

export async function audit(url: string, options: AuditOptions = {}): Promise<AuditResult> {
  const client = new Client({
    maxRequests: options.maxRequests ?? 150,
    onExchange: (ex, count) => options.onProgress?.({ requests: count, found: 0, url: ex.url }),
  });
  const checks: Check[] = [];
  const add = (check: Omit<Check, 'evidence'> & { evidence?: Evidence[] }) => {
    const full = { evidence: [], ...check } as Check;
    checks.push(full);
    return full;
  };
  const jsonHeaders = (extra: Record<string, string> = {}) => ({ Accept: 'application/json, application/ld+json;q=0.9, */*;q=0.1', ...extra });
  /** Read a resource: GET, or the user's read POST for RPC APIs. */
  const read = (target: string) =>
    options.post === undefined
      ? client.send('GET', target, { headers: { Accept: HYPERMEDIA_ACCEPT } })
      : client.send('POST', target, { headers: jsonHeaders({ 'Content-Type': 'application/json' }), body: options.post });

  // Level 0: does it answer HTTP at all? (Unreachable propagates: the audit cannot run.)
  const start = await client.send('GET', url, { headers: { Accept: HYPERMEDIA_ACCEPT } });
  const startUrl = start.finalUrl;
  add({
    id: 'answers-http',
    level: 0,
    title: 'Answers HTTP requests',
    passed: true,
    required: true,
    detail: `${url} answered ${start.status}${start.finalUrl !== url ? ` (from ${start.finalUrl})` : ''}.`,
    advice: 'Serve the API over HTTP.',
    evidence: [evidence(start, start.mediaType || 'no body type')],
  });

  // Follow the links from the start (a hypermedia client's view).
  let crawled: CrawlResult | undefined;
  try {
    crawled = await crawl(url, { client, maxDepth: 4, perShape: 2, onProgress: options.onProgress });
  } catch {
    crawled = undefined;
  }
  const byUrl = new Map<string, Exchange>();
  for (const ex of client.log) if (ex.method === 'GET' && !byUrl.has(ex.finalUrl)) byUrl.set(ex.finalUrl, ex);

  // A readable collection and one of its items: by links when there are any, else by id and URL convention.
  const entry = options.post === undefined ? start : await read(startUrl);
  let item: Exchange | undefined;
  let itemHow = '';
  const guessed = new Set<string>();
  const crawledItems = (crawled?.links ?? []).filter((l) => ['item', 'http://www.w3.org/ns/hydra/core#member'].includes(l.rel) || (l.source === 'hal' && l.rel !== 'self' && !DOCUMENTATION_RELS.has(l.rel) && /\/[^/?]+$/.test(l.to)));
  for (const link of crawledItems) {
    const ex = byUrl.get(link.to);
    if (ex && ok(ex) && !errorInBody(ex.json) && link.to !== startUrl) {
      item = ex;
      itemHow = `linked from ${link.from} (${link.rel})`;
      break;
    }
  }
  const records = ok(entry) ? recordsIn(entry.json) : undefined;
  if (!item && records) {
    const id = records[0].id;
    const target = `${withoutQuery(startUrl).replace(/\/$/, '')}/${encodeURIComponent(String(id))}`;
    const ex = await read(target);
    guessed.add(target);
    if (ok(ex) && !errorInBody(ex.json) && describesId(ex.json, id)) {
      item = ex;
      itemHow = `built from the id ${JSON.stringify(id)} in ${startUrl}: no link led there`;
    } else {
      add({
        id: 'item-by-convention',
        level: 1,
        title: 'Items have URLs of their own',
        passed: false,
        required: false,
        detail: `The answer at ${startUrl} lists records with ids, but ${target} did not answer with record ${JSON.stringify(id)}.`,
        advice: 'Give every item a URL of its own (e.g. /things/{id}).',
        evidence: [evidence(entry, 'records with ids'), evidence(ex, errorInBody(ex.json) ? 'an error in the body' : `not record ${JSON.stringify(id)}`)],
      });
    }
  }
  const itemUrl = item?.finalUrl;

  // Level 1: more than one resource, each at its own URL.
  const readable = [...byUrl.values()].filter((ex) => ok(ex) && isJsonLike(ex) && !errorInBody(ex.json) && !ex.url.includes('/contexts/'));
  const distinct = item !== undefined || new Set(readable.map((ex) => withoutQuery(ex.finalUrl))).size >= 2;
  add({
    id: 'distinct-uris',
    level: 1,
    title: 'Distinct URIs for distinct resources',
    passed: distinct,
    required: true,
    detail: item
      ? `${itemUrl} is an item of its own, ${itemHow}.`
      : distinct
        ? `${readable.length} resources answered at different URLs.`
        : `Nothing but ${startUrl} answered with a resource${ok(start) && errorInBody(start.json) ? ' (and it answered with an error in a 2xx body)' : ''}.${options.post === undefined && ok(start) && errorInBody(start.json) ? ' If this API reads only by POST, give the body of a read request with --post.' : ''}`,
    advice: 'Give each resource its own URL instead of one endpoint that takes the action in the body.',
    evidence: item ? [evidence(entry, records ? `${records.length} records` : 'a collection'), evidence(item, 'the item')] : readable.slice(0, 3).map((ex) => evidence(ex)).concat(readable.length ? [] : [evidence(entry, errorInBody(entry.json) ? 'error in the body' : 'no records')]),
  });

  // Level 2: the uniform interface.
  const getReads = [start, ...(item && item.method === 'GET' ? [item] : item ? [await client.send('GET', item.finalUrl, { headers: jsonHeaders() })] : [])];
  add({
    id: 'get-reads',
    level: 2,
    title: 'GET reads a resource',
    passed: getReads.every((ex) => ok(ex) && !errorInBody(ex.json)),
    required: true,
    detail: getReads.map((ex) => `GET ${ex.url} → ${ex.status}${errorInBody(ex.json) ? ' with an error in the body' : ''}`).join('; '),
    advice: 'Answer GET with the resource (2xx), instead of tunnelling every action through POST.',
    evidence: getReads.map((ex) => evidence(ex, errorInBody(ex.json) ? 'error in a 2xx body' : ex.mediaType)),
  });

  const missing = await client.send('GET', missingUrl(itemUrl, startUrl), { headers: jsonHeaders() });
  add({
    id: 'missing-404',
    level: 2,
    title: '404 for a missing item',
    passed: missing.status === 404 || missing.status === 410,
    required: true,
    detail: `A URL where nothing exists answered ${missing.status}${errorInBody(missing.json) ? ' with the error in the body' : ''}.`,
    advice: 'Answer 404 Not Found where no resource exists, not 200 with an error inside.',
    evidence: [evidence(missing)],
  });

  const collectionUrl = crawled?.resources.find((r) => r.types.some((t) => t.endsWith('#Collection')))?.url ?? (records ? startUrl : undefined);
  const optionsTarget = collectionUrl ?? startUrl;
  const opts = await client.send('OPTIONS', optionsTarget, { headers: jsonHeaders() });
  const allow = opts.headers.allow?.split(',').map((m) => m.trim().toUpperCase()).filter(Boolean) ?? [];
  add({
    id: 'allow',
    level: 2,
    title: 'OPTIONS lists the methods (Allow)',
    passed: ok(opts) && allow.length > 0,
    required: false,
    detail: allow.length ? `Allow: ${allow.join(', ')}` : `OPTIONS answered ${opts.status} without Allow.`,
    advice: 'Answer OPTIONS (and 405) with an Allow header listing the methods a resource takes.',
    evidence: [evidence(opts, allow.length ? `Allow: ${allow.join(', ')}` : 'no Allow')],
  });

  const probeTarget = itemUrl ?? startUrl;
  const unacceptable = await client.send('GET', probeTarget, { headers: { Accept: 'application/x-rung-audit-unknown' } });
  add({
    id: 'not-acceptable-406',
    level: 2,
    title: '406 when no acceptable format exists',
    passed: unacceptable.status === 406,
    required: false,
    detail: `Accept: application/x-rung-audit-unknown answered ${unacceptable.status}.`,
    advice: 'Negotiate on Accept and answer 406 Not Acceptable when nothing fits.',
    evidence: [evidence(unacceptable)],
  });

  const cached = itemUrl ? (byUrl.get(itemUrl)?.method === 'GET' ? byUrl.get(itemUrl)! : await client.send('GET', itemUrl, { headers: jsonHeaders() })) : start;
  const etag = cached.headers.etag;
  const lastModified = cached.headers['last-modified'];
  add({
    id: 'validators',
    level: 2,
    title: 'Validators: ETag or Last-Modified',
    passed: ok(cached) && Boolean(etag || lastModified),
    required: false,
    detail: [etag && `ETag: ${etag}`, lastModified && `Last-Modified: ${lastModified}`].filter(Boolean).join('; ') || 'No ETag and no Last-Modified.',
    advice: 'Send ETag (or Last-Modified) so clients and caches can revalidate and write conditionally.',
    evidence: [evidence(cached, etag ? `ETag ${etag}` : lastModified ? 'Last-Modified' : 'no validator')],
  });
  if (ok(cached) && (etag || lastModified)) {
    const conditional = await client.send('GET', cached.finalUrl, {
      headers: { ...cached.requestHeaders, ...(etag ? { 'If-None-Match': etag } : { 'If-Modified-Since': lastModified! }) },
    });
    add({
      id: 'not-modified-304',
      level: 2,
      title: '304 for a conditional GET',
      passed: conditional.status === 304,
      required: false,
      detail: `GET with ${etag ? 'If-None-Match' : 'If-Modified-Since'} answered ${conditional.status}.`,
      advice: 'Answer a GET whose validator still matches with 304 Not Modified.',
      evidence: [evidence(conditional)],
    });
  } else {
    add({ id: 'not-modified-304', level: 2, title: '304 for a conditional GET', required: false, detail: 'Not run: no validator to send back.', advice: 'Send ETag or Last-Modified first.' });
  }

  await writeChecks();

  // Errors travel in status codes: no 2xx answer carried an error in its body.
  const errorsIn200 = client.log.filter((ex) => ok(ex) && errorInBody(ex.json));
  add({
    id: 'errors-not-200',
    level: 2,
    title: 'Errors are status codes, not 200 with an error inside',
    passed: errorsIn200.length === 0,
    required: true,
    detail: errorsIn200.length ? `${errorsIn200.length} of ${client.log.length} answers were 2xx with an error in the body.` : `None of ${client.log.length} answers was 2xx with an error in the body.`,
    advice: 'Say failure with the status code (4xx, 5xx); keep the details in the body (e.g. application/problem+json).',
    evidence: errorsIn200.slice(0, 3).map((ex) => evidence(ex, 'error in a 2xx body')),
  });

  // Level 3: hypermedia.
  const apiLinks = (crawled?.links ?? []).filter(
    (l) => !l.templated && !DOCUMENTATION_RELS.has(l.rel) && l.source !== 'location' && new URL(l.to).origin === new URL(startUrl).origin && l.to !== l.from && l.rel !== 'redirect' && l.rel !== 'self',
  );
  add({
    id: 'links',
    level: 3,
    title: 'Answers link to other resources',
    passed: apiLinks.length > 0,
    required: true,
    detail: apiLinks.length
      ? `${apiLinks.length} links to resources of the API (${[...new Set(apiLinks.map((l) => l.source))].join(', ')}).`
      : 'No answer linked to another resource of the API (documentation links such as rel="help" do not count).',
    advice: 'Put links in the answers (Link headers, JSON-LD @id, HAL _links) so clients follow them instead of building URLs.',
    evidence: apiLinks.slice(0, 3).map((l) => ({ method: 'GET', url: l.from, status: byUrl.get(l.from)?.status ?? 0, note: `${l.rel} → ${l.to} (${l.source})` })),
  });

  const known = new Set<string>();
  for (const ex of byUrl.values()) if (ok(ex) && isJsonLike(ex) && !errorInBody(ex.json) && !ex.url.includes('/contexts/')) known.add(withoutQuery(ex.finalUrl));
  for (const g of guessed) known.add(withoutQuery(g));
  const reached = new Set((crawled?.resources ?? []).filter((r) => r.status !== undefined && r.status < 300).map((r) => withoutQuery(r.url)));
  const share = known.size ? [...known].filter((k) => reached.has(k)).length / known.size : 0;
  add({
    id: 'reachable-by-links',
    level: 3,
    title: 'Resources reachable from the start by links alone',
    passed: known.size >= 2 && share >= 0.8 && apiLinks.length > 0,
    required: true,
    detail: `${Math.round(share * 100)}% of the ${known.size} resource${known.size === 1 ? '' : 's'} the audit read were reached by following links from ${startUrl}${guessed.size ? ` (${guessed.size} only by building URLs from ids)` : ''}.`,
    advice: 'Link every resource from somewhere a client starts: the entry point, its collections, their items.',
    evidence: [...known].slice(0, 4).map((k) => {
      const ex = client.log.find((e) => withoutQuery(e.finalUrl) === k && ok(e));
      return { method: ex?.method ?? 'GET', url: k, status: ex?.status ?? 0, note: reached.has(k) ? 'reached by links' : 'not linked' };
    }),
  });

  const operations = (crawled?.resources ?? []).filter((r) => r.operations.length);
  add({
    id: 'operations',
    level: 3,
    title: 'Operations a client can discover',
    passed: operations.length > 0,
    required: false,
    detail: operations.length
      ? `${operations.length} resources describe their operations (${[...new Set(operations.flatMap((r) => r.operations.map((o) => o.source)))].join(', ')}).`
      : 'No answer said which operations are possible (Hydra operations, HAL-FORMS templates).',
    advice: 'Describe the operations (Hydra supportedOperation / operation, HAL-FORMS _templates) so clients find what they may do.',
    evidence: operations.slice(0, 3).map((r) => ({ method: 'GET', url: r.url, status: r.status ?? 0, note: [...new Set(r.operations.map((o) => o.method))].join(' ') })),
  });

  const describers = (crawled?.links ?? []).filter((l) => ['http://www.w3.org/ns/hydra/core#apiDocumentation', 'describedby', 'service-desc'].includes(l.rel));
  const description = describers.map((l) => byUrl.get(l.to)).find((ex) => ex && ok(ex) && (isJsonLike(ex) || /yaml/.test(ex.mediaType)));
  add({
    id: 'description',
    level: 3,
    title: 'A machine-readable description, linked',
    passed: description !== undefined,
    required: false,
    detail: description ? `${description.finalUrl} (${description.mediaType}).` : 'No link to a machine-readable description (Hydra ApiDocumentation, describedby, service-desc).',
    advice: 'Link a machine-readable description of the API (Hydra ApiDocumentation, OpenAPI with rel="service-desc").',
    evidence: description ? [evidence(description, description.mediaType)] : [],
  });

  checks.sort((a, b) => a.level - b.level);
  return { url, ...grade(checks), requests: client.requests, allowWrites: Boolean(options.allowWrites) };

  /** With --allow-writes: create a copy of the item read, probe with it, delete it. */
  async function writeChecks(): Promise<void> {
    const copy = item && collectionUrl ? copyForCreate(item) : undefined;
    const notRun = (why: string) => {
      for (const [id, title, required] of [
        ['create-201', '201 Created with Location', true],
        ['unsupported-415', '415 for a body type it does not take', false],
        ['invalid-400-422', '400 or 422 for an invalid body', false],
        ['stale-412', '412 for a stale If-Match', false],
        ['method-405', '405 with Allow for a method it does not take', false],
        ['delete', 'DELETE removes, then 404', false],
      ] as const) {
        add({ id, level: 2, title, required, detail: `Not run: ${why}.`, advice: 'Run the audit with --allow-writes to check writes.' });
      }
    };
    if (!options.allowWrites) return notRun('writes need --allow-writes');
    if (!copy || !collectionUrl) return notRun('no collection with a readable item to copy');
    const cleanup: string[] = [];
    const post = (body: string, type: string) => client.send('POST', withoutQuery(collectionUrl), { headers: jsonHeaders({ 'Content-Type': type }), body });
    const remember = (ex: Exchange) => {
      if (ok(ex) && ex.headers.location) cleanup.push(new URL(ex.headers.location, ex.finalUrl).href);
    };
    try {
      const created = await post(copy.body, copy.type);
      remember(created);
      const location = created.headers.location ? new URL(created.headers.location, created.finalUrl).href : undefined;
      add({
        id: 'create-201',
        level: 2,
        title: '201 Created with Location',
        passed: created.status === 201 && Boolean(location),
        required: true,
        detail: `POST of a copy of ${itemUrl} answered ${created.status}${location ? `, Location: ${location}` : ', no Location'}.`,
        advice: 'Answer a create with 201 Created and a Location header naming the new resource.',
        evidence: [evidence(created, location ? `Location: ${location}` : 'no Location')],
      });
      const wrongType = await post('<rung-audit/>', 'application/xml');
      remember(wrongType);
      add({
        id: 'unsupported-415',
        level: 2,
        title: '415 for a body type it does not take',
        passed: wrongType.status === 415,
        required: false,
        detail: `POST with Content-Type: application/xml answered ${wrongType.status}.`,
        advice: 'Answer 415 Unsupported Media Type (with Accept-Post) for a body type you do not read.',
        evidence: [evidence(wrongType)],
      });
      const invalid = await post('"rung-audit: not an object"', copy.type);
      remember(invalid);
      add({
        id: 'invalid-400-422',
        level: 2,
        title: '400 or 422 for an invalid body',
        passed: invalid.status === 400 || invalid.status === 422,
        required: false,
        detail: `POST of a JSON string instead of an object answered ${invalid.status}.`,
        advice: 'Validate bodies and answer 400 or 422 with what is wrong.',
        evidence: [evidence(invalid)],
      });
      if (location) {
        const stale = await client.send('PUT', location, { headers: jsonHeaders({ 'Content-Type': copy.type, 'If-Match': '"rung-audit-stale"' }), body: copy.body });
        add({
          id: 'stale-412',
          level: 2,
          title: '412 for a stale If-Match',
          passed: stale.status === 412,
          required: false,
          detail: `PUT with If-Match: "rung-audit-stale" answered ${stale.status}.`,
          advice: 'Honour If-Match: answer 412 Precondition Failed when the ETag no longer matches, so no write is lost.',
          evidence: [evidence(stale)],
        });
      } else {
        add({ id: 'stale-412', level: 2, title: '412 for a stale If-Match', required: false, detail: 'Not run: nothing was created to write to.', advice: 'Answer creates with 201 and Location.' });
      }
      const notAllowed = ['PATCH', 'PUT', 'DELETE'].find((m) => allow.length > 0 && !allow.includes(m));
      if (notAllowed) {
        // A no-op body: even a server that wrongly takes it changes nothing.
        const refused = await client.send(notAllowed, withoutQuery(collectionUrl), { headers: jsonHeaders({ 'Content-Type': 'application/merge-patch+json' }), body: '{}' });
        add({
          id: 'method-405',
          level: 2,
          title: '405 with Allow for a method it does not take',
          passed: refused.status === 405 && Boolean(refused.headers.allow),
          required: false,
          detail: `${notAllowed} (not in Allow) answered ${refused.status}${refused.headers.allow ? ` with Allow: ${refused.headers.allow}` : ''}.`,
          advice: 'Answer a method a resource does not take with 405 and Allow.',
          evidence: [evidence(refused)],
        });
      } else {
        add({ id: 'method-405', level: 2, title: '405 with Allow for a method it does not take', required: false, detail: 'Not run: OPTIONS gave no Allow list to pick an unlisted method from.', advice: 'Answer OPTIONS with Allow.' });
      }
      if (location) {
        // Conditional, as a careful client deletes (and as servers that require If-Match demand).
        const current = (await client.send('GET', location, { headers: jsonHeaders() })).headers.etag;
        const deleted = await client.send('DELETE', location, { headers: jsonHeaders(current ? { 'If-Match': current } : {}) });
        const after = await client.send('GET', location, { headers: jsonHeaders() });
        if (ok(deleted)) cleanup.splice(cleanup.indexOf(location), 1);
        add({
          id: 'delete',
          level: 2,
          title: 'DELETE removes, then 404',
          passed: (deleted.status === 204 || deleted.status === 200) && (after.status === 404 || after.status === 410),
          required: false,
          detail: `DELETE answered ${deleted.status}; a GET after it ${after.status}.`,
          advice: 'Answer DELETE with 204 (or 200), and 404 or 410 afterwards.',
          evidence: [evidence(deleted), evidence(after)],
        });
      } else {
        add({ id: 'delete', level: 2, title: 'DELETE removes, then 404', required: false, detail: 'Not run: nothing was created to delete.', advice: 'Answer creates with 201 and Location.' });
      }
    } finally {
      // Delete whatever the probes created (a server that wrongly took a bad body included).
      for (const target of cleanup) {
        const current = await client.send('GET', target, { headers: jsonHeaders() }).catch(() => undefined);
        const etag = current?.headers.etag;
        await client.send('DELETE', target, { headers: jsonHeaders(etag ? { 'If-Match': etag } : {}) }).catch(() => undefined);
      }
    }
  }
}

/** Scores per level, the level reached, the next step. */
export function grade(checks: Check[]): { level: Level; checks: Check[]; scores: LevelScore[]; next?: string } {
  const scores = LEVELS.map(({ level }) => {
    const own = checks.filter((c) => c.level === level);
    const run = own.filter((c) => c.passed !== undefined);
    return { level, passed: run.filter((c) => c.passed).length, run: run.length, total: own.length };
  });
  let reached: Level = 0;
  for (const level of [1, 2, 3] as Level[]) {
    const required = checks.filter((c) => c.level === level && c.required && c.passed !== undefined);
    if (required.length === 0 || required.some((c) => !c.passed)) break;
    reached = level;
  }
  const failing = checks.filter((c) => c.passed === false && c.level > reached).sort((a, b) => a.level - b.level || Number(b.required) - Number(a.required));
  const optional = checks.filter((c) => c.passed === false && c.level <= reached);
  const nextCheck = failing[0] ?? optional[0];
  const next = nextCheck
    ? `${nextCheck.level > reached ? `To reach level ${reached + 1} (${LEVELS[reached + 1].name}): ` : 'Still to do: '}${nextCheck.advice}`
    : reached < 3
      ? `To reach level ${reached + 1}: ${LEVELS[reached + 1].adds}.`
      : undefined;
  return { level: reached, checks, scores, next };
}
