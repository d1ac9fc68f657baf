/**
 * From a checked API file to what `createRung` takes: one
 * `ResourceDefinition` per declared resource, exactly as code would write it.
 */
import type { JsonSchema, ResourceDefinition } from '../resources/definition.js';
import { FIELD_SHORTHANDS, type ResourceDeclaration } from './schema.js';

const article = (name: string) => `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;

/** A field's JSON Schema, from its declaration (a schema or a type word). */
export function fieldSchema(declared: JsonSchema | string): JsonSchema {
  return typeof declared === 'string' ? { ...FIELD_SHORTHANDS[declared] } : declared;
}

/**
 * The properties of a resource: its fields, then each relation field the
 * fields did not declare (a link is written as an IRI, a path or an id).
 */
export function properties(declaration: ResourceDeclaration): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [field, declared] of Object.entries(declaration.fields ?? {})) out[field] = fieldSchema(declared);
  for (const [field, relation] of Object.entries(declaration.relations ?? {})) {
    out[field] ??= {
      type: 'string',
      format: 'uri-reference',
      description: relation.description ?? `The IRI of ${article(relation.resource)} (or its path, or its id)`,
    };
  }
  return out;
}

export function toDefinition(name: string, declaration: ResourceDeclaration): ResourceDefinition {
  const schema: JsonSchema = { type: 'object', properties: properties(declaration) };
  if (declaration.required?.length) schema.required = declaration.required;
  const definition: ResourceDefinition = { name, segment: declaration.segment, schema };
  if (declaration.title) definition.title = declaration.title;
  if (declaration.description) definition.description = declaration.description;
  if (declaration.context) definition.context = declaration.context;
  if (declaration.iris) definition.iris = declaration.iris;
  if (declaration.relations) {
    definition.relations = Object.fromEntries(
      Object.entries(declaration.relations).map(([field, r]) => [
        field,
        { resource: r.resource, onDelete: r.onDelete ?? 'restrict', inverse: r.inverse, inverseDescription: r.inverseDescription },
      ]),
    );
  }
  if (declaration.parent) definition.parent = declaration.parent;
  if (declaration.filters) definition.filters = declaration.filters;
  if (declaration.sort) definition.sort = declaration.sort;
  if (declaration.search) definition.search = declaration.search;
  if (declaration.defaultSort) definition.defaultSort = declaration.defaultSort;
  if (declaration.readOnly) definition.readOnly = true;
  if (declaration.paging) definition.paging = declaration.paging;
  return definition;
}
