/**
 * `application/prs.hal-forms+json`: HAL (see `hal.ts`) plus `_templates`,
 * the operations the caller may use on this resource right now, each with
 * its method, content type and properties (name, prompt, required, type and
 * constraints, from the resource's JSON Schema):
 *
 * - a collection: `default` creates a member (POST);
 * - an item: `default` replaces it (PUT, each property valued with the
 *   current state), `update` changes the fields sent (PATCH), and `delete`
 *   when deleting is possible now (always, or while nothing refers to it).
 *
 * A read-only resource, the entry point and the documentation have none.
 *
 * @see https://rwcbook.github.io/hal-forms/ (HAL-FORMS 1.1)
 */
import type { Document } from '../http/representation.js';
import type { JsonSchema } from '../resources/definition.js';
import type { Resource } from '../resources/resource.js';
import type { Format, RenderEnv } from './format.js';
import { halDocument } from './hal.js';

type Data = Record<string, unknown>;

export interface HalFormsProperty {
  name: string;
  prompt: string;
  required: boolean;
  type: string;
  value?: unknown;
  regex?: string;
  min?: number;
  max?: number;
  step?: number | 'any';
  minLength?: number;
  maxLength?: number;
}

export interface HalFormsTemplate {
  title: string;
  method: string;
  contentType?: string;
  target?: string;
  properties: HalFormsProperty[];
}

const JSON_TYPE = 'application/json';

/** `startDate` → `Start date`. */
const promptFor = (field: string, schema: JsonSchema | undefined) =>
  (schema?.title as string | undefined) ?? field.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()).replace(/(?<= )[A-Z]/g, (c) => c.toLowerCase());

/** The HAL-FORMS input type of a field, and the constraints that go with it. */
function typed(resource: Resource, field: string): Omit<HalFormsProperty, 'name' | 'prompt' | 'required'> {
  const schema = resource.schema.properties?.[field] as JsonSchema | undefined;
  const types = Array.isArray(schema?.type) ? schema.type : [schema?.type];
  if (resource.relation(field)) return { type: 'url' };
  if (types.includes('integer') || types.includes('number')) {
    return {
      type: 'number',
      step: types.includes('integer') ? 1 : 'any',
      ...(typeof schema?.minimum === 'number' ? { min: schema.minimum } : {}),
      ...(typeof schema?.maximum === 'number' ? { max: schema.maximum } : {}),
    };
  }
  if (types.includes('boolean')) return { type: 'checkbox' };
  const lengths = {
    ...(typeof schema?.minLength === 'number' ? { minLength: schema.minLength } : {}),
    ...(typeof schema?.maxLength === 'number' ? { maxLength: schema.maxLength } : {}),
    ...(typeof schema?.pattern === 'string' ? { regex: schema.pattern } : {}),
  };
  switch (schema?.format) {
    case 'date-time':
      return { type: 'datetime-local' };
    case 'date':
      return { type: 'date' };
    case 'email':
      return { type: 'email', ...lengths };
    case 'uri':
    case 'uri-reference':
    case 'iri':
    case 'iri-reference':
      return { type: 'url', ...lengths };
    default:
      return { type: 'text', ...lengths };
  }
}

/** A stored date-time (`…Z`) as a datetime-local value; Rung reads that form back as UTC. */
const inputValue = (type: string, value: unknown) => (type === 'datetime-local' && typeof value === 'string' ? value.replace(/Z$/i, '') : value);

function properties(resource: Resource, mode: 'create' | 'replace' | 'update', data: Data): HalFormsProperty[] {
  return resource.fields.map((field) => {
    const schema = resource.schema.properties?.[field] as JsonSchema | undefined;
    const property: HalFormsProperty = {
      name: field,
      prompt: promptFor(field, schema),
      // A merge patch sends only what changes.
      required: mode !== 'update' && resource.required.has(field),
      ...typed(resource, field),
    };
    if (mode === 'replace' && data[field] !== undefined) property.value = inputValue(property.type, data[field]);
    return property;
  });
}

const types = (data: Data): string[] => (Array.isArray(data['@type']) ? data['@type'].map(String) : data['@type'] === undefined ? [] : [String(data['@type'])]);

/** The operations the caller may use on the resource `data` represents, as HAL-FORMS templates. */
export function templates(resource: Resource, data: Data, mayWrite = true): Record<string, HalFormsTemplate> {
  if (resource.definition.readOnly || !mayWrite) return {};
  const id = typeof data['@id'] === 'string' ? data['@id'] : undefined;
  if (types(data).includes('Collection')) {
    return {
      default: {
        title: `Create ${resource.withArticle}`,
        method: 'POST',
        contentType: JSON_TYPE,
        // Where the collection takes POSTs: its IRI without the query (filters, paging).
        ...(id ? { target: id.replace(/[?#].*$/, '') } : {}),
        properties: properties(resource, 'create', data),
      },
    };
  }
  if (!types(data).includes(resource.name)) return {};
  const out: Record<string, HalFormsTemplate> = {
    default: { title: `Replace ${resource.withArticle}`, method: 'PUT', contentType: JSON_TYPE, properties: properties(resource, 'replace', data) },
    update: { title: `Update ${resource.withArticle}`, method: 'PATCH', contentType: JSON_TYPE, properties: properties(resource, 'update', data) },
  };
  const inline = (Array.isArray(data.operation) ? data.operation : []) as Data[];
  if (!resource.deleteIsConditional || inline.some((op) => op.method === 'DELETE')) {
    out.delete = { title: `Delete ${resource.withArticle}`, method: 'DELETE', properties: [] };
  }
  return out;
}

export const HAL_FORMS = 'application/prs.hal-forms+json';

export const halForms: Format = {
  key: 'halforms',
  mediaType: HAL_FORMS,
  contentType: HAL_FORMS,
  render(doc: Document, env: RenderEnv) {
    const body: Data = halDocument(doc, env);
    const resource = env.contexts.resourceFor(env.base, doc.data['@context']);
    const forms = resource ? templates(resource, doc.data, env.mayWrite !== false) : {};
    if (Object.keys(forms).length) body._templates = forms;
    return { body: JSON.stringify(body, null, 2) };
  },
};
