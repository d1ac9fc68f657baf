/**
 * The classes the API documentation states for one resource: its item class,
 * the `Deletable…` subclass that carries DELETE while deleting depends on
 * state, and its collection class (a `hydra:Collection` of its items).
 */
import type { Resource } from '../resources/resource.js';
import { deletableTerm, type ContextRegistry } from '../resources/contexts.js';
import { HYDRA } from '../resources/vocabulary.js';
import type { ClassIris } from './class-iris.js';
import { collectionOperations, deleteOperation, itemOperations } from './supported-operations.js';
import { supportedProperties } from './supported-properties.js';

/** Names of the resources whose items keep an item of `resource` from being deleted, e.g. `Event`. */
function referrers(resource: Resource): string {
  return resource.inverseRelations.filter((i) => i.onDelete === 'restrict').map((i) => i.from.name).join(' or ');
}

export function resourceClasses(iris: ClassIris, contexts: ContextRegistry, base: string, resource: Resource, mayWrite: boolean): Record<string, unknown>[] {
  const classes: Record<string, unknown>[] = [];
  classes.push({
    '@id': iris.classIri(base, resource),
    '@type': 'Class',
    title: resource.name,
    description:
      (resource.definition.description ?? resource.name) +
      (resource.deleteIsConditional && mayWrite
        ? ` DELETE is possible only while no ${referrers(resource)} refers to it: such ${resource.withArticle} is also ${deletableTerm(resource)}, whose class carries DELETE, and offers the operation itself (hydra:operation); otherwise DELETE answers 409.`
        : ''),
    supportedProperty: supportedProperties(iris, contexts, base, resource),
    supportedOperation: itemOperations(iris, base, resource, mayWrite),
  });
  if (resource.deleteIsConditional && mayWrite) {
    classes.push({
      '@id': iris.deletableClassIri(base, resource),
      '@type': 'Class',
      subClassOf: iris.classIri(base, resource),
      title: deletableTerm(resource),
      description: `${resource.withArticle} that can be deleted now: ${resource.withArticle} has this type exactly while no ${referrers(resource)} refers to it.`,
      supportedProperty: [],
      supportedOperation: [deleteOperation(base, resource)],
    });
  }
  classes.push({
    '@id': iris.collectionClassIri(base, resource),
    '@type': 'Class',
    subClassOf: `${HYDRA}Collection`,
    title: `${resource.name}Collection`,
    description: `A paged, searchable collection of ${resource.segment}`,
    supportedProperty: [
      {
        '@type': 'SupportedProperty',
        title: 'member',
        property: { '@id': `${HYDRA}member`, '@type': ['Property', 'Link'], label: 'member', range: iris.classIri(base, resource) },
        required: false,
        readable: true,
        writeable: false,
      },
    ],
    supportedOperation: collectionOperations(iris, base, resource, mayWrite),
  });
  return classes;
}
