/**
 * The design-first path: an OpenAPI 3.0 or 3.1 document (the kind people
 * write for Stoplight or Prism) turned into persistent Rung resources.
 *
 * Rules (README "OpenAPI"):
 * - Paths: `/things` is a collection, `/things/{id}` its items, and
 *   `/things/{id}/parts` (with `/things/{id}/parts/{id}`) a collection nested
 *   in one item. Collections take GET and POST, items GET, PUT, PATCH and
 *   DELETE; a resource with no write operation at all is read-only, one with
 *   any gets all of them.
 * - Schema: the POST (else PUT) request body, merged with the item GET
 *   response (else the collection's array items); its properties are the
 *   fields, its `required` the required fields. The `id` property (or the one
 *   named like the item path parameter) is the item's identity, not a field.
 *   The class name is the component schema's name, else the segment in the
 *   singular.
 * - Relations: a property that is a `$ref` to another resource's component
 *   schema; a property named `<resource>Id` or `<resource>_id`; or any
 *   property with `x-rung-relation: <ComponentName or /collection>`
 *   (`x-rung-on-delete: cascade` to delete along, default `restrict`). The
 *   field then holds the target's IRI, and the target links back to the items
 *   that point at it.
 * - Filters: a query parameter of the collection GET named like a field, or
 *   `<field>_gte` / `<field>_lte`; `sort` (its enum lists the sortable
 *   fields, without one every scalar field is sortable); `page`, `pageSize`.
 *
 * Anything else is a problem naming its place in the document (a JSON
 * Pointer); all problems are reported together.
 */
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { Validator } from '@seriousme/openapi-schema-validator';
import { parseDocument } from 'yaml';
import type { JsonSchema, ResourceDefinition } from '../resources/definition.js';
import { PAGE, PAGE_SIZE, SORT } from '../resources/query.js';
import { OpenApiImportError, pointer, type ImportProblem } from './import-problems.js';
import { SchemaReader, type Json, type ObjectShape } from './import-schema.js';
import { RELATION_EXTENSION } from './schemas.js';

type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;

/** What an OpenAPI document declares, ready for `createRung`. */
export interface ImportedApi {
  title?: string;
  description?: string;
  resources: ResourceDefinition[];
}

const ON_DELETE = 'x-rung-on-delete';
const CONDITIONAL_HEADERS = new Set(['if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since', 'accept', 'content-type']);
const PAGING_ELSEWHERE = new Set(['limit', 'offset', 'per_page', 'perpage', 'page_size', 'size', 'skip', 'take', 'cursor']);
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;
const SEGMENT = /^[a-z][a-z0-9-]*$/;

/** One collection of the document: its paths and operations, then what they declare. */
interface Collection {
  key: string;
  segment: string;
  parentKey?: string;
  collectionPath?: string;
  itemPath?: string;
  itemParameter?: string;
  name?: string;
  shape?: ObjectShape;
  definition?: ResourceDefinition;
}

const singular = (word: string) =>
  word.endsWith('ies') ? `${word.slice(0, -3)}y` : /(ss|x|ch|sh)es$/.test(word) ? word.slice(0, -2) : word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
const pascal = (text: string) =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('')
    .replace(/^[0-9]+/, '');

function knownFormats(): Set<string> {
  const ajv = new Ajv();
  addFormats(ajv);
  return new Set(Object.keys(ajv.formats));
}

/** Errors of the OpenAPI schema validator, one per place, without the noise of its oneOf/if branches. */
function validationProblems(document: Json, errors: unknown): ImportProblem[] {
  if (typeof errors === 'string') {
    // The validator resolves local $refs only, and says so without saying where.
    const external = /^Can't resolve (\S+?),? only internal refs/.exec(errors)?.[1];
    const at = external && findRef(document, external);
    if (at !== undefined && at !== false) return [{ pointer: `${at}/$ref`, message: `"${external}" points outside this document; bundle the document into one file first (e.g. npx @redocly/cli bundle)` }];
    return [{ pointer: '', message: errors }];
  }
  const problems = new Map<string, string>();
  for (const e of (errors ?? []) as { instancePath: string; keyword: string; message?: string; params?: Json }[]) {
    if (['oneOf', 'anyOf', 'if', 'then', 'else', '$ref', 'not', 'false schema'].includes(e.keyword)) continue;
    const detail =
      e.keyword === 'additionalProperties' ? `has "${e.params?.additionalProperty}", which OpenAPI does not define here`
      : e.keyword === 'required' ? `must have "${e.params?.missingProperty}"`
      : e.message ?? 'is invalid';
    if (!problems.has(e.instancePath)) problems.set(e.instancePath, detail);
  }
  if (!problems.size) problems.set('', 'is not a valid OpenAPI document');
  return [...problems].slice(0, 12).map(([at, message]) => ({ pointer: at, message: `${message} (OpenAPI schema)` }));
}

/** The JSON Pointer of the first `$ref` to `target` in `value`, or false. */
function findRef(value: unknown, target: string, at = ''): string | false {
  if (!value || typeof value !== 'object') return false;
  if ((value as Json).$ref === target) return at;
  for (const [key, child] of Object.entries(value)) {
    const found = findRef(child, target, at + pointer(key));
    if (found !== false) return found;
  }
  return false;
}

/**
 * Resource definitions for an OpenAPI 3.0 or 3.1 document (parsed). `source`
 * names it in errors. Throws an {@link OpenApiImportError} listing every
 * problem.
 */
export async function importOpenApi(document: unknown, source = 'the OpenAPI document'): Promise<ImportedApi> {
  if (!document || typeof document !== 'object' || Array.isArray(document)) {
    throw new OpenApiImportError(source, [{ pointer: '', message: 'is not an OpenAPI document (an object with "openapi" and "paths")' }]);
  }
  const doc = document as Json;
  if (typeof doc.openapi !== 'string' || !/^3\.[01]\./.test(doc.openapi)) {
    throw new OpenApiImportError(source, [{ pointer: '/openapi', message: `must be an OpenAPI 3.0 or 3.1 version ("3.1.0"), not ${JSON.stringify(doc.openapi ?? doc.swagger)}` }]);
  }
  const validator = new Validator();
  const validation = await validator.validate(structuredClone(doc));
  if (!validation.valid) throw new OpenApiImportError(source, validationProblems(doc, validation.errors), 'it is not a valid OpenAPI document');
  const importer = new Importer(doc);
  const api = importer.run();
  if (importer.problems.length) throw new OpenApiImportError(source, importer.problems);
  return api;
}

/** Read a YAML or JSON file and import it (see {@link importOpenApi}). */
export async function readOpenApiFile(file: string): Promise<ImportedApi> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new OpenApiImportError(file, [{ pointer: '', message: `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` }], 'the file cannot be read');
  }
  const parsed = parseDocument(text);
  if (parsed.errors.length) {
    throw new OpenApiImportError(
      file,
      parsed.errors.slice(0, 5).map((e) => ({ pointer: '', message: `line ${e.linePos?.[0].line ?? '?'}, column ${e.linePos?.[0].col ?? '?'}: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}` })),
      'it is not well-formed YAML or JSON',
    );
  }
  return importOpenApi(parsed.toJS({ maxAliasCount: 1000 }), file);
}

class Importer {
  readonly problems: ImportProblem[] = [];
  private readonly schemas: SchemaReader;
  private readonly collections = new Map<string, Collection>();
  private readonly byComponent = new Map<string, Collection>();
  private readonly strictAjv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });

  constructor(private readonly doc: Json) {
    this.schemas = new SchemaReader(doc, this.problems, knownFormats());
    addFormats(this.strictAjv);
  }

  private problem(at: string, message: string): void {
    this.problems.push({ pointer: at, message });
  }

  run(): ImportedApi {
    if (this.doc.security?.length) this.problem('/security', 'Rung serves no authentication; remove the security requirements to serve this design');
    for (const [path, item] of Object.entries<Json>(this.doc.paths ?? {})) this.readPath(path, item ?? {});
    if (!this.collections.size && !this.problems.length) this.problem('/paths', 'declares no collection (a path such as /companies) to serve');
    for (const c of this.collections.values()) this.readSchema(c);
    for (const c of this.collections.values()) this.defineResource(c);
    for (const c of this.collections.values()) this.readFilters(c);
    this.linkBack();
    return {
      title: this.doc.info?.title,
      description: this.doc.info?.description,
      resources: [...this.collections.values()].flatMap((c) => (c.definition ? [c.definition] : [])),
    };
  }

  /** Classify a path: a collection, an item, or a nested collection / item. */
  private readPath(path: string, item: Json): void {
    const at = pointer('paths', path);
    const segments = path.split('/').slice(1);
    const literal = (i: number) => segments[i] !== undefined && !segments[i].includes('{');
    const param = (i: number) => /^\{[^}]+\}$/.test(segments[i] ?? '');
    let kind: 'collection' | 'item' | undefined;
    if (segments.length === 1 && literal(0)) kind = 'collection';
    else if (segments.length === 2 && literal(0) && param(1)) kind = 'item';
    else if (segments.length === 3 && literal(0) && param(1) && literal(2)) kind = 'collection';
    else if (segments.length === 4 && literal(0) && param(1) && literal(2) && param(3)) kind = 'item';
    if (!kind) {
      return this.problem(at, 'Rung serves collections (/things), their items (/things/{id}) and collections nested in an item (/things/{id}/parts); this path is none of them');
    }
    for (const i of [0, 2]) {
      if (segments[i] !== undefined && !SEGMENT.test(segments[i])) {
        return this.problem(at, `"${segments[i]}" must be a lowercase path segment (letters, digits, -), starting with a letter`);
      }
    }
    const collectionSegments = kind === 'item' ? segments.slice(0, -1) : segments;
    const key = collectionSegments.map((s) => (s.startsWith('{') ? '{}' : s)).join('/');
    const collection = this.collections.get(key) ?? { key, segment: collectionSegments[collectionSegments.length - 1], parentKey: collectionSegments.length === 3 ? collectionSegments[0] : undefined };
    const clash = [...this.collections.values()].find((c) => c.segment === collection.segment && c.key !== key);
    if (clash) return this.problem(at, `"${collection.segment}" is already a collection at /${clash.key.replace('{}', '{id}')}; Rung keeps one collection per name`);
    this.collections.set(key, collection);
    const allowed = kind === 'collection' ? ['get', 'post'] : ['get', 'put', 'patch', 'delete'];
    for (const method of ['get', 'put', 'post', 'delete', 'patch', 'trace', 'query']) {
      if (item[method] && !allowed.includes(method)) {
        this.problem(`${at}/${method}`, `Rung answers ${allowed.map((m) => m.toUpperCase()).join(', ')} on ${kind === 'collection' ? 'a collection' : 'an item'}, not ${method.toUpperCase()}`);
      }
    }
    if (kind === 'collection') collection.collectionPath = path;
    else {
      collection.itemPath = path;
      collection.itemParameter = segments[segments.length - 1].slice(1, -1);
      this.checkIdParameter(path, item);
    }
    for (const method of allowed) if (item[method]) this.checkOperation(path, method, item, kind);
  }

  /** Item ids are positive integers in Rung. */
  private checkIdParameter(path: string, item: Json): void {
    const name = path.slice(path.lastIndexOf('{') + 1, -1);
    const operations = ['get', 'put', 'patch', 'delete'].filter((m) => item[m]);
    const declared = [...(item.parameters ?? []).map((p: Json, i: number) => ({ p, at: `${pointer('paths', path)}/parameters/${i}` })), ...operations.flatMap((m) => (item[m].parameters ?? []).map((p: Json, i: number) => ({ p, at: `${pointer('paths', path, m)}/parameters/${i}` })))];
    for (const { p, at } of declared) {
      const parameter = this.schemas.resolve(p, at)?.schema;
      if (parameter?.in !== 'path' || parameter.name !== name || !parameter.schema) continue;
      const schema = this.schemas.resolve(parameter.schema, `${at}/schema`)?.schema;
      const type = schema?.type;
      if (type === 'integer' || (type === 'string' && (schema?.format === undefined || schema?.format === 'int64'))) continue;
      this.problem(`${at}/schema`, `Rung identifies items by positive integer ids; {${name}} cannot be ${JSON.stringify(type)}${schema?.format ? ` (${schema.format})` : ''}`);
    }
  }

  /** Parameters other than filters, security, and request media types of one operation. */
  private checkOperation(path: string, method: string, item: Json, kind: 'collection' | 'item'): void {
    const at = pointer('paths', path, method);
    const operation = item[method];
    if (operation.security?.length) this.problem(`${at}/security`, 'Rung serves no authentication; remove the security requirement');
    const parameters = [...(item.parameters ?? []).map((p: Json, i: number) => ({ p, at: `${pointer('paths', path)}/parameters/${i}` })), ...(operation.parameters ?? []).map((p: Json, i: number) => ({ p, at: `${at}/parameters/${i}` }))];
    for (const { p, at: where } of parameters) {
      const parameter = this.schemas.resolve(p, where)?.schema;
      if (!parameter) continue;
      if (parameter.in === 'header' && CONDITIONAL_HEADERS.has(String(parameter.name).toLowerCase())) continue;
      if (parameter.in === 'path') continue;
      if (parameter.in === 'query' && kind === 'collection' && method === 'get') continue; // read with the schema (readFilters)
      this.problem(where, `Rung reads no ${parameter.in} parameter "${parameter.name}" here${parameter.in === 'query' ? ' (query parameters filter, sort and page a collection GET)' : ''}`);
    }
    const body = operation.requestBody && this.schemas.resolve(operation.requestBody, `${at}/requestBody`)?.schema;
    if (body && !Object.keys(body.content ?? {}).some((t) => JSON_TYPE.test(t.split(';')[0].trim()))) {
      this.problem(`${at}/requestBody/content`, `Rung reads JSON bodies (application/json, application/ld+json, application/merge-patch+json), not ${Object.keys(body.content ?? {}).join(', ')}`);
    }
  }

  private operation(path: string | undefined, method: string): Json | undefined {
    return path ? this.doc.paths[path]?.[method] : undefined;
  }

  /** The JSON schema of a request body or of a 200/201 response, and its pointer. */
  private jsonSchema(path: string | undefined, method: string, part: 'request' | 'response'): { schema: Json; at: string } | undefined {
    const operation = this.operation(path, method);
    if (!operation) return undefined;
    const base = pointer('paths', path!, method);
    const holder =
      part === 'request' ? operation.requestBody && this.schemas.resolve(operation.requestBody, `${base}/requestBody`)
      : (['200', '201'].map((s) => operation.responses?.[s] && this.schemas.resolve(operation.responses[s], `${base}/responses/${s}`)).find(Boolean) as { schema: Json; at: string } | undefined);
    if (!holder) return undefined;
    const content = holder.schema.content ?? {};
    const type = Object.keys(content).find((t) => JSON_TYPE.test(t.split(';')[0].trim()));
    if (!type || !content[type].schema) return undefined;
    return { schema: content[type].schema, at: `${holder.at}${pointer('content', type, 'schema')}` };
  }

  /** The item schema of a collection: its name, properties and required fields. */
  private readSchema(c: Collection): void {
    const write = this.jsonSchema(c.collectionPath, 'post', 'request') ?? this.jsonSchema(c.itemPath, 'put', 'request');
    let read = this.jsonSchema(c.itemPath, 'get', 'response');
    if (!read) {
      const list = this.jsonSchema(c.collectionPath, 'get', 'response');
      const resolved = list && this.schemas.resolve(list.schema, list.at);
      if (resolved?.schema.type === 'array' && resolved.schema.items) read = { schema: resolved.schema.items, at: `${resolved.at}/items` };
      else if (resolved) {
        // An envelope such as { data: [...] }: the one array property holds the items.
        const arrays = Object.entries<Json>(resolved.schema.properties ?? {}).filter(([, s]) => this.schemas.resolve(s, resolved.at)?.schema.type === 'array');
        if (arrays.length === 1) {
          const array = this.schemas.resolve(arrays[0][1], `${resolved.at}${pointer('properties', arrays[0][0])}`)!;
          read = { schema: array.schema.items, at: `${array.at}/items` };
        }
      }
    }
    const at = c.collectionPath ? pointer('paths', c.collectionPath) : pointer('paths', c.itemPath!);
    if (!write && !read) return this.problem(at, 'has no JSON schema for its items (a POST request body, or a GET response) to make a resource of');
    const names = [read, write].map((s) => s && this.schemas.refName(s.schema, s.at)).filter((n): n is string => Boolean(n));
    c.name = pascal(names[0] ?? singular(c.segment)) || pascal(singular(c.segment));
    for (const name of names) this.byComponent.set(name, c);
    const shapes = [write, read].flatMap((s) => (s ? [this.schemas.objectShape(s.schema, s.at)] : []));
    if (shapes.some((s) => !s)) return;
    const [first, second] = shapes as ObjectShape[];
    c.shape = { ...first, properties: [...first.properties], required: new Set(first.required) };
    for (const p of second?.properties ?? []) if (!c.shape.properties.some((q) => q.name === p.name)) c.shape.properties.push(p);
    c.shape.description ??= second?.description;
  }

  /** The collection a relation names: by component name or by collection path. */
  private target(value: unknown): Collection | undefined {
    if (typeof value !== 'string') return undefined;
    if (value.startsWith('/')) return [...this.collections.values()].find((c) => c.collectionPath === value || `/${c.key}` === value);
    return this.byComponent.get(value) ?? [...this.collections.values()].find((c) => c.name === value);
  }

  /** A `<resource>Id` / `<resource>_id` property names its target by name or segment. */
  private targetByName(property: string): Collection | undefined {
    const m = /^(.+?)(Id|_id|ID)$/.exec(property);
    if (!m) return undefined;
    const stem = m[1].toLowerCase().replace(/[-_]/g, '');
    return [...this.collections.values()].find((c) => c.name?.toLowerCase() === stem || singular(c.segment).replace(/-/g, '') === stem || c.segment.replace(/-/g, '') === stem);
  }

  private defineResource(c: Collection): void {
    if (!c.shape || !c.name) return;
    const at = c.collectionPath ? pointer('paths', c.collectionPath) : pointer('paths', c.itemPath!);
    if ([...this.collections.values()].some((o) => o !== c && o.name === c.name)) return this.problem(at, `two collections would both be ${c.name}s; give their item schemas different component names`);
    const parent = c.parentKey ? this.collections.get(c.parentKey) : undefined;
    if (c.parentKey && !parent) return this.problem(at, `is nested in /${c.parentKey}/{id}, which is not a collection of this document`);
    const properties: Record<string, JsonSchema> = {};
    const relations: ResourceDefinition['relations'] = {};
    const required = new Set<string>();
    let parentTerm: string | undefined;
    for (const { name, schema, at: where } of c.shape.properties) {
      const resolved = this.schemas.resolve(schema, where);
      if (!resolved) continue;
      const s = resolved.schema;
      if (name === 'id' || name === c.itemParameter) continue; // the item's identity: its IRI
      if (name.startsWith('@') || name.includes(':') || ['collection', 'operation'].includes(name)) {
        this.problem(where, `"${name}" cannot be a field: Rung writes "@id", "@type", "collection" and "operation" itself, and a name with ":" would be read as an IRI`);
        continue;
      }
      if (s.writeOnly) {
        this.problem(where, 'is writeOnly, but Rung shows every stored field in every representation; leave it out or make it readable');
        continue;
      }
      const explicit = schema[RELATION_EXTENSION] ?? s[RELATION_EXTENSION];
      const isArrayOfResources = s.type === 'array' && this.schemas.refName(s.items, `${resolved.at}/items`) && this.byComponent.has(this.schemas.refName(s.items, `${resolved.at}/items`)!);
      if (isArrayOfResources) {
        this.problem(where, 'is a list of other resources; Rung links one item to one other (put the link on the other side, or nest the collection)');
        continue;
      }
      const target = explicit !== undefined ? this.target(explicit) : this.byComponent.get(this.schemas.refName(schema, where) ?? '') ?? this.targetByName(name);
      if (explicit !== undefined && !target) {
        this.problem(`${where}/${RELATION_EXTENSION}`, `names no collection of this document (${[...this.collections.values()].map((o) => o.name).filter(Boolean).join(', ')})`);
        continue;
      }
      if (target && target === parent) {
        parentTerm = name; // the link to the parent item: Rung's nesting makes it
        continue;
      }
      if (s.readOnly) {
        this.problem(where, 'is readOnly, but Rung computes no field of its own (only "id", which becomes the item\'s IRI); leave it out or make it writable');
        continue;
      }
      if (target) {
        if (target.parentKey) {
          this.problem(where, `links to ${target.name}, which lives inside another item; Rung links to top-level items only`);
          continue;
        }
        const onDelete = schema[ON_DELETE] ?? s[ON_DELETE] ?? 'restrict';
        if (onDelete !== 'restrict' && onDelete !== 'cascade') {
          this.problem(`${where}/${ON_DELETE}`, `must be "restrict" (refuse to delete the target while linked) or "cascade" (delete along), not ${JSON.stringify(onDelete)}`);
          continue;
        }
        relations[name] = { resource: target.name!, onDelete };
        properties[name] = { type: 'string', format: 'uri-reference', description: schema.description ?? `IRI of the ${target.name} (${target.collectionPath ?? `/${target.segment}`}/{id})` };
      } else {
        const translated = this.schemas.translate(schema, where);
        if (!translated) continue;
        const problem = this.compileProblem(translated);
        if (problem) {
          this.problem(where, problem);
          continue;
        }
        properties[name] = translated;
      }
      if (c.shape.required.has(name)) required.add(name);
    }
    for (const name of c.shape.required) {
      if (!c.shape.properties.some((p) => p.name === name)) this.problem(at, `requires "${name}", which is not a property of ${c.name}`);
    }
    const writes = Boolean(this.operation(c.collectionPath, 'post') || ['put', 'patch', 'delete'].some((m) => this.operation(c.itemPath, m)));
    c.definition = {
      name: c.name,
      segment: c.segment,
      title: c.shape.title,
      description: c.shape.description,
      schema: { type: 'object', properties, ...(required.size ? { required: [...required] } : {}) },
      ...(Object.keys(relations).length ? { relations } : {}),
      ...(parent ? { parent: { resource: parent.name!, term: parentTerm ?? singular(parent.segment).replace(/-./g, (m) => m[1].toUpperCase()), inverse: c.segment } } : {}),
      ...(writes ? {} : { readOnly: true }),
    };
  }

  /** A field schema Rung's validator (ajv, strict) refuses, in its words. */
  private compileProblem(schema: JsonSchema): string | undefined {
    try {
      this.strictAjv.compile(schema);
      return undefined;
    } catch (err) {
      return `cannot be validated: ${(err as Error).message.replace(/^strict mode: /, '')}`;
    }
  }

  /** Filters, sort and paging from the query parameters of the collection GET. */
  private readFilters(c: Collection): void {
    const definition = c.definition;
    const operation = this.operation(c.collectionPath, 'get');
    if (!definition || !operation) return;
    const fields = Object.keys(definition.schema.properties ?? {});
    const filters = new Set<string>(Object.keys(definition.relations ?? {}));
    let sort: string[] | undefined;
    const item = this.doc.paths[c.collectionPath!];
    const parameters = [...(item.parameters ?? []).map((p: Json, i: number) => ({ p, at: `${pointer('paths', c.collectionPath!)}/parameters/${i}` })), ...(operation.parameters ?? []).map((p: Json, i: number) => ({ p, at: `${pointer('paths', c.collectionPath!, 'get')}/parameters/${i}` }))];
    for (const { p, at } of parameters) {
      const parameter = this.schemas.resolve(p, at)?.schema;
      if (parameter?.in !== 'query') continue;
      const name: string = parameter.name;
      const range = /^(.+)_(gte|lte)$/.exec(name);
      const kind = (field: string) => {
        const s = definition.schema.properties?.[field];
        const type = Array.isArray(s?.type) ? s.type.find((t) => t !== 'null') : s?.type;
        return { type, date: s?.format === 'date' || s?.format === 'date-time' };
      };
      if (name === PAGE || name === PAGE_SIZE) continue;
      if (name === SORT) {
        const schema = this.schemas.resolve(parameter.schema ?? {}, `${at}/schema`)?.schema ?? {};
        const values: unknown[] | undefined = schema.enum ?? (schema.items && this.schemas.resolve(schema.items, `${at}/schema/items`)?.schema.enum);
        sort = values
          ? [...new Set(values.flatMap((v) => String(v).split(',')).map((v) => v.replace(/^[-+]/, '')))]
          : fields.filter((f) => ['string', 'integer', 'number', 'boolean'].includes(String(kind(f).type)) && !definition.relations?.[f]);
        const unknown = sort.filter((f) => !fields.includes(f));
        if (unknown.length) this.problem(`${at}/schema`, `sorts by ${unknown.join(', ')}, which ${unknown.length === 1 ? 'is not a field' : 'are not fields'} of ${definition.name}`);
        continue;
      }
      if (fields.includes(name)) {
        filters.add(name);
        continue;
      }
      if (range && fields.includes(range[1])) {
        const { type, date } = kind(range[1]);
        if (type === 'integer' || type === 'number' || date) {
          filters.add(range[1]);
          continue;
        }
        this.problem(at, `"${name}": ranges apply to numbers and dates, and ${range[1]} is neither`);
        continue;
      }
      const hint = PAGING_ELSEWHERE.has(name.toLowerCase()) ? ' Rung pages with "page" (from 1) and "pageSize".' : '';
      this.problem(at, `query parameter "${name}" names no field of ${definition.name} (${fields.join(', ') || 'none'}).${hint} Rung filters by a field's name, by <field>_gte / <field>_lte, sorts with "sort" and pages with "page" and "pageSize"`);
    }
    if (filters.size) definition.filters = [...filters];
    if (sort?.length) definition.sort = sort.filter((f) => fields.includes(f));
  }

  /**
   * Each target of a relation links back to the items that point at it
   * (`/users?company=1`), under the source's segment, when that name is free.
   */
  private linkBack(): void {
    const definitions = [...this.collections.values()].flatMap((c) => (c.definition ? [c.definition] : []));
    const terms = new Map(definitions.map((d) => [d.name, new Set([...Object.keys(d.schema.properties ?? {}), ...definitions.filter((o) => o.parent?.resource === d.name).map((o) => o.parent!.inverse)])]));
    for (const source of definitions) {
      for (const relation of Object.values(source.relations ?? {})) {
        const taken = terms.get(relation.resource);
        if (!taken || taken.has(source.segment) || source.parent) continue;
        relation.inverse = source.segment;
        taken.add(source.segment);
      }
    }
  }
}
