/**
 * A page of a `hydra:Collection`: the members as a table (the first column
 * links to each member), paging controls from the `hydra:view`, and the
 * `hydra:search` IRI template as a GET form with one input per mapping.
 */
import type { RenderEnv } from '../format.js';
import { html, isHttpIri, type Html } from './escape.js';
import { labelOf, renderValue } from './values.js';

type Data = Record<string, unknown>;

/** Columns that are the same for every member or shown otherwise. */
const MEMBER_SKIP = new Set(['@id', '@type', '@context', 'collection', 'operation']);

export function membersTable(env: RenderEnv, members: Data[]): Html {
  if (!members.length) return html`<p class="empty">No members on this page.</p>`;
  const columns: string[] = [];
  for (const member of members) {
    for (const key of Object.keys(member)) if (!MEMBER_SKIP.has(key) && !columns.includes(key)) columns.push(key);
  }
  const labelKey = columns.find((c) => ['name', 'title', 'label'].includes(c));
  const rest = columns.filter((c) => c !== labelKey);
  return html`<div class="table-wrap"><table class="members">
<thead><tr><th scope="col">${labelKey ?? 'resource'}</th>${rest.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
<tbody>${members.map((m) => {
    const id = m['@id'];
    const label = labelOf(env, m);
    return html`<tr><th scope="row">${isHttpIri(id) ? html`<a href="${id}" title="${id}">${label}</a>` : label}</th>${rest.map(
      (c) => html`<td>${c in m ? renderValue(env, m[c], 2) : ''}</td>`,
    )}</tr>`;
  })}</tbody>
</table></div>`;
}

const pageNumber = (iri: unknown): number | undefined => {
  if (!isHttpIri(iri)) return undefined;
  const page = Number(new URL(iri).searchParams.get('page') ?? '1');
  return Number.isInteger(page) && page > 0 ? page : undefined;
};

export function pagingControls(data: Data): Html {
  const view = (data.view ?? {}) as Data;
  const current = pageNumber(view['@id']) ?? 1;
  const last = pageNumber(view.last);
  const control = (rel: string, text: string) =>
    isHttpIri(view[rel])
      ? html`<a class="button" rel="${rel === 'previous' ? 'prev' : rel}" href="${view[rel] as string}">${text}</a>`
      : html`<span class="button disabled" aria-disabled="true">${text}</span>`;
  const isFirst = current === 1;
  const isLast = last !== undefined && current >= last;
  return html`<nav class="pager" aria-label="Pages">
  ${isFirst ? html`<span class="button disabled" aria-disabled="true">« First</span>` : control('first', '« First')}
  ${control('previous', '‹ Previous')}
  <span class="page-of">Page ${current}${last ? html` of ${last}` : ''} · ${data.totalItems === 1 ? '1 item' : `${String(data.totalItems ?? '?')} items`}</span>
  ${control('next', 'Next ›')}
  ${isLast ? html`<span class="button disabled" aria-disabled="true">Last »</span>` : control('last', 'Last »')}
</nav>`;
}

interface Mapping {
  variable: string;
  property?: string;
  description?: string;
  required?: boolean;
}

/**
 * The search template as a GET form. The form's action is the template's
 * expansion with no variables (RFC 6570 `{?…}` expands to nothing); the
 * script leaves empty inputs out of the query.
 */
export function searchForm(data: Data): Html {
  const search = data.search as { template?: string; mapping?: Mapping[] } | undefined;
  if (!search?.template || !Array.isArray(search.mapping)) return html``;
  const action = search.template.replace(/\{[^}]*\}/g, '');
  if (!isHttpIri(action)) return html``;
  const current = isHttpIri(data['@id']) ? new URL(data['@id']).searchParams : new URLSearchParams();
  const active = search.mapping.some((m) => m.variable !== 'page' && current.has(m.variable));
  return html`<details class="card search"${active ? html` open` : ''}>
<summary>Search <span class="muted">${search.template.slice(search.template.indexOf('{'))}</span></summary>
<form method="get" action="${action}" data-search>
  <div class="grid">${search.mapping.map(
    (m) => html`<div class="field"><label for="q-${m.variable}">${m.variable}</label><input id="q-${m.variable}" name="${m.variable}" type="search" value="${current.get(m.variable) ?? ''}" title="${m.description ?? ''}"><small class="one-line" title="${m.description ?? ''}">${m.description ?? ''}</small></div>`,
  )}</div>
  <div class="actions"><button type="submit">Search</button> <a href="${action}">Clear</a></div>
</form></details>`;
}
