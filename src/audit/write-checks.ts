/**
 * The write checks of level 2, run only with `--allow-writes`: create a copy
 * of the item read, probe with it (415, 400/422, 412, 405), delete it, and
 * clean up whatever a probe created.
 */
import type { Exchange } from '../crawl/client.js';
import { ok } from './answers.js';
import type { Discovery } from './discovery.js';
import { evidence } from './evidence.js';
import { copyForCreate, withoutQuery } from './probe-inputs.js';
import type { AuditSession } from './session.js';
import type { VerbFindings } from './verb-checks.js';

/** With --allow-writes: create a copy of the item read, probe with it, delete it. */
export async function checkWrites(session: AuditSession, found: Discovery, verbs: VerbFindings): Promise<void> {
  const { client, options, add, jsonHeaders } = session;
  const { item, itemUrl } = found;
  const { collectionUrl, allow } = verbs;
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
