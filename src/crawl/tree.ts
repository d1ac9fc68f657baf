/**
 * The crawl as a tree: each resource under the one whose link reached it
 * first, with its status, types and operations. Resources of one shape
 * that were seen but not fetched are counted, not listed.
 */
import type { CrawlResult, CrawledResource } from './crawler.js';
import { shortName } from './links.js';

/** `http://host/countries/1` → `/countries/1` on the start's origin; other origins stay absolute. */
function display(url: string, origin: string): string {
  return url.startsWith(`${origin}/`) ? url.slice(origin.length) : url;
}

function line(resource: CrawledResource, origin: string): string {
  const rel = resource.rel ? `${shortName(resource.rel)} → ` : '';
  const parts = [`${rel}${display(resource.url, origin)}`];
  if (resource.redirectsTo) parts.push(`redirects to ${display(resource.redirectsTo, origin)}`);
  else if (resource.status !== undefined) parts.push(String(resource.status));
  if (resource.types.length) parts.push(resource.types.map(shortName).join(', '));
  else if (resource.mediaType && resource.status !== undefined) parts.push(resource.mediaType);
  if (resource.operations.length) parts.push(`[${[...new Set(resource.operations.map((o) => o.method))].join(' ')}]`);
  return parts.join('  ');
}

export function crawlTree(result: CrawlResult): string {
  const origin = new URL(result.start).origin;
  const children = new Map<string | undefined, CrawledResource[]>();
  for (const r of result.resources) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const out: string[] = [];
  const render = (resource: CrawledResource, prefix: string, last: boolean, root: boolean) => {
    out.push(root ? line(resource, origin) : `${prefix}${last ? '└─ ' : '├─ '}${line(resource, origin)}`);
    const inner = root ? '' : `${prefix}${last ? '   ' : '│  '}`;
    const kids = children.get(resource.url) ?? [];
    const shown = kids.filter((k) => !k.skipped || k.skipped === 'budget');
    const unfetched = kids.filter((k) => k.skipped && k.skipped !== 'budget' && k.skipped !== 'other origin').length;
    shown.forEach((kid, i) => render(kid, inner, i === shown.length - 1 && unfetched === 0, false));
    if (unfetched) out.push(`${inner}└─ … ${unfetched} more link${unfetched === 1 ? '' : 's'} not followed (limits)`);
  };
  for (const root of children.get(undefined) ?? []) render(root, '', true, true);
  const fetched = result.resources.filter((r) => r.status !== undefined).length;
  out.push('');
  const external = result.resources.filter((r) => r.skipped === 'other origin').length;
  out.push(`${fetched} resources fetched with ${result.requests} requests; ${result.resources.length - fetched - external} more seen in links, ${external} on other origins${result.limited.length ? ` (limits reached: ${result.limited.join(', ')})` : ''}.`);
  return out.join('\n');
}

/** The `--json` form: resources and the links between them. */
export function crawlJson(result: CrawlResult): Record<string, unknown> {
  return {
    start: result.start,
    requests: result.requests,
    limited: result.limited,
    resources: result.resources.map((r) => ({
      url: r.url,
      status: r.status ?? null,
      mediaType: r.mediaType ?? null,
      types: r.types,
      operations: r.operations.map((o) => ({ method: o.method, title: o.title ?? null, source: o.source })),
      depth: r.depth,
      ...(r.skipped ? { skipped: r.skipped } : {}),
      ...(r.redirectsTo ? { redirectsTo: r.redirectsTo } : {}),
    })),
    links: result.links.map((l) => ({ from: l.from, to: l.to, rel: l.rel, source: l.source, ...(l.templated ? { templated: true } : {}) })),
  };
}
