/**
 * `rung crawl`: a hypermedia client that starts at one URL and follows only
 * links (links.ts), breadth first, with safe methods only (GET), on the
 * start URL's origin only, within a request budget, a depth limit and a
 * limit of resources per URL shape (`/countries/{id}`: a few countries show
 * what every country offers). Operations come from the resources
 * themselves and from the Hydra API documentation they link to.
 */
import { BudgetExhausted, Client, HYPERMEDIA_ACCEPT, type Exchange } from './client.js';
import { describe, type FoundLink, type FoundOperation } from './links.js';

export interface CrawlOptions {
  /** Most requests sent, JSON-LD contexts included (default 200). */
  maxRequests?: number;
  /** Most link hops from the start (default 8). */
  maxDepth?: number;
  /** Most resources fetched per URL shape, e.g. `/countries/{id}` (default 3). */
  perShape?: number;
  /** Progress, after every request. */
  onProgress?(progress: { requests: number; found: number; queued: number; url: string }): void;
  /** A client of your own (shares its budget and evidence log). */
  client?: Client;
}

export interface CrawledResource {
  url: string;
  /** Undefined when the resource was seen in a link but not fetched (`skipped` says why). */
  status?: number;
  mediaType?: string;
  types: string[];
  operations: FoundOperation[];
  depth: number;
  /** The resource whose link led here first, and that link's relation. */
  parent?: string;
  rel?: string;
  skipped?: 'other origin' | 'depth' | 'shape' | 'budget';
  /** The URL answered with a redirect to this one. */
  redirectsTo?: string;
}

export interface CrawlLink {
  from: string;
  to: string;
  rel: string;
  source: FoundLink['source'];
  templated?: boolean;
}

export interface CrawlResult {
  start: string;
  resources: CrawledResource[];
  links: CrawlLink[];
  requests: number;
  /** Limits that stopped the crawl from going further. */
  limited: ('maxRequests' | 'maxDepth' | 'perShape')[];
}

/** `/countries/12?page=2` → `/countries/{id}?page=`: resources of one kind share a shape. */
export function urlShape(href: string): string {
  const url = new URL(href);
  const path = url.pathname
    .split('/')
    .map((s) => (/^\d+$|^[0-9a-f]{8}-[0-9a-f-]{27}$/i.test(s) ? '{id}' : s))
    .join('/');
  const keys = [...new Set([...url.searchParams.keys()])].sort();
  return `${url.origin}${path}${keys.length ? `?${keys.join('&')}` : ''}`;
}

const HYDRA_API_DOCUMENTATION = 'http://www.w3.org/ns/hydra/core#apiDocumentation';

export async function crawl(start: string, options: CrawlOptions = {}): Promise<CrawlResult> {
  const maxDepth = options.maxDepth ?? 8;
  const perShape = options.perShape ?? 3;
  const client = options.client ?? new Client({ maxRequests: options.maxRequests ?? 200 });
  const origin = new URL(start).origin;
  const resources = new Map<string, CrawledResource>();
  const links: CrawlLink[] = [];
  const shapes = new Map<string, number>();
  const limited = new Set<CrawlResult['limited'][number]>();
  const queue: { url: string; depth: number; parent?: string; rel?: string }[] = [{ url: new URL(start).href, depth: 0 }];
  const documents = new Map<string, Promise<unknown>>();
  /** Operations per class, from every Hydra ApiDocumentation read. */
  const classOperations = new Map<string, FoundOperation[]>();
  const pendingDocs: string[] = [];

  /** JSON-LD contexts: same origin only, fetched once. */
  const loadDocument = (url: string) => {
    let doc = documents.get(url);
    if (!doc) {
      doc = (async () => {
        if (new URL(url).origin !== origin) throw new Error(`not fetching ${url}: other origin`);
        const ex = await client.send('GET', url, { headers: { Accept: 'application/ld+json, application/json;q=0.9' } });
        if (ex.status !== 200 || ex.json === undefined) throw new Error(`${url} answered ${ex.status}`);
        return ex.json;
      })();
      documents.set(url, doc);
    }
    return doc;
  };

  const progress = (url: string) =>
    options.onProgress?.({ requests: client.requests, found: resources.size, queued: queue.length, url });

  const visit = async (entry: (typeof queue)[number]): Promise<void> => {
    let exchange: Exchange;
    try {
      exchange = await client.send('GET', entry.url, { headers: { Accept: HYPERMEDIA_ACCEPT } });
    } catch (err) {
      if (err instanceof BudgetExhausted) {
        limited.add('maxRequests');
        resources.set(entry.url, { url: entry.url, types: [], operations: [], depth: entry.depth, parent: entry.parent, rel: entry.rel, skipped: 'budget' });
        return;
      }
      throw err;
    }
    // A redirect: the resource that answered is reached from here, with one link.
    const final = exchange.finalUrl.replace(/#.*$/, '');
    let url = entry.url;
    let depth = entry.depth;
    if (final !== entry.url) {
      resources.set(entry.url, { url: entry.url, types: [], operations: [], depth, parent: entry.parent, rel: entry.rel, redirectsTo: final });
      links.push({ from: entry.url, to: final, rel: 'redirect', source: 'location' });
      if (resources.has(final)) return progress(entry.url);
      url = final;
      depth = entry.depth + 1;
      shapes.set(urlShape(final), (shapes.get(urlShape(final)) ?? 0) + 1);
    }
    const resource: CrawledResource = {
      url,
      status: exchange.status,
      mediaType: exchange.mediaType || undefined,
      types: [],
      operations: [],
      depth,
      parent: url === entry.url ? entry.parent : entry.url,
      rel: url === entry.url ? entry.rel : 'redirect',
    };
    resources.set(url, resource);
    let found;
    try {
      found = await describe(exchange, loadDocument);
    } catch (err) {
      if (!(err instanceof BudgetExhausted)) throw err;
      limited.add('maxRequests');
      found = { types: [], links: [], operations: [] };
    }
    resource.types = found.types;
    resource.operations = found.operations;
    if (found.classOperations) for (const [cls, ops] of found.classOperations) classOperations.set(cls, ops);
    for (const link of found.links) {
      links.push({ from: url, to: link.href, rel: link.rel, source: link.source, templated: link.templated });
      if (link.templated) continue;
      if (link.rel === HYDRA_API_DOCUMENTATION) pendingDocs.push(link.href);
      if (resources.has(link.href) || queue.some((q) => q.url === link.href)) continue;
      const seen = { url: link.href, types: [], operations: [], depth: depth + 1, parent: url, rel: link.rel };
      if (new URL(link.href).origin !== origin) {
        resources.set(link.href, { ...seen, skipped: 'other origin' });
      } else if (depth + 1 > maxDepth) {
        limited.add('maxDepth');
        resources.set(link.href, { ...seen, skipped: 'depth' });
      } else {
        const shape = urlShape(link.href);
        const count = shapes.get(shape) ?? 0;
        if (count >= perShape) {
          limited.add('perShape');
          resources.set(link.href, { ...seen, skipped: 'shape' });
        } else {
          shapes.set(shape, count + 1);
          queue.push({ url: link.href, depth: depth + 1, parent: url, rel: link.rel });
        }
      }
    }
    progress(entry.url);
  };

  const startUrl = queue[0].url;
  shapes.set(urlShape(startUrl), 1);
  while (queue.length) {
    // The API documentation first: it says which operations every class has.
    const docIndex = queue.findIndex((q) => pendingDocs.includes(q.url));
    const [entry] = queue.splice(docIndex >= 0 ? docIndex : 0, 1);
    if (client.remaining <= 0) {
      limited.add('maxRequests');
      resources.set(entry.url, { url: entry.url, types: [], operations: [], depth: entry.depth, parent: entry.parent, rel: entry.rel, skipped: 'budget' });
      continue;
    }
    await visit(entry);
  }

  // Operations a resource's classes support (Hydra documentation), beside its own.
  for (const resource of resources.values()) {
    for (const type of resource.types) {
      for (const op of classOperations.get(type) ?? []) {
        if (!resource.operations.some((o) => o.method === op.method)) resource.operations.push(op);
      }
    }
  }
  return { start: startUrl, resources: [...resources.values()], links, requests: client.requests, limited: [...limited] };
}
