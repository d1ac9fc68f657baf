/**
 * The same API at each level of the Richardson maturity model, side by
 * side, over the same store (`levels: true` in the options):
 *
 *   /levels          the guide (guide.md), ladder drawn, reader's level marked
 *   /levels/0        one endpoint, POST only, the action in the body (rpc.ts)
 *   /levels/1/…      one URL per resource, still POST only (rpc.ts)
 *   /levels/2/…      HTTP verbs, status codes, caching; no links (level2.ts)
 *   /levels/3        the real API: a 308 to its entry point
 *
 * Every answer says its level in `Rung-Level` and links to the guide with
 * `rel="help"` — a 304 too, since it sends the whole Link set of its 200
 * (RFC 9111 §3.2: a cache replaces the stored fields with a 304's).
 */
import type { Context, Next } from 'koa';
import { baseUrl } from '../../http/base-url.js';
import { notFound } from '../../http/errors.js';
import { formatLinks } from '../../http/link-header.js';
import type { Runtime } from '../runtime.js';
import { serveGuide } from './guide.js';
import { level2 } from './level2.js';
import { guideUrl, LEVELS_PATH, levelOfPath, ResourcePaths } from './paths.js';
import { rpcLevel } from './rpc.js';

export { LEVELS_PATH, guideUrl } from './paths.js';

/** The response header that names the level of every answer. */
export const LEVEL_HEADER = 'Rung-Level';

/** Outer middleware: `Rung-Level` and the guide link on every answer. */
export function markLevels() {
  /** The help link per base URL and level, formatted once (this runs on every request). */
  const helpLinks = new Map<string, string>();
  return async function markLevel(ctx: Context, next: Next): Promise<void> {
    await next();
    const level = levelOfPath(ctx.path);
    if (level === undefined) return;
    ctx.set(LEVEL_HEADER, String(level));
    const base = baseUrl(ctx);
    const key = `${level}${base}`;
    let help = helpLinks.get(key);
    if (help === undefined) {
      help = formatLinks([{ rel: 'help', href: guideUrl(base, level), type: 'text/html', title: 'REST maturity levels' }]);
      if (helpLinks.size >= 256) helpLinks.clear();
      helpLinks.set(key, help);
    }
    const existing = ctx.response.get('Link');
    ctx.set('Link', existing ? `${[existing].flat().join(', ')}, ${help}` : help);
  };
}

/** Inner middleware: the guide and levels 0–2 (everything else goes on to the real API). */
export function serveLevels(runtime: Runtime) {
  const paths = new ResourcePaths(runtime.registry);
  const guide = serveGuide(runtime);
  const byLevel = [
    rpcLevel(runtime, paths, { level: 0, prefix: `${LEVELS_PATH}/0` }),
    rpcLevel(runtime, paths, { level: 1, prefix: `${LEVELS_PATH}/1` }),
    level2(runtime, paths, `${LEVELS_PATH}/2`),
  ];
  return async function serveLevel(ctx: Context, next: Next): Promise<void> {
    const path = ctx.path;
    if (path !== LEVELS_PATH && !path.startsWith(`${LEVELS_PATH}/`)) return next();
    if (path === LEVELS_PATH || path === `${LEVELS_PATH}/`) {
      // A page for people, not a resource of the API: no API documentation link.
      ctx.state.apiDocumentationLinked = true;
      return guide(ctx);
    }
    const level = levelOfPath(path);
    if (level === 3) {
      // Level 3 is the API itself; its links are the only URLs a client needs.
      const rest = path.slice(`${LEVELS_PATH}/3`.length) || '/';
      ctx.status = 308;
      ctx.set('Location', `${baseUrl(ctx)}${rest}${ctx.querystring ? `?${ctx.querystring}` : ''}`);
      return;
    }
    if (level === undefined) throw notFound(`There are four levels: ${LEVELS_PATH}/0 … ${LEVELS_PATH}/3, explained at ${LEVELS_PATH}.`);
    // Below level 3 nothing links to the API documentation (the guide's help link is the one link).
    ctx.state.apiDocumentationLinked = true;
    return byLevel[level](ctx);
  };
}
