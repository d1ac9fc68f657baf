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
import { parseDocument } from 'yaml';
import type { ResourceDefinition } from '../resources/definition.js';
import { OpenApiImportError } from './import-problems.js';
import type { Json } from './import-schema.js';
import { readFilters } from './import-filters.js';
import { readSchema } from './import-item-schema.js';
import { readPath } from './import-paths.js';
import { linkBack } from './import-relations.js';
import { defineResource } from './import-resource.js';
import { ImportState } from './import-state.js';
import { validationProblems } from './import-validation.js';

/** What an OpenAPI document declares, ready for `createRung`. */
export interface ImportedApi {
  title?: string;
  description?: string;
  resources: ResourceDefinition[];
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
  // Loaded on the first import only: the validator and its schemas hold ~14 MB that a server never needs.
  const { Validator } = await import('@seriousme/openapi-schema-validator');
  const validator = new Validator();
  const validation = await validator.validate(structuredClone(doc));
  if (!validation.valid) throw new OpenApiImportError(source, validationProblems(doc, validation.errors), 'it is not a valid OpenAPI document');
  const importer = new ImportState(doc);
  const api = readDocument(importer);
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

/** The phases of an import, in order: paths, item schemas, definitions, filters, inverse links. */
function readDocument(state: ImportState): ImportedApi {
  if (state.doc.security?.length) state.problem('/security', 'Rung serves no authentication; remove the security requirements to serve this design');
  for (const [path, item] of Object.entries<Json>(state.doc.paths ?? {})) readPath(state, path, item ?? {});
  if (!state.collections.size && !state.problems.length) state.problem('/paths', 'declares no collection (a path such as /companies) to serve');
  for (const c of state.collections.values()) readSchema(state, c);
  for (const c of state.collections.values()) defineResource(state, c);
  for (const c of state.collections.values()) readFilters(state, c);
  linkBack(state);
  return {
    title: state.doc.info?.title,
    description: state.doc.info?.description,
    resources: [...state.collections.values()].flatMap((c) => (c.definition ? [c.definition] : [])),
  };
}
