/**
 * The Hydra ApiDocumentation as a readable reference: one section per
 * class with its properties (range, required, writeable) and operations
 * (method, what they expect and return).
 */
import type { RenderEnv } from '../format.js';
import { rangeOf, type DocClass } from './api-docs.js';
import { html, isHttpIri, type Html } from './escape.js';
import { anchor } from './values.js';

const shortIri = (iri: string) => iri.replace(/^.*[#/]/, '') || iri;

/** A class IRI links to its section on this page when documented here, else to itself. */
function classRef(env: RenderEnv, classes: DocClass[], iri: string | undefined): Html {
  if (!iri) return html`<span class="muted">—</span>`;
  const documented = classes.find((c) => c['@id'] === iri);
  if (documented) return html`<a href="#${anchorId(documented)}" title="${iri}">${documented.title ?? shortIri(iri)}</a>`;
  return isHttpIri(iri) ? anchor(env, iri, shortIri(iri)) : html`${iri}`;
}

export const anchorId = (cls: DocClass) => `class-${(cls.title ?? shortIri(cls['@id'])).replace(/[^A-Za-z0-9_-]/g, '-')}`;

function classSection(env: RenderEnv, classes: DocClass[], cls: DocClass): Html {
  const props = cls.supportedProperty ?? [];
  const ops = cls.supportedOperation ?? [];
  return html`<section class="doc-class" id="${anchorId(cls)}">
<h2>${cls.title ?? shortIri(cls['@id'])} <small>${anchor(env, cls['@id'])}</small></h2>
${cls.description ? html`<p>${cls.description}</p>` : ''}
${props.length ? html`<div class="table-wrap"><table class="members"><caption>Properties</caption>
<thead><tr><th scope="col">property</th><th scope="col">range</th><th scope="col">required</th><th scope="col">writeable</th><th scope="col">description</th></tr></thead>
<tbody>${props.map(
  (p) => html`<tr><th scope="row" title="${p.property['@id']}">${p.title}</th><td>${classRef(env, classes, rangeOf(p))}</td><td>${p.required ? 'yes' : 'no'}</td><td>${p.writeable === false ? 'no' : 'yes'}</td><td>${p.description ?? ''}</td></tr>`,
)}</tbody></table></div>` : ''}
${ops.length ? html`<div class="table-wrap"><table class="members"><caption>Operations</caption>
<thead><tr><th scope="col">method</th><th scope="col">title</th><th scope="col">expects</th><th scope="col">returns</th></tr></thead>
<tbody>${ops.map(
  (o) => html`<tr><th scope="row"><span class="method">${o.method}</span></th><td>${o.title ?? ''}${o.description ? html`<span class="hint">${o.description}</span>` : ''}</td><td>${classRef(env, classes, o.expects)}</td><td>${classRef(env, classes, o.returns)}</td></tr>`,
)}</tbody></table></div>` : ''}
</section>`;
}

export function documentationMain(env: RenderEnv, classes: DocClass[]): Html {
  return html`<nav class="toc" aria-label="Classes"><ul>${classes.map((c) => html`<li><a href="#${anchorId(c)}">${c.title ?? shortIri(c['@id'])}</a></li>`)}</ul></nav>
${classes.map((c) => classSection(env, classes, c))}`;
}
