/**
 * Request bodies: the media type is checked first (415 naming what is
 * taken, in `Accept-Post` / `Accept-Patch`), then koa-bodyparser reads JSON
 * within the size limit (413 over it, 400 when malformed).
 */
import type { Context, Next } from 'koa';
import bodyParser from 'koa-bodyparser';
import { HttpError } from './errors.js';

export interface BodyOptions {
  limit: number | string;
  /** Media types taken, per method. */
  accepted: Record<string, string[]>;
}

/** Header naming acceptable request media types, per method (RFC 5789 §3.1, W3C LDP §7.1). */
export function acceptHeaderFor(method: string): string | undefined {
  if (method === 'PATCH') return 'Accept-Patch';
  if (method === 'POST') return 'Accept-Post';
  return undefined;
}

export function unsupportedMediaType(method: string, accepted: string[], given: string | undefined): HttpError {
  const header = acceptHeaderFor(method);
  return new HttpError(415, {
    type: 'unsupported-media-type',
    title: 'Unsupported Media Type',
    detail: `${method} takes ${accepted.join(', ')}${given ? `, not ${given}` : '; the request has no Content-Type'}.`,
    headers: header ? { [header]: accepted.join(', ') } : {},
    extensions: { accepted },
  });
}

export function requestBody(options: BodyOptions) {
  const jsonTypes = [...new Set(Object.values(options.accepted).flat())];
  const parse = bodyParser({
    enableTypes: ['json'],
    jsonLimit: options.limit as string,
    strict: false,
    extendTypes: { json: jsonTypes },
    onerror: (err) => {
      throw err;
    },
  });
  return async function readRequestBody(ctx: Context, next: Next) {
    const accepted = options.accepted[ctx.method];
    if (!accepted) return next();
    const given = ctx.get('Content-Type') || undefined;
    const hasBody = ctx.request.length > 0 || ctx.get('Transfer-Encoding') !== '';
    if (!hasBody) {
      throw new HttpError(400, {
        type: 'missing-body',
        title: 'Missing request body',
        detail: `${ctx.method} needs a body in one of: ${accepted.join(', ')}.`,
      });
    }
    if (!given || !ctx.request.is(accepted)) throw unsupportedMediaType(ctx.method, accepted, given);
    await parse(ctx, async () => {});
    return next();
  };
}
