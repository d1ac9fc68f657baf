/**
 * Issue 3 "Done when": a client that knows only `/` reaches every resource
 * type and invokes every operation the API documentation declares.
 *
 * The walker follows links only — `@id`-valued properties of the expanded
 * JSON-LD body, RFC 8288 Link headers and `Location` after a create — and
 * never builds a URL. Request bodies are built from the documentation: the
 * writable supported properties of the class an operation `expects`, valued
 * by their `rdfs:range` (a link to a resource of that class already reached,
 * or a sample literal of that XSD type). Every status must be one the
 * operation lists in `hydra:possibleStatus`.
 */
import { expect } from 'chai';
import LinkHeader from 'http-link-header';
import jsonld from 'jsonld';
import { contextLoader, startLiveApi, type LiveApi } from './helpers.js';

const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const JSONLD = 'application/ld+json';

type Node = Record<string, any>;

/** At most this many distinct targets per (source type, property or rel): enough to see each kind, not every page and item. */
const FOLLOW_PER_KIND = 3;
const MAX_REQUESTS_PER_CRAWL = 250;

/**
 * Literals by XSD range. The documentation types an e-mail address as
 * xsd:string (Hydra has no way to state a format), so that one property
 * gets a value the schema accepts.
 */
const LITERALS: Record<string, (n: number) => unknown> = {
  [`${XSD}string`]: (n) => `Walked ${n}`,
  [`${XSD}dateTime`]: (n) => `2031-01-${String((n % 28) + 1).padStart(2, '0')}T09:00:00Z`,
  [`${XSD}date`]: (n) => `2031-01-${String((n % 28) + 1).padStart(2, '0')}`,
  [`${XSD}decimal`]: (n) => n + 0.5,
  [`${XSD}integer`]: (n) => n,
  [`${XSD}boolean`]: () => true,
};
const BY_PROPERTY: Record<string, (n: number) => unknown> = {
  'https://schema.org/email': (n) => `walker${n}@example.org`,
};

interface Operation {
  id: string;
  className: string;
  method: string;
  expects?: string;
  possibleStatus: number[];
}

interface InlineOperation {
  target: string;
  types: string[];
  method: string;
  possibleStatus: number[];
}

interface Fetched {
  url: string;
  status: number;
  /** Types of the node whose @id is the URL fetched. */
  types: string[];
}

const first = (values: Node[] | undefined) => values?.[0];
const idOf = (values: Node[] | undefined) => first(values)?.['@id'] as string | undefined;
const statusCodes = (operation: Node) =>
  (operation[`${HYDRA}possibleStatus`] ?? []).map((s: Node) => first(s[`${HYDRA}statusCode`])!['@value'] as number);

class Walker {
  readonly origin: string;
  /** Types reached → URLs dereferenced with that type, in the order reached. */
  readonly reached = new Map<string, string[]>();
  readonly inline: InlineOperation[] = [];
  readonly created: { url: string; className: string }[] = [];
  readonly invoked = new Map<string, number[]>();
  docs?: Node;
  requests = 0;
  private counter = 0;

  /** `loader`: jsonld.js document loader; contexts come from this API over HTTP, nothing else is loaded. */
  constructor(origin: string, private readonly loader: ReturnType<typeof contextLoader>) {
    this.origin = origin;
  }

  private sameOrigin(iri: string): string | undefined {
    if (!iri.startsWith(`${this.origin}/`)) return undefined;
    return iri.replace(/#.*$/, '');
  }

  async expand(body: unknown, url: string): Promise<Node[]> {
    return (await jsonld.expand(body as jsonld.JsonLdDocument, {
      base: url,
      documentLoader: this.loader,
      safe: true,
    } as jsonld.Options.Expand)) as Node[];
  }

  async request(method: string, url: string, init: { body?: Node; headers?: Record<string, string> } = {}) {
    this.requests++;
    // JSON-LD first; plain JSON for the documents that are not JSON-LD (the OpenAPI description, rel="service-desc").
    const headers: Record<string, string> = { Accept: `${JSONLD}, application/json;q=0.5`, ...init.headers };
    if (init.body) headers['Content-Type'] ??= JSONLD;
    const res = await fetch(url, { method, headers, body: init.body && JSON.stringify(init.body) });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    const body = text && /json/.test(type) ? JSON.parse(text) : undefined;
    return { res, body, expanded: body && type.startsWith(JSONLD) ? await this.expand(body, url) : [] };
  }

  /** Breadth-first from `starts`, following every kind of link a bounded number of times. */
  async crawl(starts: string[]): Promise<Map<string, Fetched>> {
    const visited = new Map<string, Fetched>();
    const perKind = new Map<string, Set<string>>();
    const queue = [...starts];
    const follow = (kind: string, iri: string) => {
      const url = this.sameOrigin(iri);
      if (!url || visited.has(url) || queue.includes(url)) return;
      const targets = perKind.get(kind) ?? new Set();
      if (targets.size >= FOLLOW_PER_KIND) return;
      targets.add(url);
      perKind.set(kind, targets);
      queue.push(url);
    };
    while (queue.length) {
      const url = queue.shift()!;
      expect(visited.size, 'crawl size').to.be.below(MAX_REQUESTS_PER_CRAWL);
      const { res, expanded } = await this.request('GET', url);
      expect(res.status, `GET ${url} (a link the API gave)`).to.equal(200);
      const all = nodes(expanded);
      const root = all.find((n) => n['@id'] === url);
      const types: string[] = root?.['@type'] ?? [];
      visited.set(url, { url, status: res.status, types });
      for (const type of types) {
        const urls = this.reached.get(type) ?? [];
        if (!urls.includes(url)) urls.push(url);
        this.reached.set(type, urls);
      }
      if (types.includes(`${HYDRA}ApiDocumentation`)) this.docs = root;

      const links = LinkHeader.parse(res.headers.get('link') ?? '');
      for (const link of links.refs) follow(`${types.join(' ')}|${link.rel}`, new URL(link.uri, url).href);
      for (const node of all) {
        const nodeTypes: string[] = node['@type'] ?? [];
        for (const [property, values] of Object.entries(node)) {
          if (property.startsWith('@')) continue;
          for (const value of values as Node[]) {
            if (typeof value['@id'] === 'string') follow(`${nodeTypes.join(' ')}|${property}`, value['@id']);
          }
        }
        if (node['@id'] === url) {
          for (const operation of node[`${HYDRA}operation`] ?? []) {
            this.inline.push({
              target: url,
              types: nodeTypes,
              method: first(operation[`${HYDRA}method`])!['@value'],
              possibleStatus: statusCodes(operation),
            });
          }
        }
      }
    }
    return visited;
  }

  /** Every supportedOperation of every supportedClass. */
  operations(): Operation[] {
    const out: Operation[] = [];
    for (const cls of this.docs![`${HYDRA}supportedClass`] as Node[]) {
      for (const operation of cls[`${HYDRA}supportedOperation`] ?? []) {
        out.push({
          id: operation['@id'],
          className: cls['@id'],
          method: first(operation[`${HYDRA}method`])!['@value'],
          expects: idOf(operation[`${HYDRA}expects`]),
          possibleStatus: statusCodes(operation),
        });
      }
    }
    return out;
  }

  documentedClass(iri: string): Node | undefined {
    return (this.docs![`${HYDRA}supportedClass`] as Node[]).find((c) => c['@id'] === iri);
  }

  /** A JSON-LD body for `className`, from its writable supported properties; undefined while a link target is missing. */
  body(className: string): Node | undefined {
    const cls = this.documentedClass(className)!;
    const n = ++this.counter;
    const body: Node = { '@type': className };
    for (const supported of cls[`${HYDRA}supportedProperty`] ?? []) {
      if (first(supported[`${HYDRA}writeable`])?.['@value'] !== true) continue;
      const property = first(supported[`${HYDRA}property`])!;
      const iri = property['@id'] as string;
      const range = idOf(property[`${RDFS}range`])!;
      if (this.documentedClass(range)) {
        const target = this.pick(range);
        if (!target) return undefined;
        body[iri] = { '@id': target };
      } else {
        const literal = BY_PROPERTY[iri] ?? LITERALS[range];
        expect(literal, `a sample value for range ${range}`).to.not.equal(undefined);
        body[iri] = literal(n);
      }
    }
    return body;
  }

  /** A reached resource of `type`, preferring one this walk created. */
  pick(type: string): string | undefined {
    const urls = this.reached.get(type) ?? [];
    return urls.find((u) => this.created.some((c) => c.url === u)) ?? urls[0];
  }

  record(operation: { id: string; possibleStatus: number[] }, method: string, url: string, status: number) {
    expect(operation.possibleStatus, `${method} ${url} answered ${status}; ${operation.id} lists`).to.include(status);
    this.invoked.set(operation.id, [...(this.invoked.get(operation.id) ?? []), status]);
  }
}

/** Every node object of an expanded document, nested ones included. */
function nodes(values: unknown): Node[] {
  const out: Node[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object' || '@value' in value) return;
    out.push(value as Node);
    for (const [key, v] of Object.entries(value)) if (!key.startsWith('@')) visit(v);
  };
  visit(values);
  return out;
}

describe('walk: from / by links alone', () => {
  let server: LiveApi;

  before(async () => {
    server = await startLiveApi();
  });
  after(() => server.stop());

  it('reaches every documented class and invokes every documented operation with a documented outcome', async function () {
    this.timeout(60_000);
    const walker = new Walker(server.url, contextLoader({ base: server.url, http: server.http }));
    const start = `${server.url}/`;

    // 1. Crawl, then create what the documentation says can be created, until
    //    every collection's POST has run (an Event needs a Country, a Guest an
    //    Event's guests collection: each round reaches what the last created).
    await walker.crawl([start]);
    expect(walker.docs, 'the API documentation, reached through Link rel=hydra:apiDocumentation').to.not.equal(undefined);
    const operations = walker.operations();
    const posts = operations.filter((o) => o.method === 'POST');
    for (let round = 0; round < 5 && posts.some((o) => !walker.invoked.has(o.id)); round++) {
      for (const operation of posts.filter((o) => !walker.invoked.has(o.id))) {
        const target = walker.pick(operation.className);
        const body = operation.expects && walker.body(operation.expects);
        if (!target || !body) continue;
        const { res } = await walker.request('POST', target, { body });
        walker.record(operation, 'POST', target, res.status);
        expect(res.status, `POST ${target}`).to.equal(201);
        walker.created.push({ url: res.headers.get('location')!, className: operation.expects! });
      }
      await walker.crawl([start, ...walker.created.map((c) => c.url)]);
    }
    expect(posts.filter((o) => !walker.invoked.has(o.id)).map((o) => o.id), 'POST operations never invoked').to.deep.equal([]);

    // 2. Every documented class was reached by following links.
    for (const cls of walker.docs![`${HYDRA}supportedClass`] as Node[]) {
      expect(walker.reached.get(cls['@id']), `a ${cls['@id']} reached`).to.not.equal(undefined);
    }

    // 3. Reads and updates on a reached resource of each class (one this walk created, when there is one).
    for (const operation of operations.filter((o) => ['GET', 'PUT', 'PATCH'].includes(o.method))) {
      const target = walker.pick(operation.className)!;
      if (operation.method === 'GET') {
        const { res } = await walker.request('GET', target);
        walker.record(operation, 'GET', target, res.status);
        expect(res.status).to.equal(200);
        continue;
      }
      const current = await walker.request('GET', target);
      const etag = current.res.headers.get('etag')!;
      const full = walker.body(operation.expects!)!;
      // PUT replaces with a complete body; PATCH sends a partial JSON-LD
      // document (one of the media types Accept-Patch names): one literal.
      const body =
        operation.method === 'PUT'
          ? full
          : Object.fromEntries(Object.entries(full).filter(([k, v]) => k === '@type' || typeof v === 'string').slice(0, 2));
      const { res } = await walker.request(operation.method, target, { body, headers: { 'If-Match': etag } });
      walker.record(operation, operation.method, target, res.status);
      expect(res.status, `${operation.method} ${target}`).to.equal(200);
    }

    // 4. Deletes, newest creation first (a Guest before its Event): the
    //    documented DELETEs of a class the item has now (a Country is also a
    //    DeletableCountry once nothing refers to it), then the operations
    //    items carry themselves.
    const deletes = operations.filter((o) => o.method === 'DELETE');
    const deleted = new Set<string>();
    for (const created of [...walker.created].reverse()) {
      const { expanded } = await walker.request('GET', created.url);
      const types: string[] = nodes(expanded).find((n) => n['@id'] === created.url)?.['@type'] ?? [];
      const operation = deletes.find((o) => types.includes(o.className));
      if (!operation) continue;
      const { res } = await walker.request('DELETE', created.url);
      walker.record(operation, 'DELETE', created.url, res.status);
      expect(res.status, `DELETE ${created.url}`).to.equal(204);
      deleted.add(created.url);
    }
    expect(deletes.filter((o) => !walker.invoked.has(o.id)).map((o) => o.id), 'DELETE operations never invoked').to.deep.equal([]);

    expect(walker.inline, 'operations carried by items (a country without events can be deleted)').to.not.be.empty;
    const kinds = new Map<string, InlineOperation>();
    for (const operation of walker.inline.filter((o) => !deleted.has(o.target))) {
      const kind = `${operation.types.join(' ')} ${operation.method}`;
      const mine = walker.created.some((c) => c.url === operation.target);
      if (!kinds.has(kind) || mine) kinds.set(kind, operation);
    }
    for (const [kind, operation] of kinds) {
      // State-dependent: fetch the target again and take the operation it offers now.
      const { expanded } = await walker.request('GET', operation.target);
      const node = nodes(expanded).find((n) => n['@id'] === operation.target)!;
      const offered = (node[`${HYDRA}operation`] ?? []).find((o: Node) => first(o[`${HYDRA}method`])!['@value'] === operation.method);
      expect(offered, `${kind} still offered by ${operation.target}`).to.not.equal(undefined);
      const { res } = await walker.request(operation.method, operation.target);
      walker.record({ id: `${operation.target} ${kind}`, possibleStatus: statusCodes(offered) }, operation.method, operation.target, res.status);
      expect(res.status).to.equal(204);
      const gone = await walker.request('GET', operation.target);
      expect(gone.res.status).to.equal(404);
    }

    // Every documented operation ran at least once.
    expect(operations.filter((o) => !walker.invoked.has(o.id)).map((o) => `${o.method} ${o.id}`)).to.deep.equal([]);
    expect(operations.length).to.be.at.least(12);
  });
});
