/**
 * Build a Rung Koa application from resource definitions.
 *
 * ```ts
 * const rung = await createRung({ resources: [country, event, guest] });
 * rung.app.listen(3000);
 * ```
 */
import Koa from 'koa';
import { problemDetails } from '../http/problem.js';
import { responseCache } from './response-cache.js';
import { requestContext } from '../http/request-context.js';
import type { RungOptions } from './options.js';
import { createRouter } from './routes.js';
import { seed } from './seed.js';
import { markLevels, serveLevels } from './levels/index.js';
import type { Store } from '../store/store.js';
import { Runtime } from './runtime.js';
import type { TokenStore } from '../store/tokens.js';
import { securityHeaders } from '../http/security-headers.js';
import { enforceAccess, identifyCaller } from './auth.js';
import { corsMiddleware } from './cors.js';
import { rateLimit } from './rate-limit.js';
import { healthChecks } from './health.js';

export interface Rung {
  /** The Koa application: `rung.app.callback()` for node:http or supertest. */
  app: Koa;
  /** The composition root (compiled resources, store, builders); for tools and tests, not for handlers. */
  runtime: Runtime;
  /** The store every resource is kept in. */
  store: Store;
  /** The API's bearer tokens: create, list, revoke (what `rung token` does). */
  tokens: TokenStore;
  /**
   * Put `rows` into an empty top-level collection, validated like a POST
   * (relations as `/countries/5` or a bare id). Returns how many were added:
   * 0 when the collection already has items.
   */
  seed(resource: string, rows: Record<string, unknown>[]): Promise<number>;
  /** Close the store (when Rung opened it). */
  close(): Promise<void>;
}

export async function createRung(options: RungOptions): Promise<Rung> {
  const runtime = await Runtime.create(options);
  const app = new Koa();
  app.proxy = false;
  // Errors are rendered by the problem boundary; Koa's own handler would only log twice.
  app.silent = true;
  const router = createRouter(runtime);
  const { auth, rateLimit: limits, cors } = runtime.options;
  app.use(
    requestContext({
      log: runtime.log,
      publicBaseUrl: runtime.options.publicBaseUrl,
      apiDocumentationLink: (base) => runtime.apiDocumentationLink(base),
    }),
  );
  app.use(securityHeaders());
  // Preflight requests are answered here, before credentials or quotas count.
  if (cors) app.use(corsMiddleware(cors));
  if (runtime.options.levels) app.use(markLevels());
  app.use(problemDetails());
  // Liveness and readiness: anonymous, before credentials and quotas, never cached (health.ts).
  app.use(healthChecks({ ping: () => runtime.store.ping(), draining: () => runtime.draining }));
  // Who calls (token lookup), how often (rate limit), and whether they may (401/403): server/auth.ts.
  app.use(identifyCaller(auth, runtime.tokens));
  if (limits) app.use(rateLimit(limits));
  app.use(enforceAccess(auth));
  if (runtime.options.levels) app.use(serveLevels(runtime));
  app.use(
    responseCache({
      maxBytes: runtime.options.renderCacheBytes,
      freshness: () => runtime.store.freshness(),
    }),
  );
  app.use(router.routes());
  return {
    app,
    runtime,
    store: runtime.store,
    tokens: runtime.tokens,
    seed: (resource, rows) => seed(runtime, resource, rows),
    close: () => runtime.close(),
  };
}
