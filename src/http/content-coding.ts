/**
 * Content codings of request bodies. Rung decodes the codings its body
 * reader (inflation, under koa-bodyparser) implements, one coding per body;
 * anything else is refused before the body is read.
 *
 * @see RFC 9110 §8.4 (Content-Encoding), §15.5.16 (415), §12.5.3 (Accept-Encoding)
 */
import { HttpError } from './errors.js';

/** The codings a request body may carry, as `Accept-Encoding` lists them on a 415. */
export const REQUEST_CODINGS = ['gzip', 'deflate', 'br', 'identity'] as const;

/** The coding named by a Content-Encoding field value (lowercase), or `identity` when absent. */
export function contentCoding(header: string | undefined): string {
  const value = (header ?? '').trim().toLowerCase();
  return value === '' ? 'identity' : value;
}

/** 415 for a coding this server cannot decode, naming the ones it can. */
export function unsupportedCoding(coding: string): HttpError {
  return new HttpError(415, {
    type: 'unsupported-content-encoding',
    title: 'Unsupported Content-Encoding',
    detail: `This server cannot decode a request body in the content coding "${coding}". It decodes: ${REQUEST_CODINGS.join(', ')} (one coding per body).`,
    headers: { 'Accept-Encoding': REQUEST_CODINGS.join(', ') },
    extensions: { accepted: [...REQUEST_CODINGS] },
  });
}

/** Is `coding` one Rung decodes? */
export function isSupportedCoding(coding: string): boolean {
  return (REQUEST_CODINGS as readonly string[]).includes(coding);
}

/** 400 for a body that is not in the coding its Content-Encoding names. */
export function undecodableBody(coding: string): HttpError {
  return new HttpError(400, {
    type: 'undecodable-body',
    title: 'Undecodable request body',
    detail: `The request body is not valid ${coding} data, although Content-Encoding says it is.`,
  });
}
