/**
 * What the audit's probes send that no answer gave them: the URL of a
 * resource that certainly does not exist, and a body to create with.
 */
import type { Exchange } from '../crawl/client.js';
import { isObject, type Json } from './answers.js';

export const withoutQuery = (url: string) => url.replace(/[?#].*$/, '');

/** The URL of a certainly missing sibling of an item URL (or child of the start). */
export function missingUrl(itemUrl: string | undefined, start: string): string {
  if (itemUrl && /\/\d+$/.test(withoutQuery(itemUrl))) return withoutQuery(itemUrl).replace(/\/\d+$/, '/999999999');
  if (itemUrl && /\/[^/]+$/.test(withoutQuery(itemUrl))) return withoutQuery(itemUrl).replace(/\/[^/]+$/, '/rung-audit-missing-0');
  return `${withoutQuery(start).replace(/\/$/, '')}/rung-audit-missing-0`;
}

/** A body to create with, copied from an item read: server-managed members removed. */
export function copyForCreate(item: Exchange): { body: string; type: string } | undefined {
  if (!isObject(item.json)) return undefined;
  const copy: Json = { ...item.json };
  for (const key of ['id', '_links', '_embedded', '_templates', 'links', 'createdAt', 'updatedAt']) delete copy[key];
  if (item.mediaType === 'application/ld+json') {
    delete copy['@id'];
    return { body: JSON.stringify(copy), type: 'application/ld+json' };
  }
  for (const key of Object.keys(copy)) if (key.startsWith('@')) delete copy[key];
  return { body: JSON.stringify(copy), type: 'application/json' };
}
