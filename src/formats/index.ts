/** Every response format Rung offers, in order of preference. */
import { FormatRegistry, JSON_FORMATS } from './registry.js';

export function createFormats(): FormatRegistry {
  return new FormatRegistry([...JSON_FORMATS]);
}

/** Media types Rung reads request bodies in. */
export const REQUEST_TYPES = {
  /** POST and PUT. */
  write: ['application/ld+json', 'application/json'],
  /** PATCH: JSON Merge Patch (RFC 7396), or a partial document. */
  patch: ['application/merge-patch+json', 'application/ld+json', 'application/json'],
};
