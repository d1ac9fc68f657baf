/** Reading links that clients send back: IRIs (absolute on this server, or path-absolute) to item ids. */
import type { Resource } from './resource.js';

/**
 * The id of the `target` item an IRI identifies, or undefined when the IRI
 * is not one of this server's `target` items. For top-level targets only.
 */
export function idFromIri(base: string, target: Resource, value: string): number | undefined {
  let url: URL;
  try {
    url = new URL(value, `${base}/`);
  } catch {
    return undefined;
  }
  const root = new URL(`${base}/`);
  if (url.origin !== root.origin || url.search || url.hash) return undefined;
  const prefix = root.pathname.replace(/\/$/, '');
  const match = new RegExp(`^${prefix}/${target.segment}/(\\d+)$`).exec(url.pathname);
  if (!match || target.parent) return undefined;
  const id = Number(match[1]);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** Query filters also take a bare id: `?location=5`. */
export function idFromIriOrId(base: string, target: Resource, value: string): number | undefined {
  if (/^\d+$/.test(value)) {
    const id = Number(value);
    return Number.isSafeInteger(id) && id > 0 ? id : undefined;
  }
  return idFromIri(base, target, value);
}

/** Ids in paths are positive integers; anything else names no item. */
export function parseId(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^[1-9]\d{0,15}$/.test(raw)) return undefined;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : undefined;
}
