/**
 * Liveness and readiness: the answers of `GET /health/live` and
 * `GET /health/ready` as pure functions of the server's state.
 *
 * - live: the process runs its event loop. Always 200; it asks nothing of
 *   the database, so a database outage never gets a healthy process
 *   restarted by an orchestrator.
 * - ready: this instance should be sent traffic. 200 when the store answered
 *   a cheap ping; 503 while it does not, and while the server drains after
 *   SIGTERM (so a load balancer stops sending before connections close).
 *
 * A pass is a tiny `application/health+json` document (draft-inadarei-api-
 * health-check §3: `{"status": "pass"}`); a failure goes through the one
 * error boundary as `application/problem+json` with `Retry-After` (RFC 9110
 * §10.2.3), like every other 503. Neither may be stored by any cache.
 */
import { HttpError } from './errors.js';

/** The first path segment of the health endpoints: reserved, no resource may take it. */
export const HEALTH_SEGMENT = 'health';
export const LIVE_PATH = `/${HEALTH_SEGMENT}/live`;
export const READY_PATH = `/${HEALTH_SEGMENT}/ready`;
/** @see draft-inadarei-api-health-check §3 */
export const HEALTH_JSON = 'application/health+json';
/** How long a client should wait before asking a failing readiness probe again (s). */
export const READY_RETRY_AFTER = 5;

export type Probe = 'live' | 'ready';

export interface HealthState {
  /** The server stopped accepting connections and finishes the requests in flight. */
  draining: boolean;
  /** The store's ping: undefined when it answered, else why it did not. */
  storeFailure?: string;
}

/** The body of a passing probe (its headers: {@link HEALTH_HEADERS}). */
export interface HealthPass {
  status: 'pass';
}

export const HEALTH_HEADERS = { 'Content-Type': HEALTH_JSON, 'Cache-Control': 'no-store' } as const;

/**
 * The answer to `probe` in `state`: the passing body, or the 503 to throw.
 * Liveness ignores the state: a process that can answer is alive.
 */
export function healthAnswer(probe: Probe, state: HealthState): HealthPass | HttpError {
  if (probe === 'live') return { status: 'pass' };
  const reason = state.draining
    ? 'This instance is shutting down and takes no new work; send requests to another.'
    : state.storeFailure !== undefined
      ? 'The database does not answer; this instance cannot serve requests for the moment.'
      : undefined;
  if (reason === undefined) return { status: 'pass' };
  return new HttpError(503, {
    type: 'service-unavailable',
    detail: reason,
    headers: { 'Retry-After': String(READY_RETRY_AFTER) },
    expose: true,
  });
}

/** The probe a path names, if any. */
export function probeOf(path: string): Probe | undefined {
  return path === LIVE_PATH ? 'live' : path === READY_PATH ? 'ready' : undefined;
}
