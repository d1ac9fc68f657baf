/**
 * `text/html`: every resource as a browsable page. The page is built from
 * the same compacted JSON-LD as every other format, and its controls come
 * from the Hydra ApiDocumentation — links are anchors, the collection view
 * is a pager, the search template is a form, documented operations are
 * forms — so a person can use the API the way a Hydra client does.
 *
 * Registered after the JSON family: a browser's `Accept: text/html,…` gets
 * this page, while `*\/*` and a missing Accept keep getting JSON-LD.
 */
import type { Document } from '../../http/representation.js';
import type { Format, RenderEnv } from '../format.js';
import { ApiDocs, type DocClass } from './api-docs.js';
import { membersTable, pagingControls, searchForm } from './collection.js';
import { anchorId, documentationMain } from './documentation.js';
import { DOCS_PATH } from '../../resources/vocabulary.js';
import { html, isHttpIri } from './escape.js';
import { operationForms } from './forms.js';
import { page, type PageParts } from './page.js';
import { labelOf, propertyTable, renderValue } from './values.js';

type Data = Record<string, unknown>;

const types = (data: Data): string[] => {
  const t = data['@type'];
  return Array.isArray(t) ? t.map(String) : t === undefined ? [] : [String(t)];
};

/** Descriptions of a class's properties, by term. */
const hintsOf = (cls: DocClass | undefined) =>
  new Map((cls?.supportedProperty ?? []).filter((p) => p.description).map((p) => [p.title, p.description!] as [string, string]));

/** Without its query: where a collection takes POSTs. */
const withoutQuery = (iri: string) => iri.replace(/[?#].*$/, '');

/** The containing path of an item IRI (`/events/1` → `/events`). */
const parentOf = (iri: string) => iri.replace(/\/[^/]*$/, '');

function collectionTitle(data: Data, env: RenderEnv): string {
  const id = typeof data['@id'] === 'string' ? withoutQuery(data['@id']) : '';
  const segment = id.startsWith(env.base) ? id.split('/').pop() ?? '' : '';
  return segment ? segment[0].toUpperCase() + segment.slice(1) : 'Collection';
}

export function renderHtml(doc: Document, env: RenderEnv): string {
  const data = doc.data;
  const docs = new ApiDocs(env.documentation(), env);
  const id = typeof data['@id'] === 'string' ? data['@id'] : undefined;
  const common = {
    apiTitle: docs.title,
    entrypoint: docs.entrypoint,
    id,
    links: doc.links,
    context: isHttpIri(data['@context']) ? data['@context'] : undefined,
  };
  const t = types(data);
  const cls = docs.classOf(data);
  let parts: PageParts;

  if (t.includes('ApiDocumentation')) {
    parts = { ...common, title: docs.title, kicker: 'API documentation', lead: docs.description, main: documentationMain(env, docs.classes) };
  } else if (t.includes('EntryPoint')) {
    parts = {
      ...common,
      title: docs.title,
      kicker: 'Entry point',
      lead: docs.description,
      main: html`<section class="card"><h2>Collections</h2>${propertyTable(env, data, { skip: ['@id', '@type', 'hydra:collection'] })}</section>`,
    };
  } else if (t.includes('Collection')) {
    const members = (Array.isArray(data.member) ? data.member : []) as Data[];
    parts = {
      ...common,
      title: collectionTitle(data, env),
      kicker: html`${cls?.title ?? t.join(', ')}`,
      lead: cls?.description,
      main: html`${searchForm(data)}${pagingControls(data)}${membersTable(env, members)}`,
      aside: operationForms(docs, cls, { data: {}, target: withoutQuery(id ?? env.base), conditional: false }),
    };
  } else if (id && cls) {
    parts = {
      ...common,
      title: labelOf(env, data),
      kicker: html`${cls.title ?? t.join(', ')} · <a href="${env.base}${DOCS_PATH}#${anchorId(cls)}">documentation</a>`,
      main: propertyTable(env, data, { hints: hintsOf(cls) }),
      aside: operationForms(docs, cls, {
        data,
        target: id,
        after: isHttpIri(data.collection) ? data.collection : parentOf(id),
        conditional: true,
      }),
    };
  } else {
    parts = { ...common, title: id ? labelOf(env, data) : t.join(', ') || 'Resource', main: renderValue(env, data) };
  }
  return page(env, parts);
}

export const htmlFormat: Format = {
  key: 'html',
  mediaType: 'text/html',
  contentType: 'text/html; charset=utf-8',
  render: (doc, env) => ({ body: renderHtml(doc, env) }),
};
