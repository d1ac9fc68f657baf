/**
 * Typed HTTP errors. Anything in Rung that wants to end a request with an
 * error status throws one of these; the single error boundary
 * (`problem.ts`) turns it into an `application/problem+json` response.
 *
 * @see RFC 9457 (Problem Details for HTTP APIs)
 */
import { STATUS_CODES } from 'node:http';

/** One failed constraint of a request body, located by a JSON Pointer (RFC 6901). */
export interface Violation {
  pointer: string;
  message: string;
}

export interface HttpErrorOptions {
  /** Slug of the problem type; becomes `<base>/problems/<slug>`. Omit for `about:blank`. */
  type?: string;
  title?: string;
  detail?: string;
  /** Response headers the error needs (`Allow`, `Accept-Post`, `WWW-Authenticate`…). */
  headers?: Record<string, string>;
  /** Extension members of the problem document (e.g. `violations`). */
  extensions?: Record<string, unknown>;
  /** Links to send in the problem body and as `Link` headers. */
  links?: { rel: string; href: string }[];
  cause?: unknown;
  /** Show `detail` and extensions to the client. Default: for 4xx only (5xx details stay in the log). */
  expose?: boolean;
}

export class HttpError extends Error {
  readonly status: number;
  readonly type?: string;
  readonly title: string;
  readonly detail?: string;
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;
  readonly links: { rel: string; href: string }[];
  /** 4xx details are meant for the client; 5xx only when the error says so (a 503's retry advice). */
  readonly expose: boolean;

  constructor(status: number, options: HttpErrorOptions = {}) {
    super(options.detail ?? STATUS_CODES[status] ?? 'Error', { cause: options.cause });
    this.name = 'HttpError';
    this.status = status;
    this.type = options.type;
    this.title = options.title ?? STATUS_CODES[status] ?? 'Error';
    this.detail = options.detail;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
    this.links = options.links ?? [];
    this.expose = options.expose ?? status < 500;
  }
}

export const notFound = (detail = 'No resource exists at this URL.') =>
  new HttpError(404, { detail });

export const badRequest = (detail: string, extensions?: Record<string, unknown>) =>
  new HttpError(400, { type: 'bad-request', detail, extensions });

/** 400 for a query string parameter, naming it (`parameter` extension member). */
export const badParameter = (parameter: string, detail: string) =>
  new HttpError(400, {
    type: 'invalid-query-parameter',
    title: 'Invalid query parameter',
    detail,
    extensions: { parameter },
  });

export const unprocessable = (violations: Violation[]) =>
  new HttpError(422, {
    type: 'validation-failed',
    title: 'Validation failed',
    detail: violations.map((v) => `${v.pointer || '/'}: ${v.message}`).join('; '),
    extensions: { violations },
  });

export const conflict = (detail: string) => new HttpError(409, { type: 'conflict', detail });

export const methodNotAllowed = (method: string, allow: string[]) =>
  new HttpError(405, {
    detail: `${method} is not supported here. Supported methods: ${allow.join(', ')}.`,
    headers: { Allow: allow.join(', ') },
  });
