/**
 * Koa wiring of the health endpoints (rules: http/health.ts). Mounted in
 * app.ts before credentials and the rate limiter: probes are anonymous even
 * when the API needs tokens, never count against a quota, and are never
 * served from the response cache.
 */
import type { Context, Next } from 'koa';
import { HEALTH_HEADERS, healthAnswer, probeOf, type HealthState } from '../http/health.js';
import { methodNotAllowed } from '../http/errors.js';

export interface HealthSources {
  /** The store's cheap ping (Store.ping). */
  ping(): Promise<void>;
  /** True once the server drains (listen.ts sets it on stop). */
  draining(): boolean;
  /** Longest wait for the ping before readiness fails (ms; default 2000). */
  pingTimeoutMs?: number;
}

const ALLOW = ['GET', 'HEAD', 'OPTIONS'];

/** Resolves to undefined when `ping` answered within `ms`, else to why not. */
async function pingFailure(ping: () => Promise<void>, ms: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${ms} ms`), ms);
  });
  try {
    return await Promise.race([ping().then(() => undefined), timeout]);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}

export function healthChecks(sources: HealthSources) {
  const timeoutMs = sources.pingTimeoutMs ?? 2000;
  return async function answerHealthProbe(ctx: Context, next: Next) {
    const probe = probeOf(ctx.path);
    if (!probe) return next();
    if (ctx.method === 'OPTIONS') {
      ctx.set('Allow', ALLOW.join(', '));
      ctx.status = 204;
      return;
    }
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') throw methodNotAllowed(ctx.method, ALLOW);
    const state: HealthState = { draining: sources.draining() };
    if (probe === 'ready' && !state.draining) {
      state.storeFailure = await pingFailure(sources.ping, timeoutMs);
      if (state.storeFailure !== undefined) ctx.state.log?.warn({ reason: state.storeFailure }, 'readiness: the store does not answer');
    }
    const answer = healthAnswer(probe, state);
    if (answer instanceof Error) throw answer;
    ctx.status = 200;
    ctx.set(HEALTH_HEADERS);
    ctx.body = JSON.stringify(answer);
  };
}
