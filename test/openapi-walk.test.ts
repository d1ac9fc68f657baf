/**
 * Issue 9 §4 "Done when": the generated OpenAPI document matches what the
 * server does. Like test/walk.test.ts for Hydra, a client that knows only
 * the document calls every documented operation with real requests built
 * from it — paths from its templates and parameters, bodies from its request
 * schemas, query values from its parameter schemas — and checks that every
 * answer's status is one the operation lists, that every body is in a
 * documented content type and valid against the documented schema, and that
 * every documented status except 503 (a database outage) is met.
 */
import { expect } from 'chai';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { startLiveApi, type LiveApi } from './helpers.js';

type Json = Record<string, any>;
type AddFormats = (ajv: Ajv2020) => Ajv2020;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;

const METHODS = ['get', 'head', 'options', 'post', 'put', 'patch', 'delete'];
const RELATION = 'x-rung-relation';
/** Statuses the walk cannot provoke from outside: the database is never down here. */
const NOT_PROVOKED = new Set([503]);

const refName = (schema: Json | undefined) => (typeof schema?.$ref === 'string' ? schema.$ref.split('/').pop() : undefined);
/** `/events/{eventId}/guests` and `/events/{id}` share the prefix `/events/{}`. */
const shape = (template: string) => template.replace(/\{[^}]+\}/g, '{}');
const essence = (contentType: string) => contentType.split(';')[0].trim().toLowerCase();

/** `$ref`s into the document's components, rewritten to the schema registered in ajv as `oas`. */
function toAjv(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toAjv);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', 'oas#/$defs/') : toAjv(v)]),
  );
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

class OpenApiWalker {
  readonly ajv = new Ajv2020({ strict: true, allErrors: true });
  /** Statuses met per operation (`GET /countries/{id}`). */
  readonly met = new Map<string, Set<number>>();
  /** Items created by the walk, oldest first: schema name and path. */
  readonly created: { name: string; path: string }[] = [];
  private readonly validators = new Map<string, ReturnType<Ajv2020['compile']>>();
  private n = 0;

  constructor(
    readonly doc: Json,
    readonly origin: string,
  ) {
    addFormats(this.ajv);
    this.ajv.addKeyword(RELATION);
    // Strict mode: every component schema must be JSON Schema 2020-12 without unknown keywords.
    this.ajv.addSchema({ $id: 'oas', $defs: toAjv(doc.components.schemas) });
  }

  get paths(): string[] {
    return Object.keys(this.doc.paths);
  }

  operation(template: string, method: string): Json {
    return this.doc.paths[template][method];
  }

  /** A response object, following a `$ref` into components (its own description wins). */
  response(operation: Json, status: number): Json {
    const r = operation.responses[status];
    if (!r?.$ref) return r;
    return this.doc.components.responses[r.$ref.split('/').pop()];
  }

  parameters(template: string, method: string): Json[] {
    return [...(this.doc.paths[template].parameters ?? []), ...(this.operation(template, method).parameters ?? [])];
  }

  /** The component schema name of the item a template's GET returns (`/events/{id}` → Event). */
  itemName(template: string): string | undefined {
    const content = this.operation(template, 'get')?.responses[200]?.content ?? {};
    return refName((Object.values(content)[0] as Json | undefined)?.schema);
  }

  /** The template of items whose path `prefix` has the shape of. */
  itemTemplate(prefix: string): string | undefined {
    return this.paths.find((p) => shape(p) === shape(prefix) && p.endsWith('}') && this.itemName(p));
  }

  /** A real path for a template, from items this walk created; undefined while none exists. */
  instantiate(template: string, options: { id?: number } = {}): string | undefined {
    const parameters = this.parameters(template, Object.keys(this.doc.paths[template]).find((m) => METHODS.includes(m))!);
    const last = /\{([^}]+)\}$/.exec(template)?.[1];
    const enumerated = parameters.find((p) => p.name === last && p.schema?.enum);
    if (enumerated) return template.replace(`{${last}}`, String(options.id ?? enumerated.schema.enum[0]));
    if (!template.includes('{')) return template;
    if (last) {
      // An item: one this walk created, or (with `id`) another id under the same parent.
      const name = this.itemName(template)!;
      const item = [...this.created].reverse().find((c) => c.name === name);
      if (!item) return undefined;
      return options.id === undefined ? item.path : item.path.replace(/\/\d+$/, `/${options.id}`);
    }
    // A nested collection: the path of a parent item, then the segment.
    const slash = template.lastIndexOf('/');
    const parent = this.instantiate(this.itemTemplate(template.slice(0, slash))!, { id: options.id });
    return parent && parent + template.slice(slash);
  }

  /** A sample value valid against `schema` (links point at items this walk created). */
  sample(schema: Json, field = ''): unknown {
    if (schema.anyOf) return this.sample(schema.anyOf[0], field);
    if (schema[RELATION]) {
      const target = this.created.find((c) => c.name === schema[RELATION]);
      return target ? `${this.origin}${target.path}` : undefined;
    }
    if (schema.enum) return schema.enum[0];
    if (schema.const !== undefined) return schema.const;
    const n = ++this.n;
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    switch (type) {
      case 'integer':
        return Math.max(schema.minimum ?? 0, n);
      case 'number':
        return Math.max(schema.minimum ?? 0, n + 0.5);
      case 'boolean':
        return true;
      case 'string':
        if (schema.format === 'email') return `walker${n}@example.org`;
        if (schema.format === 'date-time') return `2031-01-${String((n % 28) + 1).padStart(2, '0')}T09:00:00Z`;
        if (schema.format === 'date') return `2031-01-${String((n % 28) + 1).padStart(2, '0')}`;
        if (schema.format?.startsWith('uri')) return `https://example.org/${n}`;
        return `Walked ${field} ${n}`;
      default:
        return undefined;
    }
  }

  /** A request body from the schema the operation documents for JSON; undefined while a link target is missing. */
  body(template: string, method: string, only?: 'one'): Json | undefined {
    const schema = this.doc.components.schemas[refName(this.operation(template, method).requestBody.content['application/json'].schema)!];
    const body: Json = {};
    for (const [field, property] of Object.entries<Json>(schema.properties)) {
      if (field.startsWith('@') || property.readOnly) continue;
      const value = this.sample(property, field);
      if (value === undefined && (schema.required ?? []).includes(field)) return undefined;
      if (value !== undefined) body[field] = value;
      if (only && value !== undefined && typeof value !== 'object') return { [field]: value };
    }
    return body;
  }

  /** A sample query value for a documented query parameter. */
  queryValue(parameter: Json): string {
    const schema = parameter.schema;
    if (schema.default !== undefined) return String(schema.default);
    if (schema.examples) return String(schema.examples[0]);
    if (schema.pattern) return `-${/\(([^)]+)\)/.exec(schema.pattern)![1].split('|')[0]}`;
    if (schema.anyOf) return '2031-01-01';
    return String(this.sample(schema, parameter.name));
  }

  /**
   * One real request. The answer's status must be one the operation lists;
   * a body must be in a content type the response lists, and valid against its schema.
   */
  async call(template: string, method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
    const operation = this.operation(template, method);
    expect(operation, `${method.toUpperCase()} ${template} is documented`).to.not.equal(undefined);
    const res = await fetch(`${this.origin}${path}`, { method: method.toUpperCase(), headers: init.headers, body: init.body });
    const text = await res.text();
    const label = `${method.toUpperCase()} ${path} answered ${res.status} (${text.slice(0, 200)}); ${operation.operationId} lists`;
    expect(Object.keys(operation.responses).map(Number), label).to.include(res.status);
    const key = `${method.toUpperCase()} ${template}`;
    this.met.set(key, (this.met.get(key) ?? new Set()).add(res.status));
    const response = this.response(operation, res.status);
    if (method === 'head' || res.status === 204 || res.status === 304) {
      expect(text, `${label}: no body`).to.equal('');
      return { status: res.status, headers: res.headers, text };
    }
    const contentType = res.headers.get('content-type')!;
    const content = response.content ?? {};
    const mediaKey = Object.keys(content).find((k) => k === contentType) ?? Object.keys(content).find((k) => !k.includes(';') && k === essence(contentType));
    expect(mediaKey, `${label}: Content-Type ${contentType} is documented for ${res.status} (${Object.keys(content).join(', ')})`).to.not.equal(undefined);
    const schema = content[mediaKey!].schema;
    if (schema) {
      const validate = this.validator(schema);
      const valid = validate(JSON.parse(text));
      expect(valid, `${label}: body valid against the documented schema: ${JSON.stringify(validate.errors)}`).to.equal(true);
    }
    return { status: res.status, headers: res.headers, text };
  }

  private validator(schema: Json) {
    const key = JSON.stringify(schema);
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(toAjv(schema) as Json);
      this.validators.set(key, validate);
    }
    return validate;
  }
}

/** The path of a nested item with its parent's id replaced by one that names nothing (undefined when not nested). */
const orphan = (path: string) => (/\/\d+\/[^/]+\/\d+$/.test(path) ? path.replace(/\/\d+(\/[^/]+\/\d+)$/, '/2000000001$1') : undefined);

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

describe('OpenAPI: every documented operation, walked from the document', () => {
  let api: LiveApi;
  before(async () => {
    api = await startLiveApi({ bodyLimit: '16kb', seed: false });
  });
  after(() => api.stop());

  it('answers every request built from the document with a documented status and a documented body', async function () {
    this.timeout(120_000);
    const doc = (await api.http.get('/openapi.json').expect(200)).body;
    const walker = new OpenApiWalker(doc, api.url);
    const templates = walker.paths;
    const has = (template: string, method: string) => Boolean(doc.paths[template][method]);
    const etagOf = async (path: string) => (await fetch(`${api.url}${path}`, { headers: { Accept: 'application/ld+json' } })).headers.get('etag')!;

    // 1. Create two items in every collection that takes POST, in rounds until the
    //    links each needs exist (an Event needs a Country; a Guest an Event).
    const posts = templates.filter((t) => has(t, 'post'));
    const done = new Map<string, number>();
    for (let round = 0; round < 6 && posts.some((t) => (done.get(t) ?? 0) < 2); round++) {
      for (const template of posts) {
        while ((done.get(template) ?? 0) < 2) {
          const path = walker.instantiate(template);
          const body = walker.body(template, 'post');
          if (!path || !body) break;
          const answer = await walker.call(template, 'post', path, json(body));
          expect(answer.status, `POST ${path}`).to.equal(201);
          const name = refName(doc.paths[template].post.responses[201].content['application/ld+json'].schema)!;
          walker.created.push({ name, path: new URL(answer.headers.get('location')!).pathname });
          done.set(template, (done.get(template) ?? 0) + 1);
        }
      }
    }
    expect(posts.filter((t) => done.get(t) !== 2), 'collections never created in').to.deep.equal([]);

    // 2. Reads: every documented content type, conditional requests, refusals.
    for (const template of templates) {
      const isItem = template.endsWith('}');
      for (const method of ['get', 'head'].filter((m) => has(template, m))) {
        const path = walker.instantiate(template)!;
        expect(path, `a path for ${template}`).to.be.a('string');
        const types = method === 'get' ? Object.keys(doc.paths[template].get.responses[200].content) : ['*/*'];
        for (const type of types) {
          // Accept names the media type (and profile) without the charset the response adds.
          const answer = await walker.call(template, method, path, { headers: { Accept: type.replace(/;\s*charset=[^;]+/i, '') } });
          expect(answer.status, `${method} ${path} as ${type}`).to.equal(200);
          if (type !== '*/*') expect(answer.headers.get('content-type')).to.equal(type);
        }
        // The health probes (tag Health) answer whatever the conditions or Accept: a probe must never be a 304 or 406.
        if (doc.paths[template].get.tags.includes('Health')) {
          expect((await walker.call(template, method, path, { headers: { 'If-None-Match': '*', Accept: 'application/x-unheard-of' } })).status).to.equal(200);
          continue;
        }
        const etag = (await fetch(`${api.url}${path}`)).headers.get('etag')!;
        expect((await walker.call(template, method, path, { headers: { 'If-None-Match': etag } })).status).to.equal(304);
        expect((await walker.call(template, method, path, { headers: { 'If-Match': '"stale"' } })).status).to.equal(412);
        expect((await walker.call(template, method, path, { headers: { Accept: 'application/x-unheard-of' } })).status).to.equal(406);
        if (isItem) {
          const missing = template.endsWith('{id}') ? walker.instantiate(template, { id: 2_000_000_000 })! : path.replace(/[^/]+$/, 'no-such-thing');
          expect((await walker.call(template, method, missing)).status, `${method} ${missing}`).to.equal(404);
        } else if (template.includes('{')) {
          expect((await walker.call(template, method, walker.instantiate(template, { id: 2_000_000_000 })!)).status).to.equal(404);
        }
        const query = walker.parameters(template, method).filter((p) => p.in === 'query');
        for (const parameter of query) {
          const url = `${path}?${parameter.name}=${encodeURIComponent(walker.queryValue(parameter))}`;
          expect((await walker.call(template, method, url, { headers: { Accept: 'application/ld+json' } })).status, url).to.equal(200);
        }
        if (query.length) {
          expect((await walker.call(template, method, `${path}?no-such-parameter=1`)).status).to.equal(400);
          expect((await walker.call(template, method, `${path}?page=0`)).status).to.equal(400);
        }
      }
    }

    // 3. OPTIONS lists exactly the documented methods; any other method is 405 with the same Allow.
    for (const template of templates) {
      const path = walker.instantiate(template)!;
      const documented = METHODS.filter((m) => has(template, m)).map((m) => m.toUpperCase());
      const answer = await walker.call(template, 'options', path);
      expect(answer.status).to.equal(204);
      expect(answer.headers.get('allow')!.split(', ').sort(), `Allow of ${path}`).to.deep.equal([...documented].sort());
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !documented.includes(m))) {
        const res = await fetch(`${api.url}${path}`, { method, ...json({}) });
        expect(res.status, `${method} ${path}, undocumented`).to.equal(405);
        expect(res.headers.get('allow')!.split(', ').sort()).to.deep.equal([...documented].sort());
      }
    }

    // 4. Writes: success, then every refusal the document lists (but 503).
    const big = { name: 'x'.repeat(20_000) };
    for (const template of templates) {
      for (const method of ['post', 'put', 'patch'].filter((m) => has(template, m))) {
        const path = walker.instantiate(template)!;
        if (method === 'put') {
          const body = walker.body(template, 'put')!;
          expect((await walker.call(template, 'put', path, json(body, { 'If-Match': await etagOf(path) }))).status, `PUT ${path}`).to.equal(200);
          const fresh = walker.instantiate(template, { id: 1_000_000 + walker.created.length })!;
          expect((await walker.call(template, 'put', fresh, json(walker.body(template, 'put')!))).status, `PUT ${fresh}`).to.equal(201);
          walker.created.push({ name: walker.itemName(template)!, path: fresh });
          const tooHigh = walker.instantiate(template, { id: 2 ** 31 })!;
          expect((await walker.call(template, 'put', tooHigh, json(walker.body(template, 'put')!))).status).to.equal(409);
        }
        if (method === 'patch') {
          const patch = walker.body(template, 'patch', 'one')!;
          const headers = { 'Content-Type': 'application/merge-patch+json', 'If-Match': await etagOf(path) };
          expect((await walker.call(template, 'patch', path, { headers, body: JSON.stringify(patch) })).status, `PATCH ${path}`).to.equal(200);
        }
        if (method !== 'post') {
          const body = JSON.stringify(walker.body(template, method, 'one'));
          expect((await walker.call(template, method, path, { headers: { 'Content-Type': 'application/json', 'If-Match': '"stale"' }, body })).status).to.equal(412);
          // No such item (PATCH), or no such parent (a nested PUT): 404.
          const missing = method === 'patch' ? walker.instantiate(template, { id: 2_000_000_000 })! : orphan(path);
          if (missing) expect((await walker.call(template, method, missing, json(walker.body(template, method)!))).status, `${method} ${missing}`).to.equal(404);
        }
        if (template.includes('{') && !template.endsWith('{id}') && method === 'post') {
          const orphan = walker.instantiate(template, { id: 2_000_000_001 })!;
          expect((await walker.call(template, method, orphan, json(walker.body(template, method)!))).status).to.equal(404);
        }
        const type = method === 'patch' ? 'application/merge-patch+json' : 'application/json';
        expect((await walker.call(template, method, path, { headers: { 'Content-Type': 'text/plain' }, body: 'hello' })).status).to.equal(415);
        expect((await walker.call(template, method, path, { headers: { 'Content-Type': type }, body: '{"name":' })).status).to.equal(400);
        expect((await walker.call(template, method, path, { headers: { 'Content-Type': type }, body: '{"no-such-field":1}' })).status).to.equal(422);
        expect((await walker.call(template, method, path, { headers: { 'Content-Type': type }, body: JSON.stringify(big) })).status).to.equal(413);
        expect((await walker.call(template, method, path, { headers: { 'Content-Type': type, Accept: 'application/x-unheard-of' }, body: '{}' })).status).to.equal(406);
      }
    }

    // 5. Deletes: refusals first, then every item the walk created, newest first (a Guest before its Event).
    for (const template of templates.filter((t) => has(t, 'delete'))) {
      const path = walker.instantiate(template)!;
      expect((await walker.call(template, 'delete', walker.instantiate(template, { id: 2_000_000_000 })!)).status).to.equal(404);
      if (orphan(path)) expect((await walker.call(template, 'delete', orphan(path)!)).status).to.equal(404);
      expect((await walker.call(template, 'delete', path, { headers: { 'If-Match': '"stale"' } })).status).to.equal(412);
      if (doc.paths[template].delete.responses[409]) {
        // The first item of this kind is the one the walk's links point at.
        const referenced = walker.created.find((c) => c.name === walker.itemName(template))!;
        expect((await walker.call(template, 'delete', referenced.path)).status, `DELETE ${referenced.path}`).to.equal(409);
      }
    }
    for (const item of [...walker.created].reverse()) {
      const template = templates.find((t) => t.endsWith('{id}') && walker.itemName(t) === item.name && new RegExp(`^${t.replace(/\{[^}]+\}/g, '\\d+')}$`).test(item.path))!;
      expect((await walker.call(template, 'delete', item.path)).status, `DELETE ${item.path}`).to.equal(204);
    }

    // Every documented operation ran, and met every status it lists (but an outage's).
    const unmet: string[] = [];
    for (const template of templates) {
      for (const method of METHODS.filter((m) => has(template, m))) {
        const key = `${method.toUpperCase()} ${template}`;
        const met = walker.met.get(key);
        expect(met, `${key} was called`).to.not.equal(undefined);
        for (const status of Object.keys(doc.paths[template][method].responses).map(Number)) {
          if (!met!.has(status) && !NOT_PROVOKED.has(status)) unmet.push(`${key} ${status}`);
        }
      }
    }
    expect(unmet, 'documented statuses the server never answered').to.deep.equal([]);
  });
});
