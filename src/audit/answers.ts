/**
 * What an answer says, read the way the audit reads it: a success, an error
 * hidden in a 2xx body (RPC style), the records and ids a body lists.
 */
import type { Exchange } from '../crawl/client.js';

export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const ok = (ex: Exchange) => ex.status >= 200 && ex.status < 300;
export const isJsonLike = (ex: Exchange) => ex.json !== undefined;

/** A 2xx answer that says, in its body, that the request failed (RPC style). */
export function errorInBody(json: unknown): boolean {
  if (!isObject(json)) return false;
  if (json.ok === false || json.success === false || json.status === 'error') return true;
  if (json.error !== undefined && json.error !== null && json.error !== false) return true;
  if (Array.isArray(json.errors) && json.errors.length > 0) return true;
  return json.fault !== undefined;
}

/** The first array of objects with an `id` in a body (`[…]`, `items`, `data`, `result.items`…), depth ≤ 3. */
export function recordsIn(json: unknown, depth = 0): Json[] | undefined {
  if (Array.isArray(json)) {
    const records = json.filter((r): r is Json => isObject(r) && (typeof r.id === 'number' || typeof r.id === 'string'));
    return records.length ? records : undefined;
  }
  if (!isObject(json) || depth >= 3) return undefined;
  for (const value of Object.values(json)) {
    const found = recordsIn(value, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Does the body describe the record with this id (`id` at the top, or one level down, e.g. `result.id`)? */
export function describesId(json: unknown, id: unknown): boolean {
  if (!isObject(json)) return false;
  if (json.id === id) return true;
  return Object.values(json).some((v) => isObject(v) && v.id === id);
}
