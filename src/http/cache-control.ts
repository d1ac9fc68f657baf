/**
 * Cache-Control per kind of resource. Items and collections change with
 * every write, so caches must revalidate them (cheap: a 304); contexts and
 * the API documentation change only with a deployment and live long, with
 * an ETag to revalidate against.
 */
import type { ResourceKind } from './representation.js';

export type CacheControlPolicy = Record<ResourceKind, string>;

export const DEFAULT_CACHE_CONTROL: CacheControlPolicy = {
  item: 'no-cache',
  collection: 'no-cache',
  entrypoint: 'no-cache',
  documentation: 'public, max-age=3600',
  context: 'public, max-age=86400',
  problemType: 'public, max-age=86400',
};

/**
 * The same policy for a response that depends on the caller's credentials:
 * `private`, so a shared cache never stores it for others (RFC 9111
 * §5.2.2.7); `public` and `s-maxage`, which would say otherwise, are dropped.
 */
export function privateCacheControl(value: string): string {
  const kept = value
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d && !/^(public|private|s-maxage\b.*)$/i.test(d));
  return ['private', ...kept].join(', ');
}
