/**
 * The levels guide: `guide.md` (kept in the repository, Markdown) rendered
 * to an HTML page of the browsable API, with the ladder drawn at the top
 * and the reader's level marked (`/levels?level=2`, the `help` link of every
 * level-2 answer). No script is needed to read it.
 *
 * The page shows its curl commands for the server that serves it: the
 * guide's `localhost:3000` becomes this server's address, so they paste and
 * run as they are. `Accept: text/markdown` gets the Markdown itself.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Context } from 'koa';
import { Marked } from 'marked';
import { ladderSvg, type Level } from '../../audit/maturity.js';
import { html, raw, type Html } from '../../formats/html/escape.js';
import { page } from '../../formats/html/page.js';
import { baseUrl } from '../../http/base-url.js';
import { badParameter, methodNotAllowed } from '../../http/errors.js';
import { chooseFormat } from '../../http/negotiation.js';
import type { Runtime } from '../runtime.js';
import { methodsOf } from './dispatch.js';
import { LEVELS_PATH } from './paths.js';
import { actionName } from './rpc.js';

const MARKDOWN = readFileSync(new URL('./guide.md', import.meta.url), 'utf8');
/** The address the guide's commands are written for. */
const WRITTEN_FOR = 'localhost:3000';
const OFFERS = [
  { mediaType: 'text/html', contentType: 'text/html; charset=utf-8' },
  { mediaType: 'text/markdown', contentType: 'text/markdown; charset=utf-8' },
];

/** `Level 2 · HTTP verbs` → `level-2`; other headings get a slug of their text. */
function headingId(text: string): string {
  const level = /^Level (\d)\b/.exec(text);
  if (level) return `level-${level[1]}`;
  return text.toLowerCase().replace(/<[^>]*>|&\w+;/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

const marked = new Marked();
marked.use({
  renderer: {
    heading({ tokens, depth, text }) {
      return `<h${depth} id="${headingId(text)}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
    },
  },
});

/** The guide's commands, for the server at `base`. */
export function guideMarkdown(base: string): string {
  const address = base.startsWith('http://') ? base.slice('http://'.length) : base;
  return MARKDOWN.split(WRITTEN_FOR).join(address);
}

/** How this API's own resources are reached at each level (generated from its definitions). */
function thisApi(runtime: Runtime, base: string): Html {
  const rows = runtime.registry.resources.map((resource) => {
    const collection = resource.collectionRoute.replace(/:parentId/g, '{parentId}');
    const item = resource.itemRoute.replace(/:parentId/g, '{parentId}').replace(/:id/g, '{id}');
    const collectionMethods = methodsOf({ resource, route: 'collection' }).join(', ');
    const itemMethods = methodsOf({ resource, route: 'item' }).join(', ');
    const actions = ['list', 'create', 'get', 'update', 'delete']
      .filter((verb) => verb === 'list' || verb === 'get' || !resource.definition.readOnly)
      .map((verb) => actionName(resource, verb));
    const level3 = resource.parent
      ? html`follow <code>${resource.definition.parent!.inverse}</code> from ${resource.parent.withArticle}`
      : html`follow <code>${resource.segment}</code> from <a href="${base}/">the entry point</a>`;
    return html`<tr><th scope="row">${resource.definition.title ?? resource.name}</th>
<td><code>POST ${LEVELS_PATH}/0</code><br>${actions.map((a, i) => html`${i ? ', ' : ''}<code>${a}</code>`)}</td>
<td><code>POST ${LEVELS_PATH}/1${collection}</code><br><code>POST ${LEVELS_PATH}/1${item}</code></td>
<td><code>${collectionMethods} ${LEVELS_PATH}/2${collection}</code><br><code>${itemMethods} ${LEVELS_PATH}/2${item}</code></td>
<td>${level3}</td></tr>`;
  });
  return html`<div class="table-wrap"><table class="levels-api"><thead><tr><th>Resource</th><th>Level 0</th><th>Level 1</th><th>Level 2</th><th>Level 3</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function renderGuide(runtime: Runtime, base: string, url: string, level: Level | undefined, etag: string): string {
  const ladder = ladderSvg({
    current: level,
    marker: level === undefined ? undefined : 'you are here',
    href: (l) => `${base}${LEVELS_PATH}?level=${l}#level-${l}`,
  });
  // The page's own heading is the title: the Markdown's first heading is left out.
  const body = (marked.parse(guideMarkdown(base).replace(/^# .*\n/, '')) as string)
    .replace('<!-- ladder -->', `<figure class="ladder-figure">${ladder}</figure>`)
    .replace('<!-- this-api -->', thisApi(runtime, base).value);
  const env = {
    base,
    contexts: runtime.contexts,
    url,
    etag,
    guide: `${base}${LEVELS_PATH}`,
    documentation: () => runtime.documentation.build(base).data,
  };
  return page(env, {
    title: 'REST maturity, level by level',
    kicker: level === undefined ? 'Guide' : `Guide · you came from level ${level}`,
    apiTitle: runtime.options.title,
    entrypoint: `${base}/`,
    main: html`<article class="guide">${raw(body)}</article>`,
  });
}

/** `GET /levels[?level=N]`: the guide, as HTML (default) or Markdown. */
export function serveGuide(runtime: Runtime) {
  const version = createHash('sha256').update(MARKDOWN).update(runtime.revision).digest('hex').slice(0, 12);
  const rendered = new Map<string, string>();
  return async function serveLevelsGuide(ctx: Context): Promise<void> {
    if (ctx.method === 'OPTIONS') {
      ctx.set('Allow', 'GET, HEAD, OPTIONS');
      ctx.status = 204;
      return;
    }
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') throw methodNotAllowed(ctx.method, ['GET', 'HEAD', 'OPTIONS']);
    for (const name of Object.keys(ctx.query)) if (name !== 'level') throw badParameter(name, `Unknown query parameter "${name}". This page understands: level.`);
    const raw = ctx.query.level;
    if (raw !== undefined && (typeof raw !== 'string' || !/^[0-3]$/.test(raw))) throw badParameter('level', `Parameter "level" must be 0, 1, 2 or 3, not "${raw}".`);
    const level = raw === undefined ? undefined : (Number(raw) as Level);
    // A page for people, linked from every answer (rel="help"): a client that asks
    // for a format it does not have gets the HTML page rather than a 406, as with
    // the stylesheet. @see RFC 9110 §12.5.1 (a server may disregard Accept)
    const offer = chooseFormat(ctx.get('Accept') || undefined, OFFERS) ?? OFFERS[0];
    const markdown = offer.mediaType === 'text/markdown';
    const etag = `"${version}-${markdown ? 'md' : `html${level ?? ''}`}"`;
    ctx.set('Vary', 'Accept');
    ctx.set('ETag', etag);
    ctx.set('Cache-Control', 'no-cache');
    ctx.status = 200;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    const base = baseUrl(ctx);
    const key = `${base}|${etag}`;
    let body = rendered.get(key);
    if (body === undefined) {
      body = markdown ? guideMarkdown(base) : renderGuide(runtime, base, ctx.url, level, etag);
      if (rendered.size > 64) rendered.clear();
      rendered.set(key, body);
    }
    ctx.type = offer.contentType;
    ctx.body = body;
  };
}
