/**
 * A compiled resource: the declaration plus everything derived from it once
 * at start (SQL table model, schema validator, filters, paths, relations).
 */
import type { ValidateFunction } from 'ajv';
import type { ColumnKind, ColumnModel, TableModel } from '../store/store.js';
import type { JsonSchema, ResourceDefinition } from './definition.js';
import { generatedContextFile } from './generated-context.js';

/** A definition once compiled: it always names its context file (generated when it gave none). */
export type CompiledDefinition = ResourceDefinition & { context: string };

/** `contains`: the text field contains the value, ignoring case. */
export type FilterOp = '=' | '>=' | '<=' | 'contains';

export interface FilterSpec {
  /** Query parameter, e.g. `capital`, `area_gte`. */
  param: string;
  field: string;
  op: FilterOp;
  kind: ColumnKind;
  /** The filtered field is a link: the value is an IRI of `target` (or its id). */
  target?: Resource;
  /** The filtered field holds RFC 3339 date-times (stored in UTC, see {@link normaliseDateTime}). */
  dateTime?: boolean;
  /** The filtered field holds RFC 3339 dates (`format: date`, stored as given: YYYY-MM-DD sorts as text). */
  date?: boolean;
}

/** An RFC 3339 full-date that names a real day (2027-02-30 does not). */
export function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
}

/**
 * A date-time without an offset, as an HTML `datetime-local` input (and so
 * react-admin's DateTimeInput) sends it: `2027-05-01T09:30`, seconds optional.
 * Rung reads it as UTC and returns it as an RFC 3339 date-time with `Z`
 * (undefined for anything else).
 */
export function localDateTimeAsUtc(value: string): string | undefined {
  const local = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2}(\.\d+)?)?$/i.exec(value);
  return local ? `${local[1]}${local[2] ?? ':00'}Z` : undefined;
}

/**
 * A date-time in one canonical form, UTC with `Z`, so that stored values sort
 * and compare chronologically as text (`2027-05-01T11:00:00+02:00` is stored as
 * `2027-05-01T09:00:00Z`). A date alone is midnight UTC; a date-time without
 * an offset is UTC ({@link localDateTimeAsUtc}). Undefined when unparseable.
 */
export function normaliseDateTime(value: string): string | undefined {
  value = localDateTimeAsUtc(value) ?? value;
  if (!/^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2}))?$/.test(value)) return undefined;
  const time = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().replace('.000Z', 'Z');
}

export interface Relation {
  field: string;
  target: Resource;
  onDelete: 'restrict' | 'cascade';
  inverse?: string;
  inverseDescription?: string;
}

/** A link *to* this resource from another one, seen from the target's side. */
export interface InverseRelation {
  from: Resource;
  field: string;
  term: string;
  description?: string;
  onDelete: 'restrict' | 'cascade';
}

function columnKind(schema: JsonSchema | undefined): ColumnKind {
  const type = Array.isArray(schema?.type) ? schema?.type.find((t) => t !== 'null') : schema?.type;
  switch (type) {
    case 'string':
      return 'text';
    case 'integer':
      return 'integer';
    case 'number':
      return 'real';
    case 'boolean':
      return 'boolean';
    default:
      return 'json';
  }
}

export class Resource {
  readonly name: string;
  readonly definition: CompiledDefinition;
  /** The definition named no context file: its terms are generated (generated-context.ts). */
  readonly contextGenerated: boolean;
  readonly fields: string[];
  readonly required: Set<string>;
  readonly model: TableModel;
  validate!: ValidateFunction;
  parent?: Resource;
  readonly children: Resource[] = [];
  readonly relations: Relation[] = [];
  readonly inverseRelations: InverseRelation[] = [];
  filters: FilterSpec[] = [];
  /** Text fields the free-text parameter searches (the definition's `search`). */
  searchFields: string[] = [];
  sortable: string[] = [];

  constructor(definition: ResourceDefinition) {
    this.contextGenerated = definition.context === undefined;
    this.definition = { ...definition, context: definition.context ?? generatedContextFile(definition.name) };
    this.name = definition.name;
    this.fields = Object.keys(definition.schema.properties ?? {});
    this.required = new Set(definition.schema.required ?? []);
    this.model = {
      table: definition.segment.replace(/-/g, '_'),
      columns: [],
    };
  }

  /** The class name with its indefinite article, for messages: "a Country", "an Event". */
  get withArticle(): string {
    return `${/^[AEIOU]/.test(this.name) ? 'an' : 'a'} ${this.name}`;
  }

  get segment(): string {
    return this.definition.segment;
  }

  get schema(): JsonSchema {
    return this.definition.schema;
  }

  /** Finish compiling once every resource exists (relations need their targets). */
  link(byName: Map<string, Resource>): void {
    const def = this.definition;
    if (def.parent) {
      const parent = byName.get(def.parent.resource);
      if (!parent) throw new Error(`${this.name}: parent resource ${def.parent.resource} is not declared`);
      this.parent = parent;
      parent.children.push(this);
      this.model.parent = { table: parent.model.table };
    }
    for (const [field, relation] of Object.entries(def.relations ?? {})) {
      const target = byName.get(relation.resource);
      if (!target) throw new Error(`${this.name}.${field}: related resource ${relation.resource} is not declared`);
      if (!this.fields.includes(field)) throw new Error(`${this.name}.${field}: relation names no schema property`);
      this.relations.push({ field, target, onDelete: relation.onDelete, inverse: relation.inverse, inverseDescription: relation.inverseDescription });
      if (relation.inverse) {
        target.inverseRelations.push({
          from: this,
          field,
          term: relation.inverse,
          description: relation.inverseDescription,
          onDelete: relation.onDelete,
        });
      }
    }
    this.model.columns = this.fields.map((field): ColumnModel => {
      const relation = this.relations.find((r) => r.field === field);
      return {
        name: field,
        kind: relation ? 'integer' : columnKind(def.schema.properties?.[field]),
        references: relation ? { table: relation.target.model.table, onDelete: relation.onDelete } : undefined,
        indexed: (def.filters ?? []).includes(field) || (def.sort ?? []).includes(field),
      };
    });
    this.filters = [];
    for (const field of def.filters ?? []) {
      if (!this.fields.includes(field)) throw new Error(`${this.name}: filter on unknown field ${field}`);
      const column = this.model.columns.find((c) => c.name === field)!;
      const target = this.relations.find((r) => r.field === field)?.target;
      const dateTime = def.schema.properties?.[field]?.format === 'date-time';
      const date = def.schema.properties?.[field]?.format === 'date' || undefined;
      this.filters.push({ param: field, field, op: '=', kind: column.kind, target, dateTime, date });
      if (!target && (column.kind === 'integer' || column.kind === 'real' || this.isDateField(field))) {
        this.filters.push({ param: `${field}_gte`, field, op: '>=', kind: column.kind, dateTime, date });
        this.filters.push({ param: `${field}_lte`, field, op: '<=', kind: column.kind, dateTime, date });
      }
      if (this.isText(field)) this.filters.push({ param: `${field}_contains`, field, op: 'contains', kind: column.kind });
    }
    for (const field of def.search ?? []) {
      if (!this.isText(field)) throw new Error(`${this.name}: search names ${field}, which is not a text field`);
    }
    this.searchFields = def.search ?? [];
    for (const field of def.sort ?? []) {
      if (!this.fields.includes(field)) throw new Error(`${this.name}: sort on unknown field ${field}`);
    }
    this.sortable = def.sort ?? [];
  }

  /** A plain text field (not a link, not a date): it can be searched for a substring. */
  private isText(field: string): boolean {
    const column = this.model.columns.find((c) => c.name === field);
    return column?.kind === 'text' && !column.references && !this.isDateField(field);
  }

  private isDateField(field: string): boolean {
    const format = this.definition.schema.properties?.[field]?.format;
    return format === 'date' || format === 'date-time';
  }

  /** Fields holding date-times, normalised to UTC when written. */
  get dateTimeFields(): string[] {
    return this.fields.filter((f) => this.definition.schema.properties?.[f]?.format === 'date-time');
  }

  relation(field: string): Relation | undefined {
    return this.relations.find((r) => r.field === field);
  }

  /** Deleting is refused while another resource links here with `onDelete: 'restrict'`. */
  get deleteIsConditional(): boolean {
    return this.inverseRelations.some((r) => r.onDelete === 'restrict');
  }

  /** Koa router path of the collection, e.g. `/events/:parentId/guests`. */
  get collectionRoute(): string {
    return this.parent ? `${this.parent.itemRoute.replace(':id', ':parentId')}/${this.segment}` : `/${this.segment}`;
  }

  get itemRoute(): string {
    return `${this.collectionRoute}/:id`;
  }

  /** Path of the collection (inside one parent item for nested resources). */
  collectionPath(parentId?: number): string {
    return this.parent ? `${this.parent.itemPath(parentId!)}/${this.segment}` : `/${this.segment}`;
  }

  itemPath(id: number, parentId?: number): string {
    return `${this.collectionPath(parentId)}/${id}`;
  }
}
