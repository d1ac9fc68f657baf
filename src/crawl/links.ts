/**
 * What one answer says about where a client can go and what it can do, read
 * the way hypermedia clients read it — and nothing else (no URL guessing):
 *
 * - `Link` headers (RFC 8288) and `Location`;
 * - JSON-LD: the body is expanded (jsonld.js, contexts fetched through the
 *   crawler's client), and every `{"@id": …}` value is a link whose relation
 *   is the property's IRI; Hydra `operation`s give operations, `search`
 *   templates are links a client fills in (not followed);
 * - HAL: `_links` (templated ones not followed), `_embedded` resources'
 *   `self` links, and HAL-FORMS `_templates` as operations.
 */
import LinkHeader from 'http-link-header';
import type jsonld from 'jsonld';
import type { Exchange } from './client.js';

export type LinkSource = 'link-header' | 'location' | 'json-ld' | 'hal';

export interface FoundLink {
  rel: string;
  /** Absolute, without fragment. */
  href: string;
  source: LinkSource;
  /** A URI template (Hydra IriTemplate, HAL `templated`): a form to fill in, not followed. */
  templated?: boolean;
}

export interface FoundOperation {
  method: string;
  title?: string;
  source: 'hydra' | 'hal-forms' | 'documentation';
}

export interface Description {
  /** Types of the resource (JSON-LD `@type`, as IRIs). */
  types: string[];
  links: FoundLink[];
  operations: FoundOperation[];
  /** The body is a hypermedia format the crawler understood (JSON-LD or HAL). */
  format?: 'json-ld' | 'hal';
  /** Hydra documentation found in this body: class IRI → its supported operations. */
  classOperations?: Map<string, FoundOperation[]>;
}

const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const RDF_TYPE = '@type';

/** Load a JSON-LD context (or document) by URL: the crawler's client, within its limits. */
export type DocumentLoader = (url: string) => Promise<unknown>;

function absolute(href: string, base: string): string | undefined {
  try {
    const url = new URL(href, base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    url.hash = '';
    return url.href;
  } catch {
    return undefined;
  }
}

/** Links in `Link` headers and `Location`. */
function headerLinks(exchange: Exchange): FoundLink[] {
  const out: FoundLink[] = [];
  const base = exchange.finalUrl;
  if (exchange.headers.link) {
    try {
      for (const ref of LinkHeader.parse(exchange.headers.link).refs) {
        const href = absolute(ref.uri, base);
        if (href) for (const rel of ref.rel.split(/\s+/)) out.push({ rel, href, source: 'link-header' });
      }
    } catch {
      // A malformed Link header offers no links.
    }
  }
  if (exchange.headers.location) {
    const href = absolute(exchange.headers.location, base);
    if (href) out.push({ rel: 'location', href, source: 'location' });
  }
  return out;
}

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const values = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const literal = (v: unknown): string | undefined => {
  const first = values(v)[0];
  return isNode(first) && typeof first['@value'] === 'string' ? first['@value'] : typeof first === 'string' ? first : undefined;
};

function hydraOperations(node: Node, source: FoundOperation['source']): FoundOperation[] {
  const out: FoundOperation[] = [];
  for (const key of [`${HYDRA}operation`, `${HYDRA}supportedOperation`]) {
    for (const op of values(node[key])) {
      if (!isNode(op)) continue;
      const method = literal(op[`${HYDRA}method`]);
      if (method) out.push({ method: method.toUpperCase(), title: literal(op[`${HYDRA}title`]), source });
    }
  }
  return out;
}

/** Links, types and operations of an expanded JSON-LD document, for the resource at `url`. */
function fromExpanded(expanded: unknown[], url: string): Description {
  const links: FoundLink[] = [];
  const types: string[] = [];
  const operations: FoundOperation[] = [];
  const classOperations = new Map<string, FoundOperation[]>();
  const self = url.replace(/#.*$/, '');

  const walk = (node: Node, top: boolean) => {
    const id = typeof node['@id'] === 'string' ? node['@id'] : undefined;
    const isSelf = top || (id !== undefined && id.replace(/#.*$/, '') === self && !id.includes('#'));
    if (isSelf) {
      for (const t of values(node[RDF_TYPE])) if (typeof t === 'string' && !types.includes(t)) types.push(t);
      operations.push(...hydraOperations(node, 'hydra'));
    }
    const nodeTypes = values(node[RDF_TYPE]);
    if (id && nodeTypes.includes(`${HYDRA}Class`)) {
      const ops = hydraOperations(node, 'documentation');
      if (ops.length) classOperations.set(id, ops);
    }
    for (const [property, value] of Object.entries(node)) {
      if (property.startsWith('@')) continue;
      for (const item of values(value)) {
        if (!isNode(item)) continue;
        if (property === `${HYDRA}search`) {
          const template = literal(item[`${HYDRA}template`]);
          if (template) links.push({ rel: property, href: template, source: 'json-ld', templated: true });
          continue;
        }
        if (typeof item['@id'] === 'string' && !item['@id'].startsWith('_:')) {
          const href = absolute(item['@id'], url);
          if (href) links.push({ rel: property, href, source: 'json-ld' });
        }
        if (Object.keys(item).some((k) => !k.startsWith('@') || k === '@graph')) walk(item, false);
        if (Array.isArray(item['@list'])) for (const member of item['@list']) if (isNode(member)) walk(member, false);
      }
    }
  };
  expanded.forEach((node, i) => isNode(node) && walk(node, i === 0));
  return { types, links, operations, format: 'json-ld', classOperations: classOperations.size ? classOperations : undefined };
}

/** HAL (`_links`, `_embedded`, HAL-FORMS `_templates`). */
function fromHal(body: Node, url: string): Description {
  const links: FoundLink[] = [];
  const operations: FoundOperation[] = [];
  const collect = (node: Node, top: boolean) => {
    if (isNode(node._links)) {
      for (const [rel, value] of Object.entries(node._links)) {
        for (const link of values(value)) {
          if (!isNode(link) || typeof link.href !== 'string') continue;
          if (!top && rel === 'self') continue;
          const templated = link.templated === true;
          // A template is not a URL yet: resolve its path against the origin only by hand.
          const href = templated ? (link.href.startsWith('/') ? new URL(url).origin + link.href : link.href) : absolute(link.href, url);
          if (href) links.push({ rel, href, source: 'hal', templated: templated || undefined });
        }
      }
    }
    if (top && isNode(node._templates)) {
      for (const [name, template] of Object.entries(node._templates)) {
        if (isNode(template) && typeof template.method === 'string') operations.push({ method: template.method.toUpperCase(), title: name, source: 'hal-forms' });
      }
    }
    if (isNode(node._embedded)) {
      for (const [rel, value] of Object.entries(node._embedded)) {
        for (const embedded of values(value)) {
          if (!isNode(embedded)) continue;
          const self = isNode(embedded._links) && isNode(embedded._links.self) ? embedded._links.self.href : undefined;
          const href = typeof self === 'string' ? absolute(self, url) : undefined;
          if (href) links.push({ rel, href, source: 'hal' });
          collect(embedded, false);
        }
      }
    }
  };
  collect(body, true);
  return { types: [], links, operations, format: 'hal' };
}

const looksLikeJsonLd = (exchange: Exchange) =>
  exchange.mediaType === 'application/ld+json' || (isNode(exchange.json) && ('@context' in exchange.json || '@id' in exchange.json));
const looksLikeHal = (exchange: Exchange) => exchange.mediaType === 'application/hal+json' || (isNode(exchange.json) && isNode(exchange.json._links));

/** Everything an answer says about links and operations. */
export async function describe(exchange: Exchange, loadDocument: DocumentLoader): Promise<Description> {
  const header = headerLinks(exchange);
  if (exchange.json !== undefined && looksLikeJsonLd(exchange)) {
    try {
      const expanded = await (await import('jsonld')).default.expand(exchange.json as jsonld.JsonLdDocument, {
        base: exchange.finalUrl,
        documentLoader: (async (url: string) => ({ contextUrl: undefined, documentUrl: url, document: await loadDocument(url) })) as never,
      });
      const found = fromExpanded(expanded as unknown[], exchange.finalUrl);
      return { ...found, links: [...header, ...found.links] };
    } catch {
      // Not valid JSON-LD (or its context is out of reach): only the headers count.
    }
  }
  if (exchange.json !== undefined && looksLikeHal(exchange)) {
    const found = fromHal(exchange.json as Node, exchange.finalUrl);
    return { ...found, links: [...header, ...found.links] };
  }
  return { types: [], links: header, operations: [] };
}

/**
 * Relations that point at documentation for people or at the API's
 * description, not at application state: they do not make an API level 3.
 */
export const DOCUMENTATION_RELS = new Set([
  'help',
  'license',
  'author',
  'privacy-policy',
  'terms-of-service',
  'icon',
  'stylesheet',
  'describedby',
  'service-desc',
  'service-doc',
  'profile',
  'type',
  'http://www.w3.org/ns/hydra/core#apiDocumentation',
  'curies',
]);

/** A short name for a type or relation IRI: `hydra:Collection`, `Country`, `events`. */
export function shortName(iri: string): string {
  if (iri.startsWith(HYDRA)) return `hydra:${iri.slice(HYDRA.length)}`;
  if (iri.startsWith('http://www.iana.org/assignments/relation/')) return iri.slice('http://www.iana.org/assignments/relation/'.length);
  const m = /[#/]([^#/]+)$/.exec(iri);
  return m ? m[1] : iri;
}
