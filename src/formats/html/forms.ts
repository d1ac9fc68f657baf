/**
 * The operations the API documentation allows on a resource, as forms:
 * create (POST) on a collection; replace (PUT), edit (PATCH) and delete
 * (DELETE) on an item, plus the item's inline, state-dependent
 * `operation`s. The forms carry their method and target in data attributes;
 * `rung.js` sends them as JSON with `If-Match` and shows the outcome.
 */
import type { ApiDocs, DocClass, DocOperation, FormField } from './api-docs.js';
import { html, isHttpIri, type Html } from './escape.js';

const SUBMIT: Record<string, string> = { POST: 'Create', PUT: 'Replace', PATCH: 'Save changes', DELETE: 'Delete' };
const OPEN = new Set(['POST', 'PATCH']);

export interface FormTarget {
  /** The resource the page shows. */
  data: Record<string, unknown>;
  /** Where operations without their own target are sent (a collection's path without its query). */
  target: string;
  /** Where to go after a DELETE. */
  after?: string;
  /** Item writes are conditional on the page's ETag; a POST to a collection is not. */
  conditional: boolean;
}

/** Documented operations of `cls` and inline ones of the resource, one per method (documented first). */
export function operationsOf(docs: ApiDocs, cls: DocClass | undefined, data: Record<string, unknown>): DocOperation[] {
  const inline = (Array.isArray(data.operation) ? data.operation : data.operation ? [data.operation] : []) as DocOperation[];
  const seen = new Set<string>();
  return [...docs.writeOperations(cls), ...inline].filter((op) => {
    const method = String(op.method).toUpperCase();
    if (seen.has(method) || !(method in SUBMIT)) return false;
    seen.add(method);
    return true;
  });
}

function stringValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function input(field: FormField, id: string, method: string, value: unknown): Html {
  const required = field.required && method !== 'PATCH';
  const initial = method === 'POST' ? undefined : stringValue(value);
  const common = html`id="${id}" name="${field.name}" data-kind="${field.kind}"${initial !== undefined ? html` data-initial="${initial}"` : ''}${required ? html` required` : ''}`;
  switch (field.kind) {
    case 'boolean':
      return html`<input type="checkbox" ${common}${value === true ? html` checked` : ''}>`;
    case 'number':
      return html`<input type="number" step="any" ${common} value="${initial ?? ''}">`;
    case 'date':
      return html`<input type="date" ${common} value="${initial ?? ''}">`;
    case 'dateTime':
      return html`<input type="text" ${common} value="${initial ?? ''}" placeholder="2027-05-01T09:00:00Z" spellcheck="false" autocomplete="off">`;
    case 'iri':
      return html`<input type="url" ${common} value="${initial ?? ''}" placeholder="https://…"${field.optionsFrom ? html` data-options-from="${field.optionsFrom}"` : ''} spellcheck="false">`;
    default:
      return html`<input type="text" ${common} value="${initial ?? ''}">`;
  }
}

function fieldRow(field: FormField, method: string, data: Record<string, unknown>): Html {
  const id = `${method.toLowerCase()}-${field.name}`;
  const required = field.required && method !== 'PATCH';
  return html`<div class="field field-${field.kind}">
  <label for="${id}">${field.name}${required ? html` <abbr title="required">*</abbr>` : ''}</label>
  ${input(field, id, method, data[field.name])}
  ${field.description ? html`<small>${field.description}</small>` : ''}
  <p class="field-error" data-for="${field.name}" hidden></p>
</div>`;
}

function form(docs: ApiDocs, op: DocOperation, t: FormTarget): Html {
  const method = op.method.toUpperCase();
  const action = isHttpIri(op.target) ? op.target : t.target;
  const title = op.title ?? `${method} ${action}`;
  const ifMatch = t.conditional && method !== 'POST';
  const attrs = html`class="op" data-method="${method}" action="${action}" method="post"${ifMatch ? html` data-if-match` : ''}${method === 'DELETE' && t.after ? html` data-after="${t.after}"` : ''}`;
  if (method === 'DELETE') {
    return html`<section class="card card-danger">
<form ${attrs} data-confirm="${title}?">
  <h2><span class="method">DELETE</span> ${title}</h2>
  ${op.description ? html`<p class="hint">${op.description}</p>` : ''}
  <div class="actions"><button type="submit" class="danger">${SUBMIT[method]}</button></div>
  <div class="result" aria-live="polite"></div>
</form></section>`;
  }
  const fields = docs.fields(op.expects);
  return html`<details class="card"${OPEN.has(method) ? html` open` : ''}>
<summary><span class="method">${method}</span> ${title}</summary>
<form ${attrs} novalidate>
  ${op.description ? html`<p class="hint">${op.description}</p>` : ''}
  ${fields.map((f) => fieldRow(f, method, t.data))}
  <div class="actions"><button type="submit">${SUBMIT[method]}</button></div>
  <div class="result" aria-live="polite"></div>
</form></details>`;
}

export function operationForms(docs: ApiDocs, cls: DocClass | undefined, t: FormTarget): Html | undefined {
  const ops = operationsOf(docs, cls, t.data);
  if (!ops.length) return undefined;
  // Create and edit first, destructive last.
  const order = ['POST', 'PATCH', 'PUT', 'DELETE'];
  ops.sort((a, b) => order.indexOf(a.method.toUpperCase()) - order.indexOf(b.method.toUpperCase()));
  return html`${ops.map((op) => form(docs, op, t))}`;
}
