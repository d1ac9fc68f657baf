/**
 * Reading links that clients send back. A link to an item of this API may be
 * written as its absolute IRI, its path (`/countries/5`) or its bare id (`5`
 * or `"5"`). An absolute IRI counts as this server's when its origin is the
 * base the request was answered from (the configured public base URL, or the
 * request's origin) or any loopback origin (`localhost`, `127.0.0.1`,
 * `[::1]`, whatever the port): a test client on an ephemeral port, or a
 * client that wrote `localhost` where the server answered as `127.0.0.1`,
 * names the same items.
 */
import type { Resource } from './resource.js';

/** Loopback host names and addresses (RFC 6761 §6.3 for `localhost`; 127.0.0.0/8; ::1). */
export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127(\.\d{1,3}){3}$/.test(host) ||
    host === '[::1]' ||
    /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host)
  );
}

/**
 * The path of `value` inside this API (e.g. `/countries/5`, without the
 * public base URL's own path prefix), or undefined when it names no place on
 * this server, has a query or a fragment, or is not a reference at all.
 */
export function pathOnServer(base: string, value: string): string | undefined {
  const root = new URL(`${base}/`);
  const prefix = root.pathname.replace(/\/$/, '');
  let url: URL;
  try {
    url = new URL(value, root);
  } catch {
    return undefined;
  }
  if (url.search || url.hash) return undefined;
  const pathAbsolute = value.startsWith('/') && !value.startsWith('//');
  const loopback = (url.protocol === 'http:' || url.protocol === 'https:') && isLoopback(url.hostname);
  if (url.origin !== root.origin && !loopback) return undefined;
  if (prefix && url.pathname.startsWith(`${prefix}/`)) return url.pathname.slice(prefix.length);
  // Without a prefix, or a path written as this API's own (`/countries/5`), or a
  // loopback IRI that reached the application directly, not through the proxy.
  if (!prefix || pathAbsolute || loopback) return url.pathname;
  return undefined;
}

const positiveId = (digits: string): number | undefined => {
  const id = Number(digits);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
};

/**
 * The id of the `target` item an IRI or path identifies, or undefined when it
 * is not one of this server's `target` items. For top-level targets only.
 */
export function idFromIri(base: string, target: Resource, value: string): number | undefined {
  if (target.parent) return undefined;
  const path = pathOnServer(base, value);
  const match = path === undefined ? null : new RegExp(`^/${target.segment}/(\\d+)$`).exec(path);
  return match ? positiveId(match[1]) : undefined;
}

/** Query filters, and links in bodies, also take a bare id: `?location=5`, `"location": "5"`. */
export function idFromIriOrId(base: string, target: Resource, value: string): number | undefined {
  if (/^\d+$/.test(value)) return target.parent ? undefined : positiveId(value);
  return idFromIri(base, target, value);
}

/** A link value from a request body: a string as above, or a bare id as a JSON number. */
export function idFromLink(base: string, target: Resource, value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? idFromIriOrId(base, target, String(value)) : undefined;
  return typeof value === 'string' ? idFromIriOrId(base, target, value) : undefined;
}

/** Do two IRIs name the same place on this server (whichever loopback alias or base they use)? */
export function sameResource(base: string, a: unknown, b: string): boolean {
  if (a === b) return true;
  if (typeof a !== 'string') return false;
  const path = pathOnServer(base, a);
  return path !== undefined && path === pathOnServer(base, b);
}

/** Ids in paths are positive integers; anything else names no item. */
export function parseId(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^[1-9]\d{0,15}$/.test(raw)) return undefined;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : undefined;
}
