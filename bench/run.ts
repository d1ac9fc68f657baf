/**
 * `npm run bench`: throughput and p99 latency of Rung's hot paths, as a
 * ratio to bare Koa measured in the same run (machines are shared and noisy;
 * only same-run ratios mean anything).
 *
 * Each server runs in its own child process pinned to core 0; the load
 * generator runs on core 1. The load generator is wrk (Debian package `wrk`)
 * when it is installed — written in C, it keeps one core's server busy where
 * autocannon, itself a Node process, cannot — and autocannon otherwise.
 * BENCH_LOAD=autocannon forces autocannon. A measurement, not a gate:
 * exits 0 on MISS, non-zero only when the benchmark itself is broken (a
 * server does not start, or a scenario does not answer the expected status).
 *
 * Env: BENCH_DURATION (s per scenario, default 10), BENCH_WARMUP (s, default
 * min(2, duration / 3)), BENCH_CONNECTIONS (default 50), BENCH_ITEMS (default 100000).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createHistogram } from 'node:perf_hooks';
import autocannon from 'autocannon';

const root = fileURLToPath(new URL('..', import.meta.url));
const duration = Number(process.env.BENCH_DURATION ?? 10);
const warmup = Number(process.env.BENCH_WARMUP ?? Math.min(2, duration / 3));
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const MAX_P99_MS = 3;

interface Scenario {
  name: string;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The status every response must have; anything else is counted as wrong. */
  expect: number;
  /** Target: req/s at least this fraction of bare Koa's. */
  minRatio?: number;
  /** Target: p99 latency at most this (ms). */
  maxP99?: number;
}

interface Measurement {
  scenario: string;
  expect: number;
  reqPerSec: number;
  p99Ms: number;
  rssMb: number;
  ratio: number | null;
  responses: number;
  /** Responses with another status, plus socket errors and timeouts. */
  wrong: number;
  statusCodes: Record<string, number>;
  target: string;
  verdict: 'PASS' | 'MISS' | 'ref';
}

const has = (command: string) => {
  try {
    execFileSync('which', [command], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const hasTaskset = has('taskset');
const useWrk = process.env.BENCH_LOAD !== 'autocannon' && has('wrk');

/** A wrk Lua script for one scenario: method, headers, body, and a count of unexpected statuses. */
function wrkScript(s: Scenario): string {
  const lua = (v: string) => JSON.stringify(v); // JSON string literals are valid Lua string literals here
  const headers = Object.entries(s.headers ?? {})
    .map(([k, v]) => `wrk.headers[${lua(k)}] = ${lua(v)}`)
    .join('\n');
  return `wrk.method = ${lua(s.method ?? 'GET')}
${headers}
${s.body === undefined ? '' : `wrk.body = ${lua(s.body)}`}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) wrong = 0 end
function response(status, headers, body) if status ~= ${s.expect} then wrong = wrong + 1 end end
function done(summary, latency, requests)
  local w = 0
  for _, t in ipairs(threads) do w = w + t:get("wrong") end
  local e = summary.errors
  io.write(string.format('RESULT {"requests":%d,"durationUs":%d,"p99Us":%d,"wrong":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(99), w, e.connect + e.read + e.write + e.timeout))
end
`;
}

interface LoadResult {
  responses: number;
  seconds: number;
  p99Ms: number;
  wrong: number;
  statusCodes: Record<string, number>;
}

/** Run wrk on core 1 for `seconds`; parse the RESULT line the script prints. */
function runWrk(port: number, s: Scenario, seconds: number): LoadResult {
  const script = join(mkdtempSync(join(tmpdir(), 'rung-wrk-')), 'scenario.lua');
  writeFileSync(script, wrkScript(s));
  const wrk = ['wrk', '-t1', `-c${connections}`, `-d${Math.max(1, Math.round(seconds))}s`, '--latency', '-s', script, `http://127.0.0.1:${port}${s.path}`];
  const [command, ...args] = hasTaskset ? ['taskset', '-c', '1', ...wrk] : wrk;
  const out = execFileSync(command, args, { encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`wrk printed no result:\n${out}`);
  const r = JSON.parse(line.slice(7)) as { requests: number; durationUs: number; p99Us: number; wrong: number; errors: number };
  return {
    responses: r.requests,
    seconds: r.durationUs / 1e6,
    p99Ms: r.p99Us / 1000,
    wrong: r.wrong + r.errors,
    statusCodes: { [String(s.expect)]: r.requests - r.wrong },
  };
}

/** Run autocannon in this process (pinned to core 1 by main). */
async function runAutocannon(port: number, s: Scenario, seconds: number): Promise<LoadResult> {
  const options = {
    url: `http://127.0.0.1:${port}${s.path}`,
    method: s.method ?? 'GET',
    headers: s.headers ?? {},
    ...(s.body === undefined ? {} : { body: s.body }),
    connections,
  };
  // autocannon's own histogram has 1 ms resolution; keep microseconds for the p99 target.
  const latency = createHistogram();
  const run = autocannon({ ...options, duration: seconds });
  run.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latency.record(Math.max(1, Math.round(ms * 1000))));
  const result = await run;
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]));
  const responses = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return {
    responses,
    seconds: result.duration,
    p99Ms: latency.percentile(99) / 1000,
    wrong: responses - (statusCodes[s.expect] ?? 0) + result.errors + result.timeouts,
    statusCodes,
  };
}

const load = (port: number, s: Scenario, seconds: number) => (useWrk ? Promise.resolve(runWrk(port, s, seconds)) : runAutocannon(port, s, seconds));

/** Start a server entry point (pinned to core 0); resolves once it prints its port. */
async function startServer(entry: string): Promise<{ child: ChildProcess; port: number; info: Record<string, number> }> {
  const node = [process.execPath, '--import', 'tsx', entry];
  const [command, ...args] = hasTaskset ? ['taskset', '-c', '0', ...node] : node;
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const info = await new Promise<Record<string, number>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${entry} exited (${code}) before listening`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
  });
  return { child, port: info.port, info };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Resident set size of a process, in MB (taskset execs node, so the child's pid is the server's). */
function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb ? Math.round(Number(kb) / 1024) : NaN;
}

/** One request, to check the scenario answers what it should before loading it. */
async function probe(port: number, s: Scenario): Promise<Response> {
  const request = () => fetch(`http://127.0.0.1:${port}${s.path}`, { method: s.method ?? 'GET', headers: s.headers, body: s.body });
  // A pooled keep-alive socket may have been closed by the server while the load ran: retry once.
  const response = await request().catch(request);
  if (response.status !== s.expect) {
    throw new Error(`${s.name}: ${s.method ?? 'GET'} ${s.path} answered ${response.status}, expected ${s.expect}\n${await response.text()}`);
  }
  return response;
}

async function measure(port: number, pid: number, s: Scenario, bareReqPerSec?: number): Promise<Measurement> {
  await probe(port, s);
  if (warmup > 0) await load(port, s, warmup);
  const { responses, seconds, p99Ms, wrong, statusCodes } = await load(port, s, duration);
  const rss = rssMb(pid);
  const reqPerSec = responses / seconds;
  const ratio = bareReqPerSec ? reqPerSec / bareReqPerSec : null;

  const targets: string[] = [];
  let met = wrong === 0;
  if (s.minRatio !== undefined) {
    targets.push(`≥ ${s.minRatio.toFixed(2)}`);
    met &&= ratio !== null && ratio >= s.minRatio;
  }
  if (s.maxP99 !== undefined) {
    targets.push(`p99 ≤ ${s.maxP99}`);
    met &&= p99Ms <= s.maxP99;
  }
  const verdict = targets.length === 0 ? 'ref' : met ? 'PASS' : 'MISS';
  return { scenario: s.name, expect: s.expect, reqPerSec, p99Ms, rssMb: rss, ratio, responses, wrong, statusCodes, target: targets.join(', ') || '—', verdict };
}

function printTable(rows: Measurement[]): void {
  const header = ['scenario', 'req/s', 'p99 ms', 'RSS MB', 'ratio', 'wrong', 'target', 'result'];
  const cells = rows.map((m) => [
    `${m.scenario} (${m.expect})`,
    Math.round(m.reqPerSec).toString(),
    m.p99Ms.toFixed(2),
    m.rssMb.toString(),
    m.ratio === null ? '1.00' : m.ratio.toFixed(2),
    m.wrong ? `${m.wrong} ${JSON.stringify(m.statusCodes)}` : '0',
    m.target,
    m.verdict,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i === 0 || i >= 5 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${cells.map(line).join('\n')}\n`);
}

async function main(): Promise<void> {
  if (hasTaskset) execFileSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
  console.log(
    `Rung benchmark: ${duration} s per scenario after ${warmup} s warm-up, ${connections} connections, ` +
      `load by ${useWrk ? 'wrk' : 'autocannon'}, ` +
      (hasTaskset ? 'servers on core 0, load on core 1' : 'taskset not found: processes not pinned'),
  );
  const results: Measurement[] = [];

  const bare = await startServer('bench/servers/bare-koa.ts');
  try {
    results.push(await measure(bare.port, bare.child.pid!, { name: 'bare Koa GET', path: '/', expect: 200 }));
  } finally {
    await stopServer(bare.child);
  }
  const baseline = results[0].reqPerSec;

  console.log('Starting Rung with the seeded countries and the generated items …');
  const rung = await startServer('bench/servers/rung.ts');
  try {
    const ld = { Accept: 'application/ld+json' };
    const item = '/countries/1';
    const etag = (await probe(rung.port, { name: 'ETag', path: item, headers: ld, expect: 200 })).headers.get('etag');
    if (!etag) throw new Error(`GET ${item} sent no ETag`);
    const pageSize = 20;
    const middlePage = Math.max(1, Math.floor(rung.info.items / pageSize / 2));
    const scenarios: Scenario[] = [
      { name: 'item GET', path: item, headers: ld, expect: 200, minRatio: 0.75, maxP99: MAX_P99_MS },
      { name: 'item GET 304', path: item, headers: { ...ld, 'If-None-Match': etag }, expect: 304, minRatio: 0.85, maxP99: MAX_P99_MS },
      { name: `collection p${middlePage}×${pageSize}`, path: `/countries?page=${middlePage}&pageSize=${pageSize}`, headers: ld, expect: 200, minRatio: 0.7, maxP99: MAX_P99_MS },
      {
        name: 'POST item',
        path: '/countries',
        method: 'POST',
        headers: { ...ld, 'Content-Type': 'application/ld+json' },
        body: JSON.stringify({ name: 'Benchland', capital: 'Loadtown', area: 1234.5 }),
        expect: 201,
        maxP99: MAX_P99_MS,
      },
    ];
    for (const s of scenarios) {
      console.log(`  ${s.name} …`);
      results.push(await measure(rung.port, rung.child.pid!, s, baseline));
    }
  } finally {
    await stopServer(rung.child);
  }

  printTable(results);
  mkdirSync(`${root}bench/results`, { recursive: true });
  const report = { date: new Date().toISOString(), node: process.version, load: useWrk ? 'wrk' : 'autocannon', duration, warmup, connections, pinned: hasTaskset, items: rung.info.items, results };
  writeFileSync(`${root}bench/results/latest.json`, `${JSON.stringify(report, null, 2)}\n`);
  console.log('Written to bench/results/latest.json');
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
