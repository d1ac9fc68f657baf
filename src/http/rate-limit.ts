/**
 * The IETF rate-limit header fields, as pure functions: the policy a
 * server applies (`RateLimit-Policy`), what is left of it for this client
 * (`RateLimit`), and the 429 that refuses a request over the quota.
 *
 * Both fields are Structured Field Lists of Items whose value is the
 * policy's name, a String (draft-ietf-httpapi-ratelimit-headers-11):
 *
 *     RateLimit-Policy: "default";q=100;w=60     q: quota, w: window (s)
 *     RateLimit: "default";r=42;t=17             r: remaining, t: seconds to reset
 *
 * @see https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/ §3, §4, §5.1
 * @see RFC 6585 §4 (429 Too Many Requests), RFC 9110 §10.2.3 (Retry-After)
 */
import { HttpError } from './errors.js';

export interface QuotaPolicy {
  /** The policy's name (an sf-string). */
  name: string;
  /** Requests allowed per window. */
  quota: number;
  /** The window, in seconds. */
  window: number;
}

/** A quota policy as a Structured Field Item. */
export function formatPolicy(policy: QuotaPolicy): string {
  return `"${policy.name}";q=${policy.quota};w=${policy.window}`;
}

/** What is left of `policy` for this client: `remaining` requests within `resetSeconds`. */
export function formatServiceLimit(policy: QuotaPolicy, remaining: number, resetSeconds: number): string {
  return `"${policy.name}";r=${Math.max(0, Math.floor(remaining))};t=${Math.max(0, Math.ceil(resetSeconds))}`;
}

/** Both headers for one response. */
export function rateLimitHeaders(policy: QuotaPolicy, remaining: number, msBeforeReset: number): Record<string, string> {
  return {
    'RateLimit-Policy': formatPolicy(policy),
    RateLimit: formatServiceLimit(policy, remaining, msBeforeReset / 1000),
  };
}

/**
 * 429: over the quota. Retry-After is never earlier than the end of the
 * effective window (draft §6), and the problem names the violated policy
 * (draft §5.1's `violated-policies`).
 */
export function tooManyRequests(policy: QuotaPolicy, msBeforeReset: number): HttpError {
  const seconds = Math.max(1, Math.ceil(msBeforeReset / 1000));
  return new HttpError(429, {
    type: 'too-many-requests',
    detail: `This client has used its ${policy.quota} requests per ${policy.window} s; retry in ${seconds} s.`,
    headers: { 'Retry-After': String(seconds), ...rateLimitHeaders(policy, 0, seconds * 1000) },
    extensions: { 'violated-policies': [policy.name] },
  });
}
