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
 *
 * The pieces: resource-classes.ts (item, Deletable… and collection classes),
 * entry-point-class.ts, supported-properties.ts, supported-operations.ts,
 * possible-statuses.ts; this builder names the classes and caches the result.
 */
import type { Document } from '../http/representation.js';
import type { ResourceRegistry } from '../resources/registry.js';
import type { Resource } from '../resources/resource.js';
import { BASE_CONTEXT, deletableTerm, termIri, type ContextRegistry } from '../resources/contexts.js';
import { DOCS_PATH, vocabularyIri } from '../resources/vocabulary.js';
import type { ClassIris } from './class-iris.js';
import { entryPointClass } from './entry-point-class.js';
import { resourceClasses } from './resource-classes.js';

export interface DocumentationOptions {
  title: string;
  description: string;
}

export class DocumentationBuilder implements ClassIris {
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
    const classes: Record<string, unknown>[] = [];
    for (const resource of this.registry.resources) classes.push(...resourceClasses(this, this.contexts, base, resource, mayWrite));
    classes.push(entryPointClass(this, this.registry, base, mayWrite));
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
