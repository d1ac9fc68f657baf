/**
 * Rung's example API for the benchmark.
 *
 * `rung.ts --load <file>` creates the SQLite file: the seeded countries plus
 * BENCH_ITEMS (default 100,000) generated ones, inserted in chunks, then
 * exits printing `{"items": n, "generatedFrom": n}`. The server itself then
 * starts on the populated file, like any deployment, so its memory holds
 * nothing of the loading.
 *
 * `rung.ts` (RUNG_BENCH_DB=<file>) serves the file and prints
 * `{"port": n, "items": n, "lastId": n, "generatedFrom": n}` once listening;
 * it stops on SIGTERM.
 *
 * With RUNG_BENCH_DATABASE_URL (postgres://…) both steps use that
 * PostgreSQL database instead of the file.
 *
 * Generated country i is named `Country 00000i`, has the capital `Capital i`
 * and the area 1000 + (i mod 997) × 13.5 (indexed filters).
 */
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import pino from 'pino';
import { createExampleApi } from '../../src/example/index.js';
import { startServer } from '../../src/server/listen.js';

const load = process.argv.indexOf('--load');
const file = load >= 0 ? process.argv[load + 1] : process.env.RUNG_BENCH_DB;
if (!file) throw new Error('usage: rung.ts --load <file> | RUNG_BENCH_DB=<file> rung.ts');
// No rate limit: wrk sends far more than any one client may (issue 14).
const databaseUrl = process.env.RUNG_BENCH_DATABASE_URL;
/** RUNG_CACHE_SIZE (MiB), read as `rung serve` reads it; unset: Rung's default. */
function cacheSize(): { renderCacheBytes?: number } {
  const mib = process.env.RUNG_CACHE_SIZE;
  return mib === undefined || mib === '' ? {} : { renderCacheBytes: Math.round(Number(mib) * 1024 * 1024) };
}
const rung = await createExampleApi({ ...(databaseUrl ? { databaseUrl } : { db: file }), logger: pino({ level: 'silent' }), seed: load >= 0, rateLimit: false, ...cacheSize() });
const model = rung.runtime.registry.get('Country')!.model;

if (load >= 0) {
  const items = Number(process.env.BENCH_ITEMS ?? 100_000);
  const seeded = await rung.store.count(model);
  const CHUNK = 5000;
  for (let start = 0; start < items; start += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, items - start) }, (_, k) => {
      const i = start + k;
      return { name: `Country ${String(i).padStart(6, '0')}`, capital: `Capital ${i}`, area: 1000 + (i % 997) * 13.5 };
    });
    await rung.store.insertMany(model, rows);
  }
  console.log(JSON.stringify({ items: await rung.store.count(model), generatedFrom: seeded + 1 }));
  await rung.close();
} else {
  if (process.env.BENCH_PRAGMA && !databaseUrl) (rung.store as unknown as { db: { pragma(s: string): unknown } }).db.pragma(process.env.BENCH_PRAGMA);
  const total = await rung.store.count(model);
  const running = await startServer(rung, { port: 0, host: '127.0.0.1', shutdownGraceMs: 1000 });
  // Ids are assigned in order: the seeded countries first, then the generated ones.
  console.log(JSON.stringify({ port: Number(new URL(running.url).port), items: total, lastId: total }));

  // Diagnostics: `kill -USR2 <pid>` prints where the memory is (V8 heap spaces, external, RSS) to stderr.
  process.on('SIGUSR2', () => {
    const mb = (n: number) => Math.round(n / 1048576);
    const usage = Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, mb(v)]));
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, mb(s.space_size)]));
    console.error(JSON.stringify({ usage, spaces }));
    if (process.env.BENCH_HEAP_SNAPSHOT) console.error(`heap snapshot: ${writeHeapSnapshot()}`);
  });
  process.on('SIGTERM', () => {
    running.stop().finally(() => process.exit(0));
  });
}
