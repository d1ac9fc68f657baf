/**
 * `application/hal+json`: the same representation as every other format,
 * written the way HAL clients (ketting, Spring HATEOAS, HAL Explorer) read
 * it. Nothing is lost that a HAL client follows:
 *
 * - `@id` is `_links.self`, each `@type` a `_links.type` (RFC 6903);
 * - a link-valued term (`@type: @id` in the resource's context) is a link
 *   whose relation is the term's IRI: a registered name for IANA's
 *   (`collection`, `up`), a CURIE (`vocab:events`, `schema:location`) when
 *   the IRI is a namespace plus a plain token, the IRI itself otherwise;
 *   `curies` point to the documentation of each namespace used;
 * - a collection page's view gives `self` (the page fetched), `first`,
 *   `prev`, `next`, `last`; its search template is a templated `search`
 *   link; its members are `_embedded.item`;
 * - the response's Link header set (describedby, up, …) is mirrored, so a
 *   client that reads only the body finds the same relations.
 *
 * @see draft-kelly-json-hal-11 (HAL), RFC 8288 (link relation types)
 */
import type { Document } from '../http/representation.js';
import { termIri } from '../resources/contexts.js';
import { CONTEXTS_PATH, HYDRA, IANA, SCHEMA, vocabularyIri } from '../resources/vocabulary.js';
import type { Format, RenderEnv } from './format.js';

type Data = Record<string, unknown>;
export interface HalLink {
  href: string;
  templated?: boolean;
  title?: string;
  name?: string;
}
export type HalLinks = Record<string, HalLink | HalLink[]>;
export interface HalResource {
  _links: HalLinks;
  _embedded?: Record<string, HalResource[]>;
  [property: string]: unknown;
}

/** Relations a HAL client knows by their registered names. */
const HYDRA_RELS: Record<string, string> = { member: 'item', first: 'first', last: 'last', next: 'next', previous: 'prev' };
/** A CURIE's reference must come out of `{rel}` unchanged (RFC 6570 simple expansion encodes all but these). */
const TOKEN = /^[A-Za-z0-9._~-]+$/;
const isObject = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Turns one compacted JSON-LD document into HAL; collects the CURIEs it uses. */
export class HalWriter {
  private readonly namespaces: [string, string][];
  private readonly used = new Map<string, string>();
  private readonly context: Data;

  constructor(env: RenderEnv, contextUrl: unknown) {
    const prefix = `${env.base}${CONTEXTS_PATH}/`;
    const file = typeof contextUrl === 'string' && contextUrl.startsWith(prefix) ? contextUrl.slice(prefix.length) : undefined;
    this.context = (file && env.contexts.document(env.base, file)?.['@context']) || {};
    this.namespaces = [
      ['vocab', vocabularyIri(env.base)],
      ['schema', SCHEMA],
      ['hydra', HYDRA],
    ];
  }

  /** The absolute IRI of a key of the document: a term, a compact IRI or an IRI. */
  private expand(key: string): string | undefined {
    if (key in this.context) {
      try {
        return termIri(this.context, key);
      } catch {
        return undefined;
      }
    }
    const colon = key.indexOf(':');
    if (colon > 0 && !key.startsWith('//', colon + 1)) {
      const prefix = this.context[key.slice(0, colon)];
      return typeof prefix === 'string' ? prefix + key.slice(colon + 1) : key;
    }
    return undefined;
  }

  private isLinkTerm(key: string): boolean {
    const definition = this.context[key];
    return isObject(definition) && (definition['@type'] === '@id' || definition['@type'] === '@vocab');
  }

  /** The HAL relation for a relation IRI (or a registered name). */
  rel(iri: string): string {
    if (!iri.includes(':')) return iri;
    if (iri.startsWith(IANA)) return iri.slice(IANA.length);
    if (iri.startsWith(HYDRA) && HYDRA_RELS[iri.slice(HYDRA.length)]) return HYDRA_RELS[iri.slice(HYDRA.length)];
    for (const [name, namespace] of this.namespaces) {
      const reference = iri.slice(namespace.length);
      if (iri.startsWith(namespace) && TOKEN.test(reference)) {
        this.used.set(name, namespace);
        return `${name}:${reference}`;
      }
    }
    return iri;
  }

  /** `curies` for every namespace a relation was written with (HAL §8.2). */
  curies(): HalLink[] {
    return [...this.used].map(([name, namespace]) => ({ name, href: `${namespace}{rel}`, templated: true }));
  }

  private classIri(type: string): string {
    return this.expand(type) ?? type;
  }

  /** One node as a HAL resource; `extra` links (e.g. a member's collection) come after its own. */
  resource(node: Data, extra: { rel: string; href: string }[] = []): HalResource {
    const links: HalLinks = {};
    const seen = new Set<string>();
    const add = (rel: string, link: HalLink) => {
      const key = `${rel} ${link.href}`;
      if (seen.has(key)) return;
      seen.add(key);
      const existing = links[rel];
      links[rel] = existing === undefined ? link : Array.isArray(existing) ? [...existing, link] : [existing, link];
    };
    const out: HalResource = { _links: links };
    const embedded: Record<string, HalResource[]> = {};
    const view = isObject(node.view) ? node.view : undefined;
    const self = typeof view?.['@id'] === 'string' ? view['@id'] : node['@id'];
    if (typeof self === 'string') add('self', { href: self });
    const types = Array.isArray(node['@type']) ? node['@type'] : node['@type'] === undefined ? [] : [node['@type']];
    for (const type of types) add('type', { href: this.classIri(String(type)), title: String(type) });

    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('@') || key === 'operation') continue;
      const iri = this.expand(key);
      if (key === 'view' && view) {
        for (const [term, rel] of Object.entries(HYDRA_RELS)) {
          if (typeof view[term] === 'string') add(rel, { href: view[term] as string });
        }
        continue;
      }
      if (key === 'search' && isObject(value) && typeof value.template === 'string') {
        add('search', { href: value.template, templated: true });
        continue;
      }
      if (iri === `${HYDRA}member` && Array.isArray(value)) {
        const collection = typeof node['@id'] === 'string' ? node['@id'].replace(/[?#].*$/, '') : undefined;
        embedded.item = value.filter(isObject).map((m) => this.resource(m, collection ? [{ rel: 'collection', href: collection }] : []));
        continue;
      }
      const values = Array.isArray(value) ? value : [value];
      const linkValued = this.isLinkTerm(key) && values.every((v) => typeof v === 'string');
      const nodeValued = values.length > 0 && values.every((v) => isObject(v) && typeof v['@id'] === 'string');
      if (iri && (linkValued || nodeValued)) {
        const rel = this.rel(iri);
        for (const v of values) {
          add(rel, typeof v === 'string' ? { href: v } : { href: (v as Data)['@id'] as string, ...(typeof (v as Data).title === 'string' ? { title: (v as Data).title as string } : {}) });
        }
        continue;
      }
      out[key] = value;
    }
    for (const link of extra) add(link.rel, { href: link.href });
    if (Object.keys(embedded).length) out._embedded = embedded;
    return out;
  }

  /** The root resource, with the response's Link header relations and the CURIEs. */
  document(doc: Document): HalResource {
    const root = this.resource(doc.data);
    const links = root._links;
    const hrefs = new Set(Object.entries(links).flatMap(([rel, l]) => (Array.isArray(l) ? l : [l]).map((x) => `${rel} ${x.href}`)));
    for (const link of doc.links) {
      const rel = this.rel(link.rel.includes(':') ? link.rel : `${IANA}${link.rel}`);
      // Members are embedded: their `item` links would only repeat them.
      if (rel === 'item' && root._embedded?.item) continue;
      if (hrefs.has(`${rel} ${link.href}`)) continue;
      hrefs.add(`${rel} ${link.href}`);
      const existing = links[rel];
      const entry: HalLink = { href: link.href, ...(link.title ? { title: link.title } : {}) };
      links[rel] = existing === undefined ? entry : Array.isArray(existing) ? [...existing, entry] : [existing, entry];
    }
    const curies = this.curies();
    if (curies.length) links.curies = curies;
    return root;
  }
}

/** HAL's document: `_links` first, then the properties, then `_embedded`. */
export function halDocument(doc: Document, env: RenderEnv): HalResource {
  return new HalWriter(env, doc.data['@context']).document(doc);
}

export const HAL = 'application/hal+json';

export const hal: Format = {
  key: 'hal',
  mediaType: HAL,
  contentType: HAL,
  render: (doc, env) => ({ body: JSON.stringify(halDocument(doc, env), null, 2) }),
};
