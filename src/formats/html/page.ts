/**
 * The frame of every HTML page: head (own stylesheet and script, a
 * Content-Security-Policy that allows nothing but this origin), a header
 * with the API's name, links to the entry point and the documentation and a
 * breadcrumb, then the page's main column and its side column of forms.
 */
import type { LinkSpec } from '../../http/representation.js';
import type { RenderEnv } from '../format.js';
import { assetUrl } from './assets.js';
import { html, type Html } from './escape.js';
import { anchor } from './values.js';
import { DOCS_PATH } from '../../resources/vocabulary.js';
import { CONTENT_SECURITY_POLICY } from '../../http/security-headers.js';

/** Scripts and styles from this origin only; no inline code at all (the server also sends it as a header). */
const CSP = CONTENT_SECURITY_POLICY;

export interface PageParts {
  /** `<title>` and `<h1>`. */
  title: string;
  /** What kind of thing this is, shown above the heading (e.g. the class). */
  kicker?: Html | string;
  /** The resource's IRI: breadcrumb and "Show JSON-LD". */
  id?: string;
  /** The API's name, shown in the header. */
  apiTitle: string;
  /** URL of the entry point (the documentation's `hydra:entrypoint`). */
  entrypoint: string;
  lead?: Html | string;
  main: Html;
  aside?: Html;
  links?: LinkSpec[];
  context?: string;
}

function breadcrumb(env: RenderEnv, id: string | undefined): Html {
  const crumbs: Html[] = [html`<li><a href="${env.base}/">Home</a></li>`];
  if (id?.startsWith(`${env.base}/`)) {
    const url = new URL(id);
    const segments = url.pathname.slice(new URL(`${env.base}/`).pathname.length).split('/').filter(Boolean);
    segments.forEach((segment, i) => {
      const last = i === segments.length - 1;
      const href = `${env.base}/${segments.slice(0, i + 1).join('/')}`;
      const text = decodeURIComponent(segment) + (last && url.search ? ` ${decodeURIComponent(url.search)}` : '');
      crumbs.push(last ? html`<li aria-current="page">${text}</li>` : html`<li><a href="${href}">${text}</a></li>`);
    });
  }
  return html`<nav class="crumbs" aria-label="Breadcrumb"><ol>${crumbs}</ol></nav>`;
}

function footer(env: RenderEnv, parts: PageParts): Html {
  const links = parts.links ?? [];
  return html`<footer class="page-footer">
  ${links.length
    ? html`<details><summary>Links (${links.length}, also sent as <code>Link</code> headers)</summary><table class="links"><tbody>${links.map(
        (l) => html`<tr><th scope="row">${l.rel}</th><td>${anchor(env, l.href)}</td></tr>`,
      )}</tbody></table></details>`
    : ''}
  ${parts.id ? html`<details class="source" data-source="${parts.id}"><summary>Show JSON-LD</summary><pre><code>Loading…</code></pre></details>` : ''}
  <p class="muted">HTML view of a hypermedia API. The same URL answers <code>application/ld+json</code>${parts.context ? html` (context: ${anchor(env, parts.context)})` : ''}, Turtle and plain JSON to other clients.</p>
</footer>`;
}

export function page(env: RenderEnv, parts: PageParts): string {
  const body = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>${parts.title} · ${parts.apiTitle}</title>
<link rel="stylesheet" href="${assetUrl(env.base, 'rung.css')}">
<script src="${assetUrl(env.base, 'rung.js')}" defer></script>
</head>
<body data-etag="${env.etag}" data-entrypoint="${parts.entrypoint}">
<header class="site">
  <div class="bar">
    <a class="brand" href="${parts.entrypoint}">${parts.apiTitle}</a>
    <nav aria-label="API"><a href="${parts.entrypoint}">Entry point</a><a href="${env.base}${DOCS_PATH}">API docs</a>${env.guide ? html`<a href="${env.guide}">REST levels</a>` : ''}</nav>
  </div>
  ${breadcrumb(env, parts.id)}
</header>
<div id="flash" role="status" aria-live="polite" hidden></div>
<div class="layout${parts.aside ? ' with-aside' : ''}">
<main>
  ${parts.kicker ? html`<p class="kicker">${parts.kicker}</p>` : ''}
  <h1>${parts.title}</h1>
  ${parts.lead ? html`<p class="lead">${parts.lead}</p>` : ''}
  ${parts.main}
</main>
${parts.aside ? html`<aside aria-label="Actions">${parts.aside}</aside>` : ''}
</div>
${footer(env, parts)}
<noscript><p class="notice">The forms on this page send JSON with a small script; enable JavaScript to use them.</p></noscript>
</body>
</html>
`;
  return body.value;
}
