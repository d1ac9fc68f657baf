/**
 * A resource type, declared once as data. Everything else — routes, SQL
 * tables, validation, JSON-LD context, Hydra documentation, search
 * templates — is derived from this declaration.
 */
import type { JSONSchemaType } from './json-schema.js';
import type { CustomHandlers } from './handler.js';
import type { PagingOptions } from './query.js';

export type JsonSchema = JSONSchemaType;

/** A link from this resource to another one, stored as the target's id and represented as its IRI. */
export interface RelationDefinition {
  /** Name of the target resource definition. */
  resource: string;
  /**
   * What deleting the *target* does to items that point at it:
   * `restrict` refuses the delete with 409, `cascade` deletes them too.
   */
  onDelete: 'restrict' | 'cascade';
  /** Term under which the target links back to the collection of items pointing at it, e.g. `events`. */
  inverse?: string;
  /** Human description of the inverse link, for the API documentation. */
  inverseDescription?: string;
}

/** Items of a nested resource live inside one item of a parent resource. */
export interface ParentDefinition {
  /** Name of the parent resource definition. */
  resource: string;
  /** Term the child uses to link to its parent, e.g. `event`. */
  term: string;
  /** Term the parent uses to link to the nested collection, e.g. `guests`. */
  inverse: string;
  description?: string;
  inverseDescription?: string;
}

export interface ResourceDefinition {
  /** Class name, used as the JSON-LD `@type` term, e.g. `Country`. */
  name: string;
  /** Collection segment, e.g. `countries`. For nested resources the path is `<parent item>/<segment>`. */
  segment: string;
  title?: string;
  description?: string;
  /** JSON Schema (draft 2020-12 subset understood by ajv) for the writable fields. */
  schema: JsonSchema;
  /**
   * File name of this resource's JSON-LD term definitions in the contexts
   * folder (`contextsDir`). It must define the class name, every field and
   * every link term; the prefix `vocab:` names the API's own vocabulary
   * (served at `/docs`). Leave it out to have the context generated from
   * this definition (see `iris`).
   */
  context?: string;
  /**
   * For a generated context: IRIs of the class and of any term (field or
   * link) — absolute, or compact with a prefix of the base context
   * (`schema:`, `hydra:`, `rdfs:`, `xsd:`…). Terms not listed map to the
   * API's own vocabulary, `<base>/docs#<term>`.
   *
   * @example { Country: 'schema:Country', name: 'schema:name' }
   */
  iris?: Record<string, string>;
  relations?: Record<string, RelationDefinition>;
  parent?: ParentDefinition;
  /**
   * Fields that can be filtered by equality; numeric and date fields also get
   * `<field>_gte` / `<field>_lte`, text fields `<field>_contains` (ignoring case).
   */
  filters?: string[];
  /**
   * Text fields searched by the free-text parameter `q` (`hydra:freetextQuery`):
   * an item matches when any of them contains the words, ignoring case.
   */
  search?: string[];
  /** Fields the collection can be sorted by (`sort=field` or `sort=-field`). */
  sort?: string[];
  /** Default ordering, e.g. `name`; defaults to `id`. */
  defaultSort?: string;
  /** Replace any of the generic CRUD handlers. */
  handlers?: CustomHandlers;
  /** Only GET, HEAD and OPTIONS; every write method answers 405. */
  readOnly?: boolean;
  /** Page sizes of this collection, over the server's `paging` (default 20 a page, at most 100). */
  paging?: Partial<PagingOptions>;
}

/**
 * First path segments Rung serves itself (the API documentation, contexts,
 * problem types, HTML assets, the maturity levels and their guide, the
 * liveness and readiness probes): no top-level collection may take them.
 */
export const RESERVED_SEGMENTS: readonly string[] = ['docs', 'contexts', 'problems', 'assets', 'levels', 'health'];

/** Declare a resource type. Identity today; a typed place for defaults and checks tomorrow. */
export function defineResource(definition: ResourceDefinition): ResourceDefinition {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(definition.name)) {
    throw new Error(`Resource name "${definition.name}" must be a PascalCase class name`);
  }
  if (!/^[a-z][a-z0-9-]*$/.test(definition.segment)) {
    throw new Error(`Resource segment "${definition.segment}" must be a lowercase path segment`);
  }
  if (definition.schema.type !== 'object' || !definition.schema.properties) {
    throw new Error(`Resource ${definition.name}: schema must be an object schema with properties`);
  }
  return definition;
}
