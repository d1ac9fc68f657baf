/**
 * Rung's example API on a temporary SQLite file: the seeded countries plus
 * BENCH_ITEMS (default 100,000) generated ones. Prints `{"port": n, "items": n}`
 * on stdout once listening; on SIGTERM stops and removes the temporary file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createExampleApi } from '../../src/example/index.js';
import { startServer } from '../../src/server/listen.js';

const items = Number(process.env.BENCH_ITEMS ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'rung-bench-'));
// No rate limit: wrk and autocannon send far more than any one client may (issue 14).
const rung = await createExampleApi({ db: join(dir, 'bench.db'), logger: pino({ level: 'silent' }), rateLimit: false });

const rows = Array.from({ length: items }, (_, i) => ({
  name: `Country ${String(i).padStart(6, '0')}`,
  capital: `Capital ${i}`,
  area: 1000 + (i % 997) * 13.5,
}));
await rung.runtime.store.insertMany(rung.runtime.registry.get('Country')!.model, rows);
const total = await rung.runtime.store.count(rung.runtime.registry.get('Country')!.model);

const running = await startServer(rung, { port: 0, host: '127.0.0.1', shutdownGraceMs: 1000 });
console.log(JSON.stringify({ port: Number(new URL(running.url).port), items: total }));

process.on('SIGTERM', () => {
  running.stop().finally(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
