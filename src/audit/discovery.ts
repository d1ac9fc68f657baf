/**
 * The audit's first look at an API (level 0 and the ground of the others):
 * does the start URL answer HTTP, what a crawl from it finds, and one readable
 * item of a collection — by links when there are any, else by id and URL
 * convention.
 */
import { crawl, type CrawlResult } from '../crawl/crawler.js';
import { HYPERMEDIA_ACCEPT, type Exchange } from '../crawl/client.js';
import { DOCUMENTATION_RELS } from '../crawl/links.js';
import { describesId, errorInBody, ok, recordsIn, type Json } from './answers.js';
import { evidence } from './evidence.js';
import { withoutQuery } from './probe-inputs.js';
import type { AuditSession } from './session.js';

/** What the first look found, for the checks of every level. */
export interface Discovery {
  start: Exchange;
  startUrl: string;
  crawled: CrawlResult | undefined;
  /** The first GET answer of each URL that answered. */
  byUrl: Map<string, Exchange>;
  /** The answer at the start read as a resource (the user's read POST for RPC APIs). */
  entry: Exchange;
  item: Exchange | undefined;
  /** How the item was found, in a few words. */
  itemHow: string;
  /** URLs built from ids, not reached by links. */
  guessed: Set<string>;
  records: Json[] | undefined;
  itemUrl: string | undefined;
}

export async function discover(url: string, session: AuditSession): Promise<Discovery> {
  const { client, options, add, read } = session;
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
  return { start, startUrl, crawled, byUrl, entry, item, itemHow, guessed, records, itemUrl };
}
