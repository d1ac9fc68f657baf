/**
 * Rung's example API on a temporary SQLite file: the seeded countries plus
 * BENCH_ITEMS (default 100,000) generated ones, loaded in chunks so the
 * loading itself does not inflate the heap. Prints
 * `{"port": n, "items": n, "firstId": n, "lastId": n}` on stdout once
 * listening; on SIGTERM stops and removes the temporary file.
 *
 * Generated country i is named `Country 00000i`, has the capital `Capital i`
 * (an indexed filter) and an area.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapSpaceStatistics } from 'node:v8';
import pino from 'pino';
import { createExampleApi } from '../../src/example/index.js';
import { startServer } from '../../src/server/listen.js';

const items = Number(process.env.BENCH_ITEMS ?? 100_000);
const CHUNK = 5000;
const dir = mkdtempSync(join(tmpdir(), 'rung-bench-'));
const rung = await createExampleApi({ db: join(dir, 'bench.db'), logger: pino({ level: 'silent' }) });
const model = rung.runtime.registry.get('Country')!.model;
const seeded = await rung.store.count(model);

for (let start = 0; start < items; start += CHUNK) {
  const rows = Array.from({ length: Math.min(CHUNK, items - start) }, (_, k) => {
    const i = start + k;
    return { name: `Country ${String(i).padStart(6, '0')}`, capital: `Capital ${i}`, area: 1000 + (i % 997) * 13.5 };
  });
  await rung.store.insertMany(model, rows);
}
const total = await rung.store.count(model);

const running = await startServer(rung, { port: 0, host: '127.0.0.1', shutdownGraceMs: 1000 });
// Ids are assigned in order: the seeded countries first, then the generated ones.
console.log(JSON.stringify({ port: Number(new URL(running.url).port), items: total, firstId: 1, lastId: total, generatedFrom: seeded + 1 }));

// Diagnostics: `kill -USR2 <pid>` prints where the memory is (V8 heap spaces, external, RSS) to stderr.
process.on('SIGUSR2', () => {
  const mb = (n: number) => Math.round(n / 1048576);
  const usage = Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, mb(v)]));
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, mb(s.space_size)]));
  console.error(JSON.stringify({ usage, spaces }));
});

process.on('SIGTERM', () => {
  running.stop().finally(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
