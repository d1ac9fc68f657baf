/**
 * The resource definition of an imported collection: its fields (each a
 * schema Rung's strict validator compiles), its relations and parent, and
 * whether it takes writes.
 */
import type { JsonSchema, ResourceDefinition } from '../resources/definition.js';
import { pointer } from './import-problems.js';
import { singular } from './import-naming.js';
import { relationTarget, targetByName } from './import-relations.js';
import type { Collection, ImportState } from './import-state.js';
import { RELATION_EXTENSION } from './schemas.js';

const ON_DELETE = 'x-rung-on-delete';

/** A collection's fields, relations and parent as a {@link ResourceDefinition}. */
export function defineResource(state: ImportState, c: Collection): void {
  if (!c.shape || !c.name) return;
  const at = c.collectionPath ? pointer('paths', c.collectionPath) : pointer('paths', c.itemPath!);
  if ([...state.collections.values()].some((o) => o !== c && o.name === c.name)) return state.problem(at, `two collections would both be ${c.name}s; give their item schemas different component names`);
  const parent = c.parentKey ? state.collections.get(c.parentKey) : undefined;
  if (c.parentKey && !parent) return state.problem(at, `is nested in /${c.parentKey}/{id}, which is not a collection of this document`);
  const properties: Record<string, JsonSchema> = {};
  const relations: ResourceDefinition['relations'] = {};
  const required = new Set<string>();
  let parentTerm: string | undefined;
  for (const { name, schema, at: where } of c.shape.properties) {
    const resolved = state.schemas.resolve(schema, where);
    if (!resolved) continue;
    const s = resolved.schema;
    if (name === 'id' || name === c.itemParameter) continue; // the item's identity: its IRI
    if (name.startsWith('@') || name.includes(':') || ['collection', 'operation'].includes(name)) {
      state.problem(where, `"${name}" cannot be a field: Rung writes "@id", "@type", "collection" and "operation" itself, and a name with ":" would be read as an IRI`);
      continue;
    }
    if (s.writeOnly) {
      state.problem(where, 'is writeOnly, but Rung shows every stored field in every representation; leave it out or make it readable');
      continue;
    }
    const explicit = schema[RELATION_EXTENSION] ?? s[RELATION_EXTENSION];
    const isArrayOfResources = s.type === 'array' && state.schemas.refName(s.items, `${resolved.at}/items`) && state.byComponent.has(state.schemas.refName(s.items, `${resolved.at}/items`)!);
    if (isArrayOfResources) {
      state.problem(where, 'is a list of other resources; Rung links one item to one other (put the link on the other side, or nest the collection)');
      continue;
    }
    const target = explicit !== undefined ? relationTarget(state, explicit) : state.byComponent.get(state.schemas.refName(schema, where) ?? '') ?? targetByName(state, name);
    if (explicit !== undefined && !target) {
      state.problem(`${where}/${RELATION_EXTENSION}`, `names no collection of this document (${[...state.collections.values()].map((o) => o.name).filter(Boolean).join(', ')})`);
      continue;
    }
    if (target && target === parent) {
      parentTerm = name; // the link to the parent item: Rung's nesting makes it
      continue;
    }
    if (s.readOnly) {
      state.problem(where, 'is readOnly, but Rung computes no field of its own (only "id", which becomes the item\'s IRI); leave it out or make it writable');
      continue;
    }
    if (target) {
      if (target.parentKey) {
        state.problem(where, `links to ${target.name}, which lives inside another item; Rung links to top-level items only`);
        continue;
      }
      const onDelete = schema[ON_DELETE] ?? s[ON_DELETE] ?? 'restrict';
      if (onDelete !== 'restrict' && onDelete !== 'cascade') {
        state.problem(`${where}/${ON_DELETE}`, `must be "restrict" (refuse to delete the target while linked) or "cascade" (delete along), not ${JSON.stringify(onDelete)}`);
        continue;
      }
      relations[name] = { resource: target.name!, onDelete };
      properties[name] = { type: 'string', format: 'uri-reference', description: schema.description ?? `IRI of the ${target.name} (${target.collectionPath ?? `/${target.segment}`}/{id})` };
    } else {
      const translated = state.schemas.translate(schema, where);
      if (!translated) continue;
      const problem = compileProblem(state, translated);
      if (problem) {
        state.problem(where, problem);
        continue;
      }
      properties[name] = translated;
    }
    if (c.shape.required.has(name)) required.add(name);
  }
  for (const name of c.shape.required) {
    if (!c.shape.properties.some((p) => p.name === name)) state.problem(at, `requires "${name}", which is not a property of ${c.name}`);
  }
  const writes = Boolean(state.operation(c.collectionPath, 'post') || ['put', 'patch', 'delete'].some((m) => state.operation(c.itemPath, m)));
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
export function compileProblem(state: ImportState, schema: JsonSchema): string | undefined {
  try {
    state.strictAjv.compile(schema);
    return undefined;
  } catch (err) {
    return `cannot be validated: ${(err as Error).message.replace(/^strict mode: /, '')}`;
  }
}
