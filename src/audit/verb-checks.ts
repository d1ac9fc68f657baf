/**
 * The safe checks of level 2 (HTTP verbs): GET reads, 404 for what is
 * missing, Allow, 406, validators and 304; and, once every request is sent,
 * whether errors travelled in status codes.
 */
import { errorInBody, ok } from './answers.js';
import type { Discovery } from './discovery.js';
import { evidence } from './evidence.js';
import { missingUrl } from './probe-inputs.js';
import type { AuditSession } from './session.js';

/** What the safe checks learnt that the write checks need. */
export interface VerbFindings {
  /** A collection to create in (typed hydra:Collection, or the start when it lists records). */
  collectionUrl: string | undefined;
  /** The methods OPTIONS listed, upper case. */
  allow: string[];
}

export async function checkHttpVerbs(session: AuditSession, found: Discovery): Promise<VerbFindings> {
  const { client, add, jsonHeaders } = session;
  const { start, startUrl, crawled, byUrl, item, records, itemUrl } = found;
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
  return { collectionUrl, allow };
}

/** Errors travel in status codes: run last, over every answer the audit saw. */
export function checkErrorStatuses(session: AuditSession): void {
  const { client, add } = session;
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
}
