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
import { Runtime } from './runtime.js';

export interface Rung {
  app: Koa;
  runtime: Runtime;
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
  app.use(
    requestContext({
      log: runtime.log,
      publicBaseUrl: runtime.options.publicBaseUrl,
      apiDocumentationLink: (base) => runtime.apiDocumentationLink(base),
    }),
  );
  app.use(problemDetails());
  app.use(
    responseCache({
      maxBytes: runtime.options.renderCacheBytes / 2,
      changeCounter: () => runtime.store.changeCounter(),
    }),
  );
  app.use(router.routes());
  return { app, runtime, close: () => runtime.close() };
}
