/**
 * The supported properties of an item class in the API documentation: its
 * fields (a relation as a to-one `hydra:Link`), the links to its parent,
 * children and referrers, and `collection` (RFC 6573).
 */
import type { JsonSchema } from '../resources/definition.js';
import type { Resource } from '../resources/resource.js';
import { termIri, type ContextRegistry } from '../resources/contexts.js';
import { IANA, XSD } from '../resources/vocabulary.js';
import type { ClassIris } from './class-iris.js';

/** A link property's types: `hydra:Link` first, as api-doc-parser reads only the first one. */
export const LINK = ['Link', 'Property'];

function xsdRange(schema: JsonSchema | undefined): string {
  const type = Array.isArray(schema?.type) ? schema?.type[0] : schema?.type;
  if (schema?.format === 'date-time') return `${XSD}dateTime`;
  if (schema?.format === 'date') return `${XSD}date`;
  switch (type) {
    case 'integer':
      return `${XSD}integer`;
    case 'number':
      return `${XSD}decimal`;
    case 'boolean':
      return `${XSD}boolean`;
    default:
      return `${XSD}string`;
  }
}

/** Every supported property of the class of `resource`. */
export function supportedProperties(iris: ClassIris, contexts: ContextRegistry, base: string, resource: Resource) {
  const context = contexts.document(base, resource.definition.context)!['@context'];
  const properties: Record<string, unknown>[] = [];
  for (const field of resource.fields) {
    const schema = resource.schema.properties?.[field];
    const relation = resource.relation(field);
    properties.push({
      '@type': 'SupportedProperty',
      title: field,
      description: schema?.description,
      property: {
        '@id': termIri(context, field),
        '@type': relation ? LINK : 'Property',
        label: field,
        range: relation ? iris.classIri(base, relation.target) : xsdRange(schema),
        ...(relation ? { 'owl:maxCardinality': 1 } : {}),
      },
      required: resource.required.has(field),
      readable: true,
      writeable: true,
    });
  }
  // [term, range, description, to one item?]
  const links: [string, string, string, boolean][] = [];
  if (resource.parent) {
    links.push([resource.definition.parent!.term, iris.classIri(base, resource.parent), resource.definition.parent!.description ?? `The ${resource.parent.name} this ${resource.name} belongs to`, true]);
  }
  for (const child of resource.children) {
    links.push([child.definition.parent!.inverse, iris.collectionClassIri(base, child), child.definition.parent!.inverseDescription ?? `The ${child.segment} of this ${resource.name}`, false]);
  }
  for (const inverse of resource.inverseRelations.filter((i) => !i.from.parent)) {
    links.push([inverse.term, iris.collectionClassIri(base, inverse.from), inverse.description ?? `The ${inverse.from.segment} that refer to this ${resource.name}`, false]);
  }
  for (const [term, range, description, toOne] of links) {
    properties.push({
      '@type': 'SupportedProperty',
      title: term,
      description,
      property: { '@id': termIri(context, term), '@type': LINK, label: term, range, ...(toOne ? { 'owl:maxCardinality': 1 } : {}) },
      required: false,
      readable: true,
      writeable: false,
    });
  }
  properties.push({
    '@type': 'SupportedProperty',
    title: 'collection',
    description: 'The collection this item is a member of (RFC 6573)',
    property: { '@id': `${IANA}collection`, '@type': LINK, label: 'collection', range: iris.collectionClassIri(base, resource) },
    required: false,
    readable: true,
    writeable: false,
  });
  return properties;
}
