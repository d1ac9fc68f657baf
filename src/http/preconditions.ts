/**
 * Conditional requests as a pure function.
 *
 * @see RFC 9110 §13.2.2 (precedence of preconditions)
 * @see RFC 6585 §3 (428 Precondition Required)
 */
import { HttpError } from './errors.js';
import { parseEtagList, strongMatch, tokenOf, weakMatch, type EntityTag } from './etag.js';

export interface ConditionalHeaders {
  method: string;
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  ifUnmodifiedSince?: string;
}

export interface CurrentState {
  /** Does the target resource currently have a representation? */
  exists: boolean;
  /** State token of the current resource (see etag.ts). */
  token?: string;
  /** The ETag of the selected representation (reads compare against this). */
  etag?: string;
  lastModified?: Date;
}

export type PreconditionOutcome = 'proceed' | 304 | 412 | 428;

const SAFE = new Set(['GET', 'HEAD']);
const STATE_CHANGING = new Set(['PUT', 'PATCH', 'DELETE']);

function parseDate(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.floor(t / 1000);
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/**
 * Does `If-Match` hold? For writes we compare the *state token*: a client that
 * fetched the Turtle variant and one that fetched JSON-LD both saw the same
 * state, so either tag authorises the write. Strong comparison only.
 */
function ifMatchHolds(list: '*' | EntityTag[], current: CurrentState, compareEtag: boolean): boolean {
  if (list === '*') return current.exists;
  if (!current.exists) return false;
  return list.some((tag) => {
    if (tag.weak) return false;
    if (compareEtag && current.etag) return strongMatch(tag, { weak: false, opaque: current.etag.slice(1, -1) });
    return current.token !== undefined && tokenOf(tag) === current.token;
  });
}

function ifNoneMatchFails(list: '*' | EntityTag[], current: CurrentState, safe: boolean): boolean {
  if (list === '*') return current.exists;
  if (!current.exists) return false;
  return list.some((tag) =>
    safe && current.etag
      ? weakMatch(tag, { weak: false, opaque: current.etag.slice(1, -1) })
      : current.token !== undefined && tokenOf(tag) === current.token,
  );
}

/**
 * Evaluate the preconditions of a request against the current state, in the
 * order RFC 9110 §13.2.2 prescribes. `requireIfMatch` implements the
 * `--require-preconditions` policy: an unconditional PUT/PATCH/DELETE on an
 * existing resource gets 428.
 */
export function evaluatePreconditions(
  req: ConditionalHeaders,
  current: CurrentState,
  requireIfMatch = false,
): PreconditionOutcome {
  const method = req.method.toUpperCase();
  const safe = SAFE.has(method);

  if (requireIfMatch && STATE_CHANGING.has(method)) {
    const conditional = current.exists ? req.ifMatch !== undefined : req.ifMatch !== undefined || req.ifNoneMatch?.trim() === '*';
    if (!conditional) return 428;
  }

  // Step 1 / 2: If-Match, else If-Unmodified-Since.
  if (req.ifMatch !== undefined) {
    if (!ifMatchHolds(parseEtagList(req.ifMatch), current, safe)) return 412;
  } else {
    const ius = parseDate(req.ifUnmodifiedSince);
    if (ius !== undefined && current.exists && current.lastModified && seconds(current.lastModified) > ius) return 412;
  }

  // Step 3 / 4: If-None-Match, else If-Modified-Since (GET/HEAD only).
  if (req.ifNoneMatch !== undefined) {
    if (ifNoneMatchFails(parseEtagList(req.ifNoneMatch), current, safe)) return safe ? 304 : 412;
  } else if (safe) {
    const ims = parseDate(req.ifModifiedSince);
    if (ims !== undefined && current.exists && current.lastModified && seconds(current.lastModified) <= ims) return 304;
  }
  return 'proceed';
}

/** Read the conditional header fields off a Koa-like request. */
export function conditionalHeaders(method: string, headers: Record<string, string | string[] | undefined>): ConditionalHeaders {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(', ') : v);
  return {
    method,
    ifMatch: one(headers['if-match']),
    ifNoneMatch: one(headers['if-none-match']),
    ifModifiedSince: one(headers['if-modified-since']),
    ifUnmodifiedSince: one(headers['if-unmodified-since']),
  };
}

/** 412 for a read or write whose precondition does not hold, linking to the current representation. */
export function preconditionFailed(current?: string): HttpError {
  return new HttpError(412, {
    type: 'precondition-failed',
    title: 'Precondition Failed',
    detail: current
      ? 'The resource has changed since you read it (If-Match / If-Unmodified-Since does not hold). Fetch it again and retry.'
      : 'The precondition does not hold.',
    links: current ? [{ rel: 'current', href: current }] : [],
  });
}

/** 428 for an unconditional write where this server requires one (`current`: the item, when it exists). */
export function preconditionRequired(current?: string): HttpError {
  return new HttpError(428, {
    type: 'precondition-required',
    title: 'Precondition Required',
    detail: `This server requires conditional writes: send If-Match with the ETag you last received${current ? '' : ' (or If-None-Match: * to create)'}.`,
    links: current ? [{ rel: 'current', href: current }] : [],
  });
}

/**
 * Does a write depend on the state the client last saw (If-Match,
 * If-None-Match, If-Unmodified-Since)? If-Modified-Since applies to reads
 * only. @see RFC 9110 §13.1
 */
export function hasWritePrecondition(headers: Record<string, string | string[] | undefined>): boolean {
  return headers['if-match'] !== undefined || headers['if-unmodified-since'] !== undefined || headers['if-none-match'] !== undefined;
}
