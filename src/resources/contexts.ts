/**
 * JSON-LD contexts: the files in `contexts/`, merged per resource and served
 * by the API at `/contexts/<file>`. The base context (`rung.jsonld`) holds the
 * Hydra, RDFS and IANA terms; each resource file adds its own terms. The
 * prefix `vocab:` is bound at serve time to the API's vocabulary
 * (`<base>/docs#`), because that IRI depends on the public base URL.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Resource } from './resource.js';
import type { ResourceRegistry } from './registry.js';
import { checkIris, generateTerms, type TermDefinition, type Terms } from './generated-context.js';
import { CONTEXTS_PATH, vocabularyIri } from './vocabulary.js';

export const BASE_CONTEXT = 'rung.jsonld';
/** Rung's own contexts folder: the base context is Rung's, whatever folder holds an application's. */
const RUNG_CONTEXTS = fileURLToPath(new URL('../../contexts/', import.meta.url));
export const ENTRYPOINT_CONTEXT = 'entrypoint.jsonld';


function readTerms(dir: string, file: string): Terms {
  const path = join(dir, file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read JSON-LD context ${path}: ${(err as Error).message}`);
  }
  const context = (parsed as { '@context'?: unknown })['@context'];
  if (!context || typeof context !== 'object' || Array.isArray(context)) {
    throw new Error(`${path} must be an object with an "@context" object`);
  }
  return context as Terms;
}

/**
 * The class term an item has, besides its own, while it can be deleted, for
 * resources whose DELETE depends on state (e.g. `DeletableCountry`).
 */
export const deletableTerm = (resource: Resource): string => `Deletable${resource.name}`;

const isLinkTerm = (def: TermDefinition | undefined) => typeof def === 'object' && def['@type'] === '@id';

/** Link terms each resource uses besides its fields. */
export function linkTerms(resource: Resource): string[] {
  return [
    ...resource.inverseRelations.map((r) => r.term),
    ...(resource.parent ? [resource.definition.parent!.term] : []),
    ...resource.children.map((c) => c.definition.parent!.inverse),
  ];
}

export class ContextRegistry {
  private readonly base: Terms;
  private readonly files = new Map<string, Terms>();
  private readonly resourceByFile = new Map<string, Resource>();
  /** Changes whenever any context file changes: the ETag token of contexts and documentation. */
  readonly token: string;
  private readonly registry: ResourceRegistry;

  constructor(dir: string, registry: ResourceRegistry) {
    this.registry = registry;
    this.base = readTerms(RUNG_CONTEXTS, BASE_CONTEXT);
    const hash = createHash('sha256').update(JSON.stringify(this.base));
    const prefixes = new Set([...Object.keys(this.base).filter((k) => typeof this.base[k] === 'string' && /[/#:]$/.test(this.base[k] as string)), 'vocab']);
    for (const resource of registry.resources) {
      const file = resource.definition.context;
      let terms: Terms;
      if (resource.contextGenerated) {
        const problems = checkIris(resource, linkTerms(resource), prefixes);
        if (problems.length) throw new Error(`Resource ${resource.name}: ${problems.join('; ')}`);
        terms = generateTerms(resource, linkTerms(resource));
      } else {
        if (resource.definition.iris) throw new Error(`Resource ${resource.name}: "iris" is for generated contexts; ${file} defines the terms`);
        terms = readTerms(dir, file);
        this.check(resource, terms, relative(process.cwd(), join(dir, file)));
      }
      if (this.files.has(file)) throw new Error(`Resources ${this.resourceByFile.get(file)!.name} and ${resource.name} share the context ${file}`);
      this.files.set(file, terms);
      this.resourceByFile.set(file, resource);
      hash.update(file).update(JSON.stringify(terms));
    }
    hash.update(JSON.stringify(registry.resources.map((r) => r.definition)));
    this.token = hash.digest('hex').slice(0, 12);
  }

  /** Fail at start, not at request time, when a term has no IRI. */
  private check(resource: Resource, terms: Terms, file: string): void {
    const missing: string[] = [];
    for (const term of [resource.name, ...resource.fields, ...linkTerms(resource)]) {
      if (!(term in terms)) missing.push(term);
    }
    if (missing.length) {
      throw new Error(`${file} does not define ${missing.join(', ')} (used by ${resource.name})`);
    }
    const links = [...resource.relations.map((r) => r.field), ...linkTerms(resource)];
    const notLinks = links.filter((t) => !isLinkTerm(terms[t]));
    if (notLinks.length) {
      throw new Error(`${file}: link terms ${notLinks.join(', ')} need "@type": "@id"`);
    }
  }

  url(base: string, file: string): string {
    return `${base}${CONTEXTS_PATH}/${file}`;
  }

  contextUrl(base: string, resource: Resource): string {
    return this.url(base, resource.definition.context);
  }

  /** The resource whose context is served at `url` (a context URL for `base`), if any. */
  resourceFor(base: string, url: unknown): Resource | undefined {
    const prefix = `${base}${CONTEXTS_PATH}/`;
    return typeof url === 'string' && url.startsWith(prefix) ? this.resourceByFile.get(url.slice(prefix.length)) : undefined;
  }

  /** File names this API serves under `/contexts/`. */
  get fileNames(): string[] {
    return [BASE_CONTEXT, ENTRYPOINT_CONTEXT, ...this.files.keys()];
  }

  /** The merged context object served for `file`, or undefined. */
  document(base: string, file: string): { '@context': Record<string, unknown> } | undefined {
    const key = `${base}\n${file}`;
    if (this.merged.has(key)) return this.merged.get(key);
    const document = this.merge(base, file);
    // Bounded: only files that exist are remembered, per base URL seen.
    if (document && this.merged.size < 1024) {
      Object.freeze(document['@context']);
      this.merged.set(key, Object.freeze(document));
    }
    return document;
  }

  /** Merged documents per (base, file): built once, then shared (frozen). */
  private readonly merged = new Map<string, { '@context': Record<string, unknown> }>();

  private merge(base: string, file: string): { '@context': Record<string, unknown> } | undefined {
    const shared = { ...this.base, vocab: vocabularyIri(base) };
    if (file === BASE_CONTEXT) return { '@context': shared };
    if (file === ENTRYPOINT_CONTEXT) {
      const terms: Record<string, unknown> = { EntryPoint: 'vocab:EntryPoint' };
      for (const resource of this.registry.roots) {
        terms[resource.segment] = { '@id': `vocab:EntryPoint/${resource.segment}`, '@type': '@id' };
      }
      return { '@context': { ...shared, ...terms } };
    }
    const terms = this.files.get(file);
    if (!terms) return undefined;
    const resource = this.resourceByFile.get(file)!;
    return {
      '@context': {
        ...shared,
        [`${resource.name}Collection`]: `vocab:${resource.name}Collection`,
        ...(resource.deleteIsConditional ? { [deletableTerm(resource)]: `vocab:${deletableTerm(resource)}` } : {}),
        ...terms,
      },
    };
  }

  /**
   * A jsonld.js document loader that answers for this API's contexts
   * in-process and refuses everything else: expanding our own documents never
   * touches the network.
   */
  documentLoader(base: string) {
    const prefix = `${base}${CONTEXTS_PATH}/`;
    return async (url: string) => {
      if (url.startsWith(prefix)) {
        const document = this.document(base, url.slice(prefix.length));
        if (document) return { contextUrl: undefined, documentUrl: url, document };
      }
      throw new Error(`Refusing to load ${url}: only this API's contexts are loaded`);
    };
  }
}

/**
 * Expand a term of a served context to its absolute IRI (compact IRIs
 * `prefix:suffix` through the context's prefixes). Used at start to document
 * properties; the test suite checks the result against jsonld.js expansion.
 */
export function termIri(context: Record<string, unknown>, term: string): string {
  const def = context[term] as TermDefinition | undefined;
  const id = typeof def === 'string' ? def : def?.['@id'];
  if (!id) throw new Error(`Term ${term} is not defined`);
  const colon = id.indexOf(':');
  if (colon > 0 && !id.startsWith('//', colon + 1)) {
    const prefix = context[id.slice(0, colon)];
    if (typeof prefix === 'string') return prefix + id.slice(colon + 1);
  }
  return id;
}
