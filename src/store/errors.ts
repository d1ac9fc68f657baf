/**
 * Errors a store throws. They follow Koa's error convention (`status`,
 * `expose`, `headers`), so the HTTP error boundary renders them without the
 * store knowing anything of HTTP.
 */

/**
 * The database cannot take the request now (busy past the timeout, or
 * unreachable); nothing was changed, and the same request may be retried.
 * Rendered as 503 with `Retry-After` (RFC 9110 §15.6.4, §10.2.3).
 */
export class StoreUnavailableError extends Error {
  readonly status = 503;
  readonly expose = true;
  readonly problemType = 'service-unavailable';
  readonly headers: Record<string, string>;

  constructor(reason: string, retryAfterSeconds = 1, options?: { cause?: unknown }) {
    super(`${reason} Nothing was changed; retry in ${retryAfterSeconds} s.`, options);
    this.name = 'StoreUnavailableError';
    this.headers = { 'Retry-After': String(retryAfterSeconds) };
  }
}

/**
 * A write refers to a row that no longer exists: its parent, or the target
 * of a link, deleted by another write after the caller checked it. Nothing
 * was changed. Rendered as 409 unless the caller says more (a parent gone
 * is a 404).
 */
export class MissingReferenceError extends Error {
  readonly status = 409;
  readonly expose = true;
  readonly problemType = 'conflict';

  constructor(
    readonly table: string,
    options?: { cause?: unknown },
  ) {
    super('A resource this write refers to was deleted while it was being written; nothing was changed.', options);
    this.name = 'MissingReferenceError';
  }
}

/** An insert named an id that is already taken (a concurrent create won). */
export class DuplicateIdError extends Error {
  constructor(
    readonly table: string,
    readonly id: number,
  ) {
    super(`${table} already has a row with id ${id}`);
    this.name = 'DuplicateIdError';
  }
}
