/**
 * JSON-LD terms generated from a resource definition, for resources that
 * name no context file. Every term maps to the API's own vocabulary
 * (`vocab:term`, i.e. `<base>/docs#term`, described by the API
 * documentation) unless the definition's `iris` maps it elsewhere (e.g.
 * `schema:name`); links are typed `@id`, dates `xsd:date`/`xsd:dateTime`.
 *
 * @see JSON-LD 1.1 §4.1 (term definitions), §4.2.3 (type coercion)
 */
import type { JsonSchema } from './definition.js';
import type { Resource } from './resource.js';

export type TermDefinition = string | { '@id'?: string; '@type'?: string; [k: string]: unknown };
export type Terms = Record<string, TermDefinition>;

/** File name a generated context is served under (`/contexts/<file>`). */
export function generatedContextFile(resourceName: string): string {
  return `${resourceName.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}.jsonld`;
}

function literalType(schema: JsonSchema | undefined): string | undefined {
  if (schema?.format === 'date-time') return 'xsd:dateTime';
  if (schema?.format === 'date') return 'xsd:date';
  return undefined;
}

/**
 * The terms of `resource`: its class, fields and link terms (`linkTerms`
 * lists those it uses besides its fields), with `iris` taking precedence.
 */
export function generateTerms(resource: Resource, linkTerms: string[]): Terms {
  const iris = resource.definition.iris ?? {};
  const iri = (term: string) => (Object.hasOwn(iris, term) ? iris[term] : `vocab:${term}`);
  const terms: Terms = { [resource.name]: iri(resource.name) };
  for (const field of resource.fields) {
    if (resource.relation(field)) {
      terms[field] = { '@id': iri(field), '@type': '@id' };
      continue;
    }
    const type = literalType(resource.schema.properties?.[field]);
    terms[field] = type ? { '@id': iri(field), '@type': type } : iri(field);
  }
  for (const term of linkTerms) terms[term] = { '@id': iri(term), '@type': '@id' };
  return terms;
}

/**
 * Problems with a definition's `iris`: keys that name no term of the
 * resource, and values that are neither absolute IRIs nor compact IRIs with
 * one of `prefixes`.
 */
export function checkIris(resource: Resource, linkTerms: string[], prefixes: Set<string>): string[] {
  const iris = resource.definition.iris ?? {};
  const known = new Set([resource.name, ...resource.fields, ...linkTerms]);
  const problems: string[] = [];
  for (const [term, value] of Object.entries(iris)) {
    if (!known.has(term)) problems.push(`iris.${term}: ${resource.name} has no term "${term}" (its terms: ${[...known].join(', ')})`);
    const colon = typeof value === 'string' ? value.indexOf(':') : -1;
    const prefix = colon > 0 ? value.slice(0, colon) : '';
    const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^urn:/i.test(value);
    if (!absolute && !prefixes.has(prefix)) {
      problems.push(
        `iris.${term}: "${value}" is neither an absolute IRI (https://…) nor a compact IRI with a known prefix (${[...prefixes].join(':, ')}:)`,
      );
    }
  }
  return problems;
}
