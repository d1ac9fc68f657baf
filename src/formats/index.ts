/** Every response format Rung offers, in order of preference. */
import { halForms } from './hal-forms.js';
import { hal } from './hal.js';
import { htmlFormat } from './html/index.js';
import { RDF_FORMATS } from './rdf.js';
import { FormatRegistry, JSON_FORMATS } from './registry.js';

export function createFormats(): FormatRegistry {
  return new FormatRegistry([
    // The JSON family first: application/ld+json (compacted) answers */* and a missing Accept.
    ...JSON_FORMATS,
    // RDF, derived from the JSON-LD on a cache miss.
    ...RDF_FORMATS,
    // HAL and HAL-FORMS, for HAL clients (ketting, Spring HATEOAS, HAL Explorer).
    hal,
    halForms,
    // Browsable HTML pages (after the data formats: only an explicit text/html gets it).
    htmlFormat,
  ]);
}

/** Media types Rung reads request bodies in. */
export const REQUEST_TYPES = {
  /** POST and PUT. */
  write: ['application/ld+json', 'application/json'],
  /** PATCH: JSON Merge Patch (RFC 7396), or a partial document. */
  patch: ['application/merge-patch+json', 'application/ld+json', 'application/json'],
};
