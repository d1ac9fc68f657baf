/**
 * The check of level 1 (Resources): more than one resource, each at a URL of
 * its own.
 */
import { errorInBody, isJsonLike, ok } from './answers.js';
import type { Discovery } from './discovery.js';
import { evidence } from './evidence.js';
import { withoutQuery } from './probe-inputs.js';
import type { AuditSession } from './session.js';

export function checkResources(session: AuditSession, found: Discovery): void {
  const { options, add } = session;
  const { start, startUrl, byUrl, entry, item, itemHow, records, itemUrl } = found;
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
}
