/**
 * The checks of level 3 (Hypermedia controls): links to other resources,
 * resources reachable by links alone, discoverable operations, and a linked
 * machine-readable description.
 */
import { DOCUMENTATION_RELS } from '../crawl/links.js';
import { errorInBody, isJsonLike, ok } from './answers.js';
import type { Discovery } from './discovery.js';
import { evidence } from './evidence.js';
import { withoutQuery } from './probe-inputs.js';
import type { AuditSession } from './session.js';

export function checkHypermedia(session: AuditSession, found: Discovery): void {
  const { client, add } = session;
  const { startUrl, crawled, byUrl, guessed } = found;
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
}
