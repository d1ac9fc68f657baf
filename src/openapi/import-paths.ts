/**
 * The paths of an imported document: each classified as a collection
 * (`/things`), an item (`/things/{id}`) or one nested in an item
 * (`/things/{id}/parts`), with the checks of its methods, id parameter,
 * other parameters and request media types.
 */
import { pointer } from './import-problems.js';
import type { Json } from './import-schema.js';
import { JSON_TYPE, type ImportState } from './import-state.js';

const CONDITIONAL_HEADERS = new Set(['if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since', 'accept', 'content-type']);
const SEGMENT = /^[a-z][a-z0-9-]*$/;

/** Classify a path: a collection, an item, or a nested collection / item. */
export function readPath(state: ImportState, path: string, item: Json): void {
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
    return state.problem(at, 'Rung serves collections (/things), their items (/things/{id}) and collections nested in an item (/things/{id}/parts); this path is none of them');
  }
  for (const i of [0, 2]) {
    if (segments[i] !== undefined && !SEGMENT.test(segments[i])) {
      return state.problem(at, `"${segments[i]}" must be a lowercase path segment (letters, digits, -), starting with a letter`);
    }
  }
  const collectionSegments = kind === 'item' ? segments.slice(0, -1) : segments;
  const key = collectionSegments.map((s) => (s.startsWith('{') ? '{}' : s)).join('/');
  const collection = state.collections.get(key) ?? { key, segment: collectionSegments[collectionSegments.length - 1], parentKey: collectionSegments.length === 3 ? collectionSegments[0] : undefined };
  const clash = [...state.collections.values()].find((c) => c.segment === collection.segment && c.key !== key);
  if (clash) return state.problem(at, `"${collection.segment}" is already a collection at /${clash.key.replace('{}', '{id}')}; Rung keeps one collection per name`);
  state.collections.set(key, collection);
  const allowed = kind === 'collection' ? ['get', 'post'] : ['get', 'put', 'patch', 'delete'];
  for (const method of ['get', 'put', 'post', 'delete', 'patch', 'trace', 'query']) {
    if (item[method] && !allowed.includes(method)) {
      state.problem(`${at}/${method}`, `Rung answers ${allowed.map((m) => m.toUpperCase()).join(', ')} on ${kind === 'collection' ? 'a collection' : 'an item'}, not ${method.toUpperCase()}`);
    }
  }
  if (kind === 'collection') collection.collectionPath = path;
  else {
    collection.itemPath = path;
    collection.itemParameter = segments[segments.length - 1].slice(1, -1);
    checkIdParameter(state, path, item);
  }
  for (const method of allowed) if (item[method]) checkOperation(state, path, method, item, kind);
}

/** Item ids are positive integers in Rung. */
export function checkIdParameter(state: ImportState, path: string, item: Json): void {
  const name = path.slice(path.lastIndexOf('{') + 1, -1);
  const operations = ['get', 'put', 'patch', 'delete'].filter((m) => item[m]);
  const declared = [...(item.parameters ?? []).map((p: Json, i: number) => ({ p, at: `${pointer('paths', path)}/parameters/${i}` })), ...operations.flatMap((m) => (item[m].parameters ?? []).map((p: Json, i: number) => ({ p, at: `${pointer('paths', path, m)}/parameters/${i}` })))];
  for (const { p, at } of declared) {
    const parameter = state.schemas.resolve(p, at)?.schema;
    if (parameter?.in !== 'path' || parameter.name !== name || !parameter.schema) continue;
    const schema = state.schemas.resolve(parameter.schema, `${at}/schema`)?.schema;
    const type = schema?.type;
    if (type === 'integer' || (type === 'string' && (schema?.format === undefined || schema?.format === 'int64'))) continue;
    state.problem(`${at}/schema`, `Rung identifies items by positive integer ids; {${name}} cannot be ${JSON.stringify(type)}${schema?.format ? ` (${schema.format})` : ''}`);
  }
}

/** Parameters other than filters, security, and request media types of one operation. */
export function checkOperation(state: ImportState, path: string, method: string, item: Json, kind: 'collection' | 'item'): void {
  const at = pointer('paths', path, method);
  const operation = item[method];
  if (operation.security?.length) state.problem(`${at}/security`, 'Rung serves no authentication; remove the security requirement');
  const parameters = [...(item.parameters ?? []).map((p: Json, i: number) => ({ p, at: `${pointer('paths', path)}/parameters/${i}` })), ...(operation.parameters ?? []).map((p: Json, i: number) => ({ p, at: `${at}/parameters/${i}` }))];
  for (const { p, at: where } of parameters) {
    const parameter = state.schemas.resolve(p, where)?.schema;
    if (!parameter) continue;
    if (parameter.in === 'header' && CONDITIONAL_HEADERS.has(String(parameter.name).toLowerCase())) continue;
    if (parameter.in === 'path') continue;
    if (parameter.in === 'query' && kind === 'collection' && method === 'get') continue; // read with the schema (readFilters)
    state.problem(where, `Rung reads no ${parameter.in} parameter "${parameter.name}" here${parameter.in === 'query' ? ' (query parameters filter, sort and page a collection GET)' : ''}`);
  }
  const body = operation.requestBody && state.schemas.resolve(operation.requestBody, `${at}/requestBody`)?.schema;
  if (body && !Object.keys(body.content ?? {}).some((t) => JSON_TYPE.test(t.split(';')[0].trim()))) {
    state.problem(`${at}/requestBody/content`, `Rung reads JSON bodies (application/json, application/ld+json, application/merge-patch+json), not ${Object.keys(body.content ?? {}).join(', ')}`);
  }
}
