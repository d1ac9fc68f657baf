/**
 * The stylesheet and script of the HTML pages, served by Rung itself (no
 * CDN): `GET /assets/<file>`. Pages link them with `?v=<hash>`, so a new
 * deployment changes the URL and the files can be cached for a year; the
 * ETag lets a cache revalidate anyway.
 *
 * @see RFC 9111 §5.2.2.1 (max-age), RFC 8246 (immutable)
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Context } from 'koa';
import { notFound } from '../../http/errors.js';

export const ASSETS_PATH = '/assets';

interface Asset {
  body: Buffer;
  contentType: string;
  etag: string;
  version: string;
}

const FILES: Record<string, string> = {
  'rung.css': 'text/css; charset=utf-8',
  'rung.js': 'text/javascript; charset=utf-8',
};

const assets = new Map<string, Asset>(
  Object.entries(FILES).map(([name, contentType]) => {
    const body = readFileSync(new URL(`./${name}`, import.meta.url));
    const version = createHash('sha256').update(body).digest('hex').slice(0, 12);
    return [name, { body, contentType, etag: `"${version}"`, version }];
  }),
);

/** The versioned URL of an asset, e.g. `http://host/assets/rung.css?v=3f2a…`. */
export function assetUrl(base: string, name: keyof typeof FILES & string): string {
  return `${base}${ASSETS_PATH}/${name}?v=${assets.get(name)!.version}`;
}

/** Koa handler for `GET /assets/:file` (HEAD too, through the router). */
export function serveAssets() {
  return async function serveHtmlAsset(ctx: Context) {
    const asset = assets.get(ctx.params.file);
    if (!asset) throw notFound();
    ctx.set('ETag', asset.etag);
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.status = 200;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.type = asset.contentType;
    ctx.body = asset.body;
  };
}
