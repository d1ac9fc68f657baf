/**
 * Checking an API file: first its shape, against its own JSON Schema
 * (schema.ts); then what a schema cannot say — names that must refer to
 * something declared elsewhere in the file (relation targets, filtered
 * fields, parents), names Rung keeps for itself, cycles, field schemas ajv
 * would refuse, files that must exist. Every problem is reported, each at
 * its path in the file.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { RESERVED_SEGMENTS } from '../resources/definition.js';
import { fieldSchemaProblem } from '../resources/registry.js';
import { schemaViolations } from '../resources/schema-messages.js';
import { fieldSchema } from './definitions.js';
import { didYouMean, type ApiFileProblem, type DataPath } from './problems.js';
import { API_FILE_SCHEMA, type ApiDeclaration, type ResourceDeclaration } from './schema.js';
import type { Source } from './source.js';

// ajv-formats is CommonJS with a default export.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;

/** Paths Rung serves itself: no collection may take them. */
/** Columns and terms every item has: no field may take them. */
const RESERVED_FIELDS = ['id', 'parent_id', 'version', 'created_at', 'updated_at', 'collection', 'operation'];

let validateShape: ReturnType<Ajv['compile']> | undefined;

/** Where an unknown key sits, for "is not a setting of …". */
function placeOf(pointer: string): string {
  const parts = pointer.split('/').slice(1);
  if (parts.length === 0) return 'an API file';
  if (parts[0] === 'resources' && parts.length === 2) return `a resource`;
  if (parts[0] === 'resources' && parts[2] === 'relations') return 'a relation';
  if (parts[0] === 'resources' && parts[2] === 'parent') return 'a parent';
  return `${parts[parts.length - 1]}`;
}

/** A JSON Pointer into `data` as a path: array indices become numbers. */
function pathOf(pointer: string, data: unknown): DataPath {
  const path: DataPath = [];
  let value = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const part = Array.isArray(value) && /^\d+$/.test(key) ? Number(key) : key;
    path.push(part);
    value = value && typeof value === 'object' ? (value as Record<string | number, unknown>)[part] : undefined;
  }
  return path;
}

/** Problems with the file's shape (unknown settings, wrong types…), from its JSON Schema. */
export function shapeProblems(source: Source): ApiFileProblem[] {
  if (!validateShape) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, logger: false });
    addFormats(ajv);
    validateShape = ajv.compile(API_FILE_SCHEMA);
  }
  if (validateShape(source.data)) return [];
  const unknown = new Set<string>();
  const violations = schemaViolations(validateShape.errors ?? [], {
    data: source.data,
    schema: API_FILE_SCHEMA,
    unknownMember: (pointer, member, allowed) => {
      unknown.add(`${pointer}/${member}`);
      return `is not a setting of ${placeOf(pointer)}${didYouMean(member, allowed)} (settings: ${allowed.join(', ')})`;
    },
  });
  return violations.map((v) => source.problem(pathOf(v.pointer, source.data), v.message, unknown.has(v.pointer)));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Field names of a resource as declared (its fields, then its relation fields), whatever their shape. */
function fieldNames(resource: unknown): string[] {
  if (!isObject(resource)) return [];
  const names = isObject(resource.fields) ? Object.keys(resource.fields) : [];
  for (const field of isObject(resource.relations) ? Object.keys(resource.relations) : []) if (!names.includes(field)) names.push(field);
  return names;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const JSON_TYPES = ['string', 'integer', 'number', 'boolean', 'object', 'array', 'null'];

/**
 * Problems of meaning. A part of the file with `shape` problems is left out
 * (a field, a relation, a list…), so every other problem is still reported
 * in the same run.
 */
export function meaningProblems(api: ApiDeclaration, source: Source, dir: string, shape: ApiFileProblem[] = []): ApiFileProblem[] {
  const problems: ApiFileProblem[] = [];
  const problem = (path: DataPath, message: string, onKey = false) => problems.push(source.problem(path, message, onKey));
  /** No shape problem at or under `path`. */
  const sound = (...path: DataPath) => !shape.some((p) => path.every((part, i) => p.path[i] === part));
  if (!isObject(api) || !isObject(api.resources)) return problems;
  const resources = api.resources as Record<string, ResourceDeclaration>;
  const names = Object.keys(resources);
  const declared = (name: unknown): name is string => typeof name === 'string' && Object.hasOwn(resources, name);
  const notDeclared = (name: string) => `"${name}" is not a resource of this file${didYouMean(name, names)} (its resources: ${names.join(', ')})`;
  const bySegment = new Map<string, string>();

  for (const [name, resource] of Object.entries(resources)) {
    if (!isObject(resource)) continue;
    const at = (...rest: DataPath): DataPath => ['resources', name, ...rest];
    const part = (...rest: DataPath) => sound(...at(...rest));
    if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) problem(at(), 'must be a class name in PascalCase, such as Book or BookReview', true);
    if (part('segment') && typeof resource.segment === 'string') {
      if (RESERVED_SEGMENTS.includes(resource.segment)) {
        problem(at('segment'), `"${resource.segment}" is a path Rung serves itself (${RESERVED_SEGMENTS.map((s) => `/${s}`).join(', ')}); choose another`);
      }
      // Tables are named after segments, nested or not: each segment names one resource.
      const table = resource.segment.replace(/-/g, '_');
      if (bySegment.has(table)) problem(at('segment'), `"${resource.segment}" is also the segment of ${bySegment.get(table)}; each resource needs its own`);
      else bySegment.set(table, name);
    }

    const fields = fieldNames(resource);
    const fieldList = fields.length ? fields.join(', ') : 'none';
    const notAField = (value: string) => `"${value}" is not a field of ${name}${didYouMean(value, fields)} (its fields: ${fieldList})`;
    for (const [field, declaredSchema] of Object.entries(isObject(resource.fields) ? resource.fields : {})) {
      if (!NAME.test(field)) problem(at('fields', field), 'must be a name of letters, digits and _, such as startDate', true);
      else if (RESERVED_FIELDS.includes(field)) problem(at('fields', field), `is a name Rung uses itself (${RESERVED_FIELDS.join(', ')}); choose another`, true);
      if (!part('fields', field) || !isObject(declaredSchema)) continue;
      const types = Array.isArray(declaredSchema.type) ? declaredSchema.type : [declaredSchema.type];
      const unknownType = types.find((t) => typeof t === 'string' && !JSON_TYPES.includes(t));
      if (unknownType !== undefined) {
        problem(at('fields', field, 'type'), `"${unknownType}" is not a JSON Schema type${didYouMean(unknownType as string, JSON_TYPES)} (types: ${JSON_TYPES.join(', ')})`);
        continue;
      }
      const why = fieldSchemaProblem(fieldSchema(declaredSchema));
      if (why) problem(at('fields', field), `is not a JSON Schema Rung can use: ${why}`);
    }
    for (const list of ['required', 'filters', 'sort', 'search'] as const) {
      const values = resource[list];
      if (!part(list) || !Array.isArray(values)) continue;
      values.forEach((value, i) => fields.includes(value) || problem(at(list, i), notAField(value)));
    }
    if (part('defaultSort') && typeof resource.defaultSort === 'string') {
      const field = resource.defaultSort.replace(/^-/, '');
      if (!fields.includes(field)) problem(at('defaultSort'), `${notAField(field)}; prefix with - for descending`);
    }

    for (const [field, relation] of Object.entries(isObject(resource.relations) ? resource.relations : {})) {
      if (!NAME.test(field)) problem(at('relations', field), 'must be a name of letters, digits and _, such as author', true);
      if (!part('relations', field) || !isObject(relation)) continue;
      if (!declared(relation.resource)) {
        problem(at('relations', field, 'resource'), notDeclared(relation.resource));
        continue;
      }
      const target = resources[relation.resource];
      if (isObject(target?.parent)) {
        problem(at('relations', field, 'resource'), `${relation.resource} is nested under ${target.parent.resource}: a link can only point at a top-level resource`);
      }
      if (relation.inverse && fieldNames(target).includes(relation.inverse)) {
        problem(at('relations', field, 'inverse'), `"${relation.inverse}" is already a field of ${relation.resource}; the link back needs a name of its own`);
      }
    }

    const { parent } = resource;
    if (part('parent') && isObject(parent)) {
      if (parent.resource === name) problem(at('parent', 'resource'), 'a resource cannot be nested in itself');
      else if (!declared(parent.resource)) problem(at('parent', 'resource'), notDeclared(parent.resource));
      else if (fieldNames(resources[parent.resource]).includes(parent.inverse)) {
        problem(at('parent', 'inverse'), `"${parent.inverse}" is already a field of ${parent.resource}; the link to the nested collection needs a name of its own`);
      }
      if (fields.includes(parent.term)) problem(at('parent', 'term'), `"${parent.term}" is already a field of ${name}; the link to the parent needs a name of its own`);
    }

    if (part('context') && typeof resource.context === 'string' && sound('contexts')) {
      const file = resolve(dir, api.contexts ?? 'contexts', resource.context);
      if (!existsSync(file)) problem(at('context'), `${file} does not exist (hand-written contexts live in the "contexts" folder; leave "context" out to have one generated)`);
    }
  }

  const cycle = findCycle(resources);
  if (cycle) problem(['resources', cycle[0]], `resources link to each other in a cycle (${cycle.join(' → ')}): one of them must not require the other to exist first`, true);

  for (const [name, rows] of Object.entries(sound('seed') && isObject(api.seed) ? api.seed : {})) {
    if (!declared(name)) problem(['seed', name], notDeclared(name), true);
    else if (isObject(resources[name]?.parent)) problem(['seed', name], `${name} is nested under ${resources[name].parent!.resource}: only top-level collections are seeded`, true);
    if (typeof rows === 'string' && !existsSync(resolve(dir, rows))) problem(['seed', name], `${resolve(dir, rows)} does not exist`);
  }
  return problems;
}

/** The first cycle of "must exist before" (relations and parents), as resource names. */
function findCycle(resources: Record<string, ResourceDeclaration>): string[] | undefined {
  const after = (name: string): string[] => {
    const r: unknown = resources[name];
    if (!isObject(r)) return [];
    const targets = Object.values(isObject(r.relations) ? r.relations : {}).map((rel) => (isObject(rel) ? rel.resource : undefined));
    if (isObject(r.parent)) targets.push(r.parent.resource);
    return targets.filter((t): t is string => typeof t === 'string' && t !== name && Object.hasOwn(resources, t));
  };
  const done = new Set<string>();
  const visit = (name: string, path: string[]): string[] | undefined => {
    if (path.includes(name)) return [...path.slice(path.indexOf(name)), name];
    if (done.has(name)) return undefined;
    for (const next of after(name)) {
      const found = visit(next, [...path, name]);
      if (found) return found;
    }
    done.add(name);
    return undefined;
  };
  for (const name of Object.keys(resources)) {
    const found = visit(name, []);
    if (found) return found;
  }
  return undefined;
}
