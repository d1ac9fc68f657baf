/**
 * The set of declared resources, compiled once at start: ajv validators,
 * relations in both directions, table models.
 */
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { RESERVED_SEGMENTS, type JsonSchema, type ResourceDefinition } from './definition.js';
import { localDateTimeAsUtc, Resource } from './resource.js';

// ajv-formats is CommonJS with a default export.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;

/**
 * The schema a body is validated against: the declared one, closed to
 * unknown fields, with each link field left to the link check of the write
 * path (input.ts), which takes an IRI, a path or a bare id (`5` or `"5"`)
 * whatever `type` or `format` the declaration gives that field.
 */
function validationSchema(resource: Resource): JsonSchema {
  const properties = { ...resource.schema.properties };
  for (const relation of resource.relations) properties[relation.field] = {};
  return { ...resource.schema, properties, additionalProperties: false };
}

/**
 * `format: date-time` also takes the form of an HTML datetime-local input,
 * `2027-05-01T09:30` (no seconds, no offset), read as UTC: that is what
 * browsers' date-time pickers, and so react-admin, send.
 */
function acceptLocalDateTimes(ajv: Ajv): void {
  const rfc3339 = ajv.formats['date-time'] as { validate: (s: string) => boolean; compare: (a: string, b: string) => number | undefined };
  ajv.addFormat('date-time', {
    type: 'string',
    validate: (s: string) => rfc3339.validate(s) || rfc3339.validate(localDateTimeAsUtc(s) ?? ''),
    compare: rfc3339.compare,
  });
}

export class ResourceRegistry {
  readonly resources: Resource[];
  private readonly byName: Map<string, Resource>;

  constructor(definitions: ResourceDefinition[]) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    acceptLocalDateTimes(ajv);
    this.resources = definitions.map((d) => new Resource(d));
    this.byName = new Map(this.resources.map((r) => [r.name, r]));
    if (this.byName.size !== this.resources.length) throw new Error('Two resources share a name');
    for (const d of definitions) {
      if (!d.parent && RESERVED_SEGMENTS.includes(d.segment)) {
        throw new Error(`Resource ${d.name}: the segment "${d.segment}" is a path Rung serves itself (${RESERVED_SEGMENTS.map((s) => `/${s}`).join(', ')}); choose another`);
      }
    }
    for (const resource of this.resources) resource.link(this.byName);
    const cascades = this.cascades;
    for (const resource of this.resources) resource.model.cascadesTo = cascades.get(resource.model.table);
    for (const resource of this.resources) {
      resource.validate = ajv.compile(validationSchema(resource));
    }
  }

  get(name: string): Resource | undefined {
    return this.byName.get(name);
  }

  /** Top-level resources (those reachable from the entry point). */
  get roots(): Resource[] {
    return this.resources.filter((r) => !r.parent);
  }

  /** Tables in dependency order: a table comes after every table it references. */
  get ordered(): Resource[] {
    const done = new Set<Resource>();
    const out: Resource[] = [];
    const visit = (r: Resource, path: Set<Resource>) => {
      if (done.has(r)) return;
      if (path.has(r)) throw new Error(`Resources reference each other in a cycle at ${r.name}`);
      path.add(r);
      if (r.parent) visit(r.parent, path);
      for (const rel of r.relations) if (rel.target !== r) visit(rel.target, path);
      path.delete(r);
      done.add(r);
      out.push(r);
    };
    for (const r of this.resources) visit(r, new Set());
    return out;
  }

  /** For each table, the tables a delete of its rows cascades into (transitively). */
  get cascades(): Map<string, string[]> {
    const map = new Map<string, string[]>();
    const direct = (r: Resource) => [
      ...r.children,
      ...r.inverseRelations.filter((i) => i.onDelete === 'cascade').map((i) => i.from),
    ];
    for (const r of this.resources) {
      const seen = new Set<Resource>();
      const walk = (x: Resource) => {
        for (const d of direct(x)) if (!seen.has(d)) { seen.add(d); walk(d); }
      };
      walk(r);
      map.set(r.model.table, [...seen].map((s) => s.model.table));
    }
    return map;
  }
}

let checker: Ajv | undefined;

/**
 * Why ajv, set up as for request bodies, refuses a field's JSON Schema
 * (an unknown keyword, a type-less `minimum`…), or undefined when it takes
 * it. Lets an API file's problems name the field.
 */
export function fieldSchemaProblem(schema: JsonSchema): string | undefined {
  if (!checker) {
    checker = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, logger: false });
    addFormats(checker);
  }
  try {
    checker.compile(schema);
    return undefined;
  } catch (err) {
    return (err as Error).message.replace(/^strict mode: /, '');
  } finally {
    checker.removeSchema(schema);
  }
}
