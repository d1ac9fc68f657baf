/**
 * The EntryPoint class of the API documentation: a link to every top-level
 * collection, each stated so that API Platform's api-doc-parser finds the
 * collection's item class (`rdfs:range` → `owl:equivalentClass`) and the
 * operations on it.
 */
import type { ResourceRegistry } from '../resources/registry.js';
import { HYDRA, vocabularyIri } from '../resources/vocabulary.js';
import type { ClassIris } from './class-iris.js';
import { status } from './possible-statuses.js';
import { ACTIONS, collectionOperations } from './supported-operations.js';
import { LINK } from './supported-properties.js';

export function entryPointClass(iris: ClassIris, registry: ResourceRegistry, base: string, mayWrite: boolean): Record<string, unknown> {
  const vocab = vocabularyIri(base);
  return {
    '@id': `${vocab}EntryPoint`,
    '@type': 'Class',
    title: 'EntryPoint',
    description: 'The API entry point: links to every top-level collection',
    supportedProperty: registry.roots.map((resource) => ({
      '@type': 'SupportedProperty',
      title: resource.segment,
      property: {
        '@id': `${vocab}EntryPoint/${resource.segment}`,
        '@type': LINK,
        label: resource.segment,
        domain: `${vocab}EntryPoint`,
        // The collection class, stated as the class whose members are all of the item class.
        range: {
          '@id': iris.collectionClassIri(base, resource),
          'owl:equivalentClass': {
            '@type': 'owl:Restriction',
            'owl:onProperty': { '@id': `${HYDRA}member` },
            'owl:allValuesFrom': { '@id': iris.classIri(base, resource) },
          },
        },
        // What a client may do with the collection this link leads to.
        supportedOperation: collectionOperations(iris, base, resource, mayWrite),
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
  };
}
