/**
 * The write path: from a parsed request body to values the store accepts.
 *
 * 1. JSON-LD with its own `@context`, or in expanded form, is compacted with
 *    jsonld.js to this resource's terms (the only place jsonld.js runs on a
 *    request); terms it cannot map stay IRIs and are reported.
 * 2. Server-managed properties (`@id`, links such as `collection`) are
 *    dropped: a client may PUT back what it GOT.
 * 3. JSON Schema validation (ajv, every error) plus link checks; all
 *    violations are reported together as one 422.
 */
import type jsonld from 'jsonld';
import { badRequest, unprocessable, type Violation } from '../http/errors.js';
import type { ContextRegistry } from './contexts.js';
import { linkTerms } from './contexts.js';
import type { Store, Values } from '../store/store.js';
import { idFromLink, sameResource } from './iri.js';
import { normaliseDateTime, type Resource } from './resource.js';
import { schemaViolations as describeErrors, shown } from './schema-messages.js';

type Body = Record<string, unknown>;

const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Does this body need JSON-LD processing? A JSON-LD body (expanded form, an
 * array or absolute-IRI keys), or any object with its own `@context`. Plain
 * JSON and merge patches are read with the resource's own terms.
 */
function isJsonLd(body: unknown, mediaType: string | undefined): boolean {
  if (isObject(body) && '@context' in body) return true;
  if (mediaType !== 'application/ld+json') return false;
  if (Array.isArray(body)) return true;
  return isObject(body) && ('@graph' in body || Object.keys(body).some((k) => k.includes(':')));
}

/**
 * JSON-LD drops `null` values when it expands a document, but in a merge patch
 * `null` removes a field (RFC 7396 §2), and in any body it is a value the
 * schema judges. So a `null` member of the body's node stands in as a
 * reference to this node, which survives compaction, and is turned back.
 */
const NULL = 'urn:x-rung:null';
const isNullStandIn = (v: unknown) => v === NULL || (isObject(v) && v['@id'] === NULL && Object.keys(v).length === 1);

function withNullStandIns(body: unknown): unknown {
  if (!isObject(body)) return body;
  const out: Body = {};
  for (const [key, value] of Object.entries(body)) {
    Object.defineProperty(out, key, { value: value === null && !key.startsWith('@') ? { '@id': NULL } : value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function restoreNulls(compacted: Body): Body {
  for (const [key, value] of Object.entries(compacted)) if (isNullStandIn(value)) compacted[key] = null;
  return compacted;
}

/** Compact a JSON-LD body to `resource`'s terms. Remote contexts other than ours are refused. */
async function normalise(body: unknown, base: string, resource: Resource, contexts: ContextRegistry): Promise<Body> {
  const contextUrl = contexts.contextUrl(base, resource);
  let compacted: Body;
  try {
    // Loaded on the first JSON-LD body only (~20 MB): plain JSON never needs it.
    compacted = (await (await import('jsonld')).default.compact(withNullStandIns(body) as jsonld.JsonLdDocument, contextUrl as unknown as jsonld.ContextDefinition, {
      base: `${base}/`,
      compactToRelative: false,
      documentLoader: contexts.documentLoader(base) as never,
    })) as unknown as Body;
  } catch (err) {
    throw badRequest(jsonLdFailure(err, contextUrl));
  }
  delete compacted['@context'];
  if (Array.isArray(compacted['@graph'])) {
    const graph = compacted['@graph'] as unknown[];
    if (graph.length !== 1) throw unprocessable([{ pointer: '', message: `must describe exactly one ${resource.name}, found ${graph.length} nodes` }]);
    compacted = graph[0] as Body;
  }
  return restoreNulls(compacted);
}

/**
 * Why jsonld.js refused a body, in our words. Its error codes are the
 * JSON-LD 1.1 API's (§9.4.2, e.g. "loading remote context failed"); its
 * messages, and whatever a document loader threw, stay in the log.
 */
function jsonLdFailure(err: unknown, contextUrl: string): string {
  const code = (err as { details?: { code?: unknown } })?.details?.code;
  if (code === 'loading remote context failed' || code === 'loading document failed') {
    return `The JSON-LD body names a remote @context, which this server does not fetch. Use its own context (${contextUrl}), an inline @context, or none.`;
  }
  return typeof code === 'string'
    ? `The JSON-LD body could not be processed (JSON-LD error "${code}").`
    : 'The JSON-LD body could not be processed.';
}

export interface InputContext {
  base: string;
  resource: Resource;
  contexts: ContextRegistry;
  store: Store;
  /** IRI of the item being written (PUT/PATCH), to check a sent `@id`. */
  target?: string;
  /** Media type of the request body, without parameters. */
  mediaType?: string;
}

/** Turn a request body into this resource's terms, with server-managed properties removed. */
export async function readBody(body: unknown, input: InputContext): Promise<{ body: Body; violations: Violation[] }> {
  const { resource } = input;
  const violations: Violation[] = [];
  if (isJsonLd(body, input.mediaType)) body = await normalise(body, input.base, resource, input.contexts);
  if (!isObject(body)) {
    throw unprocessable([{ pointer: '', message: `must be a JSON object describing ${resource.withArticle}` }]);
  }
  const out: Body = { ...body };
  if ('@id' in out) {
    if (input.target && !sameResource(input.base, out['@id'], input.target)) {
      violations.push({ pointer: '/@id', message: `must be ${input.target} (the IRI of the resource being written) or left out` });
    }
    delete out['@id'];
  }
  if ('@type' in out) {
    const types = Array.isArray(out['@type']) ? out['@type'] : [out['@type']];
    if (!types.includes(resource.name)) {
      violations.push({ pointer: '/@type', message: `must be ${resource.name} or left out` });
    }
    delete out['@type'];
  }
  for (const readOnly of ['collection', 'operation', ...linkTerms(resource)]) delete out[readOnly];
  for (const key of Object.keys(out)) {
    if (key.includes(':') || key.startsWith('@')) {
      // Name the IRI in the message: the pointer escapes it (RFC 6901), and when the
      // client's own @context mapped a term to it, the client never wrote this key.
      violations.push({
        pointer: `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        message: `${key} is not a property of ${resource.name}: this API does not know this ${key.startsWith('@') ? 'keyword here' : 'IRI'}`,
      });
      delete out[key];
    }
  }
  return { body: out, violations };
}

/** ajv errors as JSON Pointer violations, in plain words (schema-messages.ts). */
function schemaViolations(resource: Resource, body: Body): Violation[] {
  if (resource.validate(body)) return [];
  return describeErrors(resource.validate.errors ?? [], {
    data: body,
    schema: resource.schema,
    unknownMember: (pointer) => (pointer === '' ? `is not a field of ${resource.name}` : undefined),
  });
}

/**
 * Why a link value names no `target` item, with the forms it may take and a
 * real example: the first stored item, when there is one.
 */
async function linkRefusal(input: InputContext, target: Resource, value: unknown): Promise<string> {
  const [first] = (await input.store.list(target.model, { where: [], order: [], limit: 1, offset: 0 })).items;
  const id = first?.id ?? 1;
  const path = target.itemPath(id);
  const forms = `its IRI (${input.base}${path}), its path (${path}) or its id (${id})`;
  const none = first ? '' : ` — there is no ${target.name} yet: POST one to ${input.base}${target.collectionPath()} first`;
  return `must name ${target.withArticle} of this API: ${forms}, not ${shown(value)}${none}`;
}

/**
 * Validate a complete body (after merge for PATCH) and turn it into stored
 * values: links become ids of existing items. Throws one 422 listing every
 * violation, including those found while reading the body.
 */
export async function toValues(body: Body, input: InputContext, earlier: Violation[] = []): Promise<Values> {
  const { resource, base, store } = input;
  const violations = [...earlier, ...schemaViolations(resource, body)];
  const values: Values = {};
  for (const field of resource.fields) {
    if (Object.hasOwn(body, field) && body[field] !== undefined && body[field] !== null) values[field] = body[field];
  }
  for (const relation of resource.relations) {
    if (!Object.hasOwn(values, relation.field)) continue;
    const value = values[relation.field];
    const id = idFromLink(base, relation.target, value);
    const pointer = `/${relation.field}`;
    if (id === undefined) {
      violations.push({ pointer, message: await linkRefusal(input, relation.target, value) });
    } else if (!(await store.get(relation.target.model, id))) {
      violations.push({ pointer, message: `${base}${relation.target.itemPath(id)} does not exist` });
    } else {
      values[relation.field] = id;
    }
  }
  if (violations.length) throw unprocessable(dedupe(violations));
  for (const field of resource.dateTimeFields) {
    if (typeof values[field] === 'string') values[field] = normaliseDateTime(values[field] as string) ?? values[field];
  }
  return values;
}

function dedupe(violations: Violation[]): Violation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.pointer}\u0000${v.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * JSON Merge Patch of the stored item (in API terms) with a patch document.
 * @see RFC 7396 §2
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Body = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    // defineProperty, not assignment: a "__proto__" member is data, never a prototype.
    else Object.defineProperty(result, key, { value: mergePatch(Object.hasOwn(result, key) ? result[key] : undefined, value), enumerable: true, writable: true, configurable: true });
  }
  return result;
}
