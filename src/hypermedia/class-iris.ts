/**
 * The IRIs of the classes the API documentation describes, per base URL:
 * what its operations, supported properties and classes need of the
 * DocumentationBuilder that makes them.
 */
import type { Resource } from '../resources/resource.js';

export interface ClassIris {
  /** The class of an item of `resource` (its term in the resource's context). */
  classIri(base: string, resource: Resource): string;
  /** The class of the collection of `resource`. */
  collectionClassIri(base: string, resource: Resource): string;
  /** The class an item of `resource` also has while it can be deleted (when that depends on state). */
  deletableClassIri(base: string, resource: Resource): string;
}
