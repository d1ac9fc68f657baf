/**
 * Reading the schemas of an OpenAPI 3.0 or 3.1 document as Rung field
 * schemas: local `$ref`s followed, `allOf` merged, OpenAPI 3.0's `nullable`
 * and boolean `exclusiveMinimum`/`exclusiveMaximum` turned into JSON Schema,
 * and only keywords Rung's validator (ajv, JSON Schema draft-07) reads kept.
 * Annotations it has no use for (`xml`, `example`, `discriminator`, `x-…`)
 * are dropped; a keyword it cannot honour is a problem naming its place.
 */
import type { JsonSchema } from '../resources/definition.js';
import { pointer, type ImportProblem } from './import-problems.js';

export type Json = Record<string, any>;

/** Keywords copied as they are. */
const COPIED = new Set([
  'type', 'enum', 'const', 'default', 'minimum', 'maximum', 'multipleOf', 'minLength', 'maxLength', 'pattern',
  'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'title', 'description', 'examples', 'deprecated', 'required',
]);
/** Annotations of OpenAPI (or of nobody) that validation does not need. */
const DROPPED = new Set(['xml', 'externalDocs', 'discriminator', '$comment', 'example', 'readOnly', 'writeOnly', '$schema', 'contentMediaType', 'contentEncoding']);

/** An object schema as Rung reads it: its properties (with their pointers) and required names. */
export interface ObjectShape {
  properties: { name: string; schema: Json; at: string }[];
  required: Set<string>;
  title?: string;
  description?: string;
}

export class SchemaReader {
  constructor(
    private readonly document: Json,
    private readonly problems: ImportProblem[],
    /** Formats Rung's validator knows (ajv-formats). */
    private readonly formats: Set<string>,
  ) {}

  private problem(at: string, message: string): undefined {
    this.problems.push({ pointer: at, message });
    return undefined;
  }

  /** Follow local `$ref`s to the schema they name; `name` is the component's, when it is one. */
  resolve(schema: Json | undefined, at: string, seen = new Set<string>()): { schema: Json; at: string; name?: string } | undefined {
    if (!schema || typeof schema !== 'object') return this.problem(at, 'is not a schema');
    if (typeof schema.$ref !== 'string') return { schema, at };
    const ref: string = schema.$ref;
    if (!ref.startsWith('#/')) {
      return this.problem(`${at}/$ref`, `"${ref}" points outside this document; bundle the document into one file first (e.g. npx @redocly/cli bundle)`);
    }
    if (seen.has(ref)) return this.problem(`${at}/$ref`, `"${ref}" refers to itself; Rung cannot store recursive structures as fields`);
    seen.add(ref);
    const tokens = ref.slice(2).split('/').map((t) => decodeURIComponent(t).replace(/~1/g, '/').replace(/~0/g, '~'));
    let target: unknown = this.document;
    for (const token of tokens) target = target && typeof target === 'object' ? (target as Json)[token] : undefined;
    if (!target || typeof target !== 'object') return this.problem(`${at}/$ref`, `"${ref}" names nothing in this document`);
    const resolved = this.resolve(target as Json, ref.slice(1), seen);
    const name = tokens.length === 3 && tokens[0] === 'components' && tokens[1] === 'schemas' ? tokens[2] : undefined;
    return resolved && { ...resolved, name: resolved.name ?? name };
  }

  /** The component name a schema refers to (directly, or as the only member of an allOf). */
  refName(schema: Json | undefined, at: string): string | undefined {
    if (!schema || typeof schema !== 'object') return undefined;
    if (typeof schema.$ref === 'string') return this.resolve(schema, at)?.name;
    if (Array.isArray(schema.allOf) && schema.allOf.length === 1) return this.refName(schema.allOf[0], `${at}/allOf/0`);
    return undefined;
  }

  /** Properties and required names of an object schema, through `$ref` and `allOf`. */
  objectShape(schema: Json | undefined, at: string): ObjectShape | undefined {
    const resolved = this.resolve(schema, at);
    if (!resolved) return undefined;
    const { schema: s, at: where } = resolved;
    const shape: ObjectShape = { properties: [], required: new Set(s.required ?? []), title: s.title, description: s.description };
    for (const [i, part] of (s.allOf ?? []).entries()) {
      const inner = this.objectShape(part, `${where}/allOf/${i}`);
      if (!inner) return undefined;
      for (const p of inner.properties) if (!shape.properties.some((q) => q.name === p.name)) shape.properties.push(p);
      inner.required.forEach((r) => shape.required.add(r));
      shape.description ??= inner.description;
    }
    for (const keyword of ['oneOf', 'anyOf']) {
      if (s[keyword]) return this.problem(`${where}/${keyword}`, `a resource is one object schema; ${keyword} of several shapes cannot be a table of items`);
    }
    const type = Array.isArray(s.type) ? s.type.filter((t: string) => t !== 'null') : [s.type ?? 'object'];
    if (type.length !== 1 || type[0] !== 'object') return this.problem(where, `a resource is an object schema, not ${JSON.stringify(s.type)}`);
    for (const [name, property] of Object.entries<Json>(s.properties ?? {})) {
      if (!shape.properties.some((q) => q.name === name)) shape.properties.push({ name, schema: property, at: `${where}${pointer('properties', name)}` });
    }
    return shape;
  }

  /** A property's schema as a Rung field schema; undefined (and a problem) when it cannot be one. */
  translate(schema: Json | undefined, at: string, depth = 0): JsonSchema | undefined {
    if (depth > 32) return this.problem(at, 'nests too deeply (or refers to itself)');
    const resolved = this.resolve(schema, at);
    if (!resolved) return undefined;
    const { schema: s, at: where } = resolved;
    const out: Json = {};
    let ok = true;
    const sub = (value: unknown, path: string) => {
      const translated = this.translate(value as Json, path, depth + 1);
      if (!translated) ok = false;
      return translated;
    };
    for (const [keyword, value] of Object.entries(s)) {
      const here = `${where}/${keyword}`;
      if (keyword.startsWith('x-') || DROPPED.has(keyword)) continue;
      if (COPIED.has(keyword)) out[keyword] = value;
      else if (keyword === 'format') {
        if (!this.formats.has(value)) {
          this.problem(here, `format "${value}" is not one Rung validates (known: ${[...this.formats].sort().join(', ')})`);
          ok = false;
        } else out.format = value;
      } else if (keyword === 'nullable') {
        if (value === true) out.nullable = true;
      } else if (keyword === 'exclusiveMinimum' || keyword === 'exclusiveMaximum') {
        // OpenAPI 3.0 (JSON Schema draft 4): a boolean that makes minimum/maximum exclusive.
        out[keyword] = value;
      } else if (keyword === 'items') {
        if (Array.isArray(value)) {
          this.problem(here, 'tuple items are not supported; give one schema for every item');
          ok = false;
        } else out.items = sub(value, here);
      } else if (keyword === 'properties') {
        out.properties = Object.fromEntries(Object.entries<Json>(value).map(([k, v]) => [k, sub(v, `${where}${pointer('properties', k)}`)]));
      } else if (keyword === 'additionalProperties') {
        out.additionalProperties = typeof value === 'boolean' ? value : sub(value, here);
      } else if (keyword === 'allOf' || keyword === 'anyOf' || keyword === 'oneOf') {
        out[keyword] = (value as Json[]).map((v, i) => sub(v, `${here}/${i}`));
      } else if (keyword === 'not') {
        out.not = sub(value, here);
      } else {
        this.problem(here, `keyword "${keyword}" is not supported in a field schema`);
        ok = false;
      }
    }
    if (!ok) return undefined;
    for (const bound of ['Minimum', 'Maximum'] as const) {
      const exclusive = `exclusive${bound}`;
      if (typeof out[exclusive] === 'boolean') {
        const limit = out[bound.toLowerCase()];
        if (out[exclusive] && typeof limit === 'number') {
          out[exclusive] = limit;
          delete out[bound.toLowerCase()];
        } else delete out[exclusive];
      }
    }
    if (out.nullable) {
      delete out.nullable;
      if (typeof out.type === 'string') out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    }
    if (Array.isArray(out.type) && out.type.length === 1) out.type = out.type[0];
    if (out.properties && out.type === undefined) out.type = 'object';
    return out as JsonSchema;
  }
}
