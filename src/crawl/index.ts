/** `rung crawl`: a hypermedia client for any HTTP API (no Rung imports but http/). */
export { crawl, urlShape, type CrawlOptions, type CrawlResult, type CrawledResource, type CrawlLink } from './crawler.js';
export { crawlTree, crawlJson } from './tree.js';
export { Client, BudgetExhausted, Unreachable, HYPERMEDIA_ACCEPT, type Exchange } from './client.js';
export { describe, shortName, DOCUMENTATION_RELS, type FoundLink, type FoundOperation, type Description } from './links.js';
