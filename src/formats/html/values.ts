/**
 * Values of a compacted JSON-LD document as markup: absolute IRIs become
 * anchors (labelled by their path when they are this API's own), objects
 * become property tables, arrays become lists.
 */
import type { RenderEnv } from '../format.js';
import { html, isHttpIri, type Html } from './escape.js';

/** Keys never shown as data (the context is a link in the footer; operations become forms). */
export const HIDDEN_KEYS = new Set(['@context', 'operation']);

/** This API's IRIs are shown by path and query; others in full. */
export function iriLabel(env: RenderEnv, iri: string): string {
  return iri.startsWith(`${env.base}/`) ? iri.slice(env.base.length) : iri;
}

export function anchor(env: RenderEnv, iri: string, text?: string): Html {
  return html`<a href="${iri}" title="${iri}">${text ?? iriLabel(env, iri)}</a>`;
}

/** A human label for a resource: its name or title, else its path. */
export function labelOf(env: RenderEnv, data: Record<string, unknown>): string {
  for (const key of ['name', 'title', 'label']) {
    if (typeof data[key] === 'string' && data[key]) return data[key] as string;
  }
  return typeof data['@id'] === 'string' ? iriLabel(env, data['@id']) : '';
}

export function renderValue(env: RenderEnv, value: unknown, depth = 0): Html {
  if (value === null || value === undefined) return html`<span class="muted">—</span>`;
  if (isHttpIri(value)) return anchor(env, value);
  if (typeof value === 'string') return html`${value}`;
  if (typeof value === 'number' || typeof value === 'boolean') return html`<span class="scalar">${String(value)}</span>`;
  if (Array.isArray(value)) {
    if (value.length === 0) return html`<span class="muted">none</span>`;
    return html`<ul class="values">${value.map((v) => html`<li>${renderValue(env, v, depth + 1)}</li>`)}</ul>`;
  }
  if (typeof value === 'object') {
    if (depth > 4) return html`<code>${JSON.stringify(value)}</code>`;
    return propertyTable(env, value as Record<string, unknown>, { depth: depth + 1 });
  }
  return html`${String(value)}`;
}

export interface PropertyTableOptions {
  depth?: number;
  /** Keys to leave out besides {@link HIDDEN_KEYS}. */
  skip?: string[];
  /** Descriptions of properties, shown under their names. */
  hints?: Map<string, string>;
  caption?: string;
}

/** A two-column table: property name, value. */
export function propertyTable(env: RenderEnv, data: Record<string, unknown>, options: PropertyTableOptions = {}): Html {
  const rows = Object.entries(data).filter(([k]) => !HIDDEN_KEYS.has(k) && !options.skip?.includes(k));
  return html`<table class="props">${options.caption ? html`<caption>${options.caption}</caption>` : ''}<tbody>${rows.map(
    ([key, value]) => {
      const hint = options.hints?.get(key);
      return html`<tr><th scope="row">${key}${hint ? html`<span class="hint">${hint}</span>` : ''}</th><td>${renderValue(env, value, options.depth ?? 0)}</td></tr>`;
    },
  )}</tbody></table>`;
}
