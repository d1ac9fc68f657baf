/**
 * Per-client rate limiting with rate-limiter-flexible: a fixed window of
 * `requests` per `window` seconds for each client — its token when it sent
 * a valid one, else its address. Every answer carries `RateLimit-Policy`
 * and `RateLimit`; a request over the quota gets 429 with `Retry-After` and
 * does nothing.
 *
 * The counters live in process memory (`RateLimiterMemory`): right for one
 * process. Several processes or machines share a quota through a limiter
 * on a shared store (rate-limiter-flexible's Redis, PostgreSQL, SQLite …
 * limiters), given as `rateLimit.limiter`; its `points` and `duration`
 * then define the policy.
 *
 * Behind a reverse proxy every client has the proxy's address: give each
 * client a token, or rate limit at the proxy.
 */
import type { Context, Next } from 'koa';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { rateLimitHeaders, tooManyRequests, type QuotaPolicy } from '../http/rate-limit.js';
import type { Caller } from './auth.js';

export interface RateLimitSettings {
  /** Requests per window for each client. */
  requests: number;
  /** The window, in seconds. */
  window: number;
  /** A limiter of your own (e.g. on a shared store); its points and duration win. */
  limiter?: RateLimiterAbstract;
}

/** The partition a request counts against: its token, or its address. */
export function clientKey(ctx: Context): string {
  const caller = ctx.state.caller as Caller | undefined;
  return caller?.tokenId !== undefined ? `token:${caller.tokenId}` : `address:${ctx.ip}`;
}

export function rateLimit(settings: RateLimitSettings) {
  const limiter = settings.limiter ?? new RateLimiterMemory({ points: settings.requests, duration: settings.window, keyPrefix: 'rung' });
  const policy: QuotaPolicy = { name: 'default', quota: limiter.points, window: limiter.duration };
  return async function limitRate(ctx: Context, next: Next) {
    let outcome: RateLimiterRes;
    try {
      outcome = await limiter.consume(clientKey(ctx));
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw tooManyRequests(policy, rejection.msBeforeNext);
      // The limiter's store failed: serve the request (availability first) and say so in the log.
      ctx.state.log?.warn({ err: rejection, requestId: ctx.state.requestId }, 'rate limiter unavailable');
      return next();
    }
    ctx.set(rateLimitHeaders(policy, outcome.remainingPoints, outcome.msBeforeNext));
    return next();
  };
}
