/**
 * Seeding: rows an application puts into an empty collection at start
 * (the example's countries, an API file's `seed:` data). They go through the
 * same validation as a POST, so bad seed data fails the start with a clear
 * message instead of storing what the API would refuse.
 */
import { HttpError } from '../http/errors.js';
import { toValues } from '../resources/input.js';
import type { Values } from '../store/store.js';
import type { Runtime } from './runtime.js';

/** Base that relation values in seed rows are read against: `/countries/5` or a bare id. */
const SEED_BASE = 'http://seed.invalid';

/**
 * Insert `rows` into `resourceName`'s collection when it is empty, in one
 * transaction. Returns how many rows were added (0 when it was not empty).
 */
export async function seed(runtime: Runtime, resourceName: string, rows: Record<string, unknown>[]): Promise<number> {
  const resource = runtime.registry.get(resourceName);
  if (!resource) throw new Error(`Cannot seed ${resourceName}: no resource of that name is declared`);
  if (resource.parent) throw new Error(`Cannot seed ${resourceName}: nested resources are created under their parent`);
  if ((await runtime.store.count(resource.model)) > 0) return 0;
  const input = { base: SEED_BASE, resource, contexts: runtime.contexts, store: runtime.store };
  const values: Values[] = [];
  for (const [index, row] of rows.entries()) {
    try {
      values.push(await toValues(row, input));
    } catch (err) {
      const violations = err instanceof HttpError ? (err.extensions.violations as { pointer: string; message: string }[] | undefined) : undefined;
      if (!violations) throw err;
      const list = violations.map((v) => `${v.pointer || '/'} ${v.message}`).join('; ');
      // `row` and `violations` let a caller point at the row (an API file names its line).
      throw Object.assign(new Error(`Seed row ${index} of ${resourceName} is not a valid ${resourceName}: ${list}`), { row: index, violations });
    }
  }
  // Another process or instance may have seeded since the count: only one of them writes.
  return (await runtime.store.seedIfEmpty(resource.model, values)) ? values.length : 0;
}
