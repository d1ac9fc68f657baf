/**
 * The Hydra `ApiDocumentation`, generated from the resource definitions:
 * classes with their supported properties and operations (with possible
 * status codes), collection classes, and the entry point's links. It doubles
 * as the API's own vocabulary: terms mapped to `vocab:` resolve to
 * `<base>/docs#<term>` and are described here.
 *
 * Generic Hydra tooling reads it without knowing Rung:
 * - API Platform's api-doc-parser (under API Platform Admin) reaches each
 *   collection's member class from the entry point's property, through
 *   `rdfs:range` → `owl:equivalentClass` (a restriction on `hydra:member`),
 *   and takes the collection's operations from that property; a reference is
 *   a property whose first type is `hydra:Link`, to-one when
 *   `owl:maxCardinality` is 1; the first PUT/PATCH is what its admin edits with.
 * - alcaeus takes operations from classes only: a state-dependent DELETE is
 *   carried by an extra class (`DeletableCountry`) that an item has while the
 *   operation is possible.
 */
import type { Document } from '../http/representation.js';
import type { JsonSchema } from '../resources/definition.js';
import type { ResourceRegistry } from '../resources/registry.js';
import type { Resource } from '../resources/resource.js';
import { BASE_CONTEXT, deletableTerm, termIri, type ContextRegistry } from '../resources/contexts.js';
import { DOCS_PATH, HYDRA, IANA, vocabularyIri, XSD } from '../resources/vocabulary.js';

const OWL_NOTHING = 'http://www.w3.org/2002/07/owl#Nothing';
/** A link property's types: `hydra:Link` first, as api-doc-parser reads only the first one. */
const LINK = ['Link', 'Property'];
const ACTIONS: Record<string, string> = {
  GET: 'schema:FindAction',
  POST: 'schema:CreateAction',
  PUT: 'schema:ReplaceAction',
  PATCH: 'schema:UpdateAction',
  DELETE: 'schema:DeleteAction',
};

/** Outcomes of DELETE on an item: documented on the class, or on the item's own operation when DELETE depends on state. */
export function deletePossibleStatus(resource: Resource) {
  return [
    status(204, 'Deleted'),
    status(404, `No such ${resource.name}`),
    ...(resource.deleteIsConditional ? [status(409, `Other resources still refer to this ${resource.name}`)] : []),
    status(412, 'If-Match does not match the current ETag'),
    status(428, 'If-Match is required by this server'),
  ];
}

export interface DocumentationOptions {
  title: string;
  description: string;
}

const status = (statusCode: number, description: string) => ({ '@type': 'Status', statusCode, description });

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

export class DocumentationBuilder {
  constructor(
    private readonly registry: ResourceRegistry,
    private readonly contexts: ContextRegistry,
    private readonly options: DocumentationOptions,
  ) {}

  classIri(base: string, resource: Resource): string {
    const context = this.contexts.document(base, resource.definition.context)!['@context'];
    return termIri(context, resource.name);
  }

  collectionClassIri(base: string, resource: Resource): string {
    return `${vocabularyIri(base)}${resource.name}Collection`;
  }

  /** The class an item of `resource` also has while it can be deleted (when that depends on state). */
  deletableClassIri(base: string, resource: Resource): string {
    return `${vocabularyIri(base)}${deletableTerm(resource)}`;
  }

  private operation(base: string, resource: Resource, method: string, extra: Record<string, unknown>) {
    return {
      '@id': `${vocabularyIri(base)}${resource.name}/${method}`,
      '@type': ['Operation', ACTIONS[method]],
      method,
      ...extra,
    };
  }

  /**
   * Operations on one item of `resource`. DELETE is left to the item when it
   * depends on state. A caller who may not write (`mayWrite` false) is shown GET only.
   */
  itemOperations(base: string, resource: Resource, mayWrite = true) {
    const cls = this.classIri(base, resource);
    const writeStatuses = [
      status(400, 'The body is not well-formed JSON'),
      status(404, `No such ${resource.name}`),
      status(412, 'If-Match does not match the current ETag'),
      status(413, 'The body is too large'),
      status(415, 'The body is not JSON, JSON-LD (or merge-patch+json for PATCH)'),
      status(422, 'The body breaks the schema; every violation is listed with a JSON Pointer'),
      status(428, 'If-Match is required by this server'),
    ];
    const ops = [
      this.operation(base, resource, 'GET', {
        title: `Retrieve ${resource.withArticle}`,
        returns: cls,
        possibleStatus: [status(200, `The ${resource.name}`), status(304, 'Not modified since the given ETag'), status(404, `No such ${resource.name}`)],
      }),
    ];
    if (resource.definition.readOnly || !mayWrite) return ops;
    // PATCH first: a client that edits with the first write operation it finds
    // (API Platform Admin does) sends only what changed, as a merge patch.
    ops.push(
      this.operation(base, resource, 'PATCH', {
        title: `Update ${resource.withArticle}`,
        description: 'JSON Merge Patch (RFC 7396): fields sent replace the stored ones, null removes an optional field.',
        expects: cls,
        returns: cls,
        possibleStatus: [status(200, `The updated ${resource.name}`), ...writeStatuses],
      }),
      this.operation(base, resource, 'PUT', {
        title: `Replace ${resource.withArticle}`,
        description: 'Full replacement: fields not sent are removed. Creates the item when the id is free.',
        expects: cls,
        returns: cls,
        possibleStatus: [status(200, `The replaced ${resource.name}`), status(201, `Created at this id`), status(409, `The id cannot be chosen: taken under another parent, or above 2147483647`), ...writeStatuses],
      }),
    );
    if (!resource.deleteIsConditional) ops.push(this.deleteOperation(base, resource));
    return ops;
  }

  deleteOperation(base: string, resource: Resource) {
    const cascades = resource.children.map((c) => c.segment);
    return this.operation(base, resource, 'DELETE', {
      title: `Delete ${resource.withArticle}`,
      description: cascades.length ? `Also deletes its ${cascades.join(', ')}.` : undefined,
      returns: OWL_NOTHING,
      possibleStatus: deletePossibleStatus(resource),
    });
  }

  collectionOperations(base: string, resource: Resource, mayWrite = true) {
    const cls = this.classIri(base, resource);
    const ops = [
      this.operation(base, resource, 'GET', {
        '@id': `${this.collectionClassIri(base, resource)}/GET`,
        title: `List ${resource.segment}`,
        returns: this.collectionClassIri(base, resource),
        possibleStatus: [status(200, 'A page of the collection'), status(400, 'Unknown or malformed query parameter')],
      }),
    ];
    if (!resource.definition.readOnly && mayWrite) {
      ops.push(
        this.operation(base, resource, 'POST', {
          '@id': `${this.collectionClassIri(base, resource)}/POST`,
          title: `Create ${resource.withArticle}`,
          expects: cls,
          returns: cls,
          possibleStatus: [
            status(201, `Created; Location names the new ${resource.name}`),
            status(400, 'The body is not well-formed JSON'),
            status(413, 'The body is too large'),
            status(415, 'The body is not JSON or JSON-LD'),
            status(422, 'The body breaks the schema; every violation is listed with a JSON Pointer'),
          ],
        }),
      );
    }
    return ops;
  }

  private supportedProperties(base: string, resource: Resource) {
    const context = this.contexts.document(base, resource.definition.context)!['@context'];
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
          range: relation ? this.classIri(base, relation.target) : xsdRange(schema),
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
      links.push([resource.definition.parent!.term, this.classIri(base, resource.parent), resource.definition.parent!.description ?? `The ${resource.parent.name} this ${resource.name} belongs to`, true]);
    }
    for (const child of resource.children) {
      links.push([child.definition.parent!.inverse, this.collectionClassIri(base, child), child.definition.parent!.inverseDescription ?? `The ${child.segment} of this ${resource.name}`, false]);
    }
    for (const inverse of resource.inverseRelations.filter((i) => !i.from.parent)) {
      links.push([inverse.term, this.collectionClassIri(base, inverse.from), inverse.description ?? `The ${inverse.from.segment} that refer to this ${resource.name}`, false]);
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
      property: { '@id': `${IANA}collection`, '@type': LINK, label: 'collection', range: this.collectionClassIri(base, resource) },
      required: false,
      readable: true,
      writeable: false,
    });
    return properties;
  }

  /** Names of the resources whose items keep an item of `resource` from being deleted, e.g. `Event`. */
  private referrers(resource: Resource): string {
    return resource.inverseRelations.filter((i) => i.onDelete === 'restrict').map((i) => i.from.name).join(' or ');
  }

  /**
   * The documentation for a base URL, as a caller who may write sees it, or
   * (`mayWrite` false) without any write operation: what a representation
   * advertises is what its caller may do.
   */
  build(base: string, mayWrite = true): Document {
    const key = `${mayWrite ? 'w' : 'r'}${base}`;
    let document = this.built.get(key);
    if (!document) {
      document = this.generate(base, mayWrite);
      if (this.built.size >= 64) this.built.clear();
      this.built.set(key, document);
    }
    return document;
  }

  /** Generated once per base URL: the definitions do not change while the server runs. */
  private readonly built = new Map<string, Document>();

  private generate(base: string, mayWrite: boolean): Document {
    const vocab = vocabularyIri(base);
    const classes: Record<string, unknown>[] = [];
    for (const resource of this.registry.resources) {
      classes.push({
        '@id': this.classIri(base, resource),
        '@type': 'Class',
        title: resource.name,
        description:
          (resource.definition.description ?? resource.name) +
          (resource.deleteIsConditional && mayWrite
            ? ` DELETE is possible only while no ${this.referrers(resource)} refers to it: such ${resource.withArticle} is also ${deletableTerm(resource)}, whose class carries DELETE, and offers the operation itself (hydra:operation); otherwise DELETE answers 409.`
            : ''),
        supportedProperty: this.supportedProperties(base, resource),
        supportedOperation: this.itemOperations(base, resource, mayWrite),
      });
      if (resource.deleteIsConditional && mayWrite) {
        classes.push({
          '@id': this.deletableClassIri(base, resource),
          '@type': 'Class',
          subClassOf: this.classIri(base, resource),
          title: deletableTerm(resource),
          description: `${resource.withArticle} that can be deleted now: ${resource.withArticle} has this type exactly while no ${this.referrers(resource)} refers to it.`,
          supportedProperty: [],
          supportedOperation: [this.deleteOperation(base, resource)],
        });
      }
      classes.push({
        '@id': this.collectionClassIri(base, resource),
        '@type': 'Class',
        subClassOf: `${HYDRA}Collection`,
        title: `${resource.name}Collection`,
        description: `A paged, searchable collection of ${resource.segment}`,
        supportedProperty: [
          {
            '@type': 'SupportedProperty',
            title: 'member',
            property: { '@id': `${HYDRA}member`, '@type': ['Property', 'Link'], label: 'member', range: this.classIri(base, resource) },
            required: false,
            readable: true,
            writeable: false,
          },
        ],
        supportedOperation: this.collectionOperations(base, resource, mayWrite),
      });
    }
    classes.push({
      '@id': `${vocab}EntryPoint`,
      '@type': 'Class',
      title: 'EntryPoint',
      description: 'The API entry point: links to every top-level collection',
      supportedProperty: this.registry.roots.map((resource) => ({
        '@type': 'SupportedProperty',
        title: resource.segment,
        property: {
          '@id': `${vocab}EntryPoint/${resource.segment}`,
          '@type': LINK,
          label: resource.segment,
          domain: `${vocab}EntryPoint`,
          // The collection class, stated as the class whose members are all of the item class.
          range: {
            '@id': this.collectionClassIri(base, resource),
            'owl:equivalentClass': {
              '@type': 'owl:Restriction',
              'owl:onProperty': { '@id': `${HYDRA}member` },
              'owl:allValuesFrom': { '@id': this.classIri(base, resource) },
            },
          },
          // What a client may do with the collection this link leads to.
          supportedOperation: this.collectionOperations(base, resource, mayWrite),
        },
        required: true,
        readable: true,
        writeable: false,
      })),
      supportedOperation: [
        {
          '@id': `${vocab}EntryPoint/GET`,
          '@type': ['Operation', ACTIONS.GET],
          method: 'GET',
          title: 'The API entry point',
          returns: `${vocab}EntryPoint`,
          possibleStatus: [status(200, 'The entry point')],
        },
      ],
    });
    const data = {
      '@context': this.contexts.url(base, BASE_CONTEXT),
      '@id': `${base}${DOCS_PATH}`,
      '@type': 'ApiDocumentation',
      title: this.options.title,
      description: this.options.description,
      entrypoint: `${base}/`,
      supportedClass: classes,
    };
    return { data, links: [{ rel: 'describedby', href: `${base}${DOCS_PATH}` }] };
  }

}
