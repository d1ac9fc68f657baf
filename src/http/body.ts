/**
 * Request bodies: the media type and content coding are checked first (415
 * naming what is taken, in `Accept-Post` / `Accept-Patch` or
 * `Accept-Encoding`), then koa-bodyparser reads JSON within the size limit
 * (413 over it, 400 when malformed or undecodable), and finally the nesting
 * depth is bounded (400) before anything walks the parsed value.
 *
 * Every refusal is a problem of our own wording: the messages of the
 * libraries underneath (JSON.parse, zlib, raw-body) never reach the client.
 */
import type { Context, Next } from 'koa';
import bodyParser from 'koa-bodyparser';
import { contentCoding, isSupportedCoding, undecodableBody, unsupportedCoding } from './content-coding.js';
import { HttpError } from './errors.js';
import { DEFAULT_MAX_JSON_DEPTH, exceedsJsonDepth } from './json-depth.js';

export interface BodyOptions {
  limit: number | string;
  /** Media types taken, per method. */
  accepted: Record<string, string[]>;
  /** Deepest nesting of arrays and objects accepted (default {@link DEFAULT_MAX_JSON_DEPTH}). */
  maxDepth?: number;
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

const malformed = (why: string) =>
  new HttpError(400, { type: 'malformed-body', title: 'Malformed request body', detail: `The request body is not well-formed JSON: ${why}.` });

/** Errors raised by the libraries that read the body (raw-body, inflation, co-body, JSON.parse, zlib). */
interface ReadError extends Error {
  status?: number;
  type?: string;
  charset?: string;
  /** The text that failed to parse (co-body keeps it). */
  body?: string;
}

/**
 * Our own problem for a failure while reading a body. Library messages are
 * not passed on: they are worded for developers of the library, and some
 * (zlib's) describe the server rather than the request.
 */
function readFailure(err: ReadError, coding: string, method: string, accepted: string[]): HttpError {
  if (err instanceof HttpError) return err;
  if (err.type === 'entity.too.large' || err.status === 413) {
    return new HttpError(413, {
      type: 'body-too-large',
      title: 'Request body too large',
      detail: 'The request body is larger than this server accepts.',
    });
  }
  if (err.type === 'charset.unsupported') {
    return unsupportedMediaType(method, accepted.map((t) => `${t}; charset=utf-8`), `a body in charset ${err.charset ?? 'unknown'}`);
  }
  if (err.type === 'request.aborted' || err.type === 'request.size.invalid') {
    return malformed('it ended before the length given in Content-Length');
  }
  if (err.status === 400 && /prototype/.test(err.message)) return malformed('it has a member named "__proto__", a prototype key this server refuses');
  if (err.status === 400 && err.name === 'SyntaxError') return malformed(describeSyntaxError(err.message, err.body));
  if (err.status === undefined && coding !== 'identity') return undecodableBody(coding);
  if (err.status === 400) return malformed('it cannot be read');
  return new HttpError(500, { cause: err });
}

/**
 * Where JSON.parse stopped, in words of our own ("unexpected character at
 * position 7", "it ends before…"): V8's messages quote the body and change
 * between versions.
 */
function describeSyntaxError(message: string, text = ''): string {
  const position = Number(/position (\d+)/.exec(message)?.[1] ?? NaN);
  if (/end of JSON input|Unterminated/i.test(message) || position >= text.trimEnd().length) {
    return 'it ends before the JSON value is complete';
  }
  if (!Number.isNaN(position)) return `unexpected character at position ${position}`;
  const token = /Unexpected token '(.)'/.exec(message)?.[1];
  return token ? `unexpected character ${JSON.stringify(token)}` : 'it is not valid JSON syntax';
}

export function requestBody(options: BodyOptions) {
  const jsonTypes = [...new Set(Object.values(options.accepted).flat())];
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
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
    const coding = contentCoding(ctx.get('Content-Encoding'));
    if (!isSupportedCoding(coding)) throw unsupportedCoding(coding);
    try {
      await parse(ctx, async () => {});
    } catch (err) {
      throw readFailure(err as ReadError, coding, ctx.method, accepted);
    }
    if (exceedsJsonDepth(ctx.request.body, maxDepth)) {
      throw new HttpError(400, {
        type: 'body-too-deep',
        title: 'Request body nested too deeply',
        detail: `The request body nests arrays and objects more than ${maxDepth} levels deep, the most this server accepts.`,
        extensions: { maxDepth },
      });
    }
    return next();
  };
}
