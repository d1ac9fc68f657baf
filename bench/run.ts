/**
 * `npm run bench`: throughput, p99 latency and memory of Rung, on cache hits
 * and cache misses, as a ratio to bare Koa measured in the same run
 * (machines are shared and noisy; only same-run ratios mean anything).
 *
 * The data (the seeded countries plus BENCH_ITEMS generated ones) is loaded
 * into a SQLite file by a process of its own; Rung then starts on that file,
 * like a deployment. Each server runs compiled to JavaScript (bench/build.ts;
 * BENCH_TSX=1 runs them through tsx as `npm run dev` does) in its own process
 * pinned to core 0 (`taskset`); the load generator, wrk, runs on core 1.
 * Every scenario, the bare Koa baseline included, is driven by the same Lua
 * script (bench/load.lua) over requests built here beforehand and read by wrk
 * once, in `init`: a random sequence of items, filter values or writes,
 * seeded anew for every run, so a warm-up cannot fill the caches with the
 * ids measured after it.
 *
 * Bare Koa keeps running beside the server measured, and is measured again
 * just before each scenario: each ratio compares two measurements taken
 * moments apart (the "bare req/s" column), not one taken minutes earlier.
 *
 * Besides req/s and p99, the bench reports the CPU time the server process
 * spent per response (every thread, from /proc/<pid>/stat) and its ratio to
 * bare Koa's: on a busy machine req/s moves with whatever else runs, CPU
 * time per response hardly does. The "floor" row is a hand-built Koa handler
 * sending Rung's body and headers for the random items (bench/servers/
 * floor.ts): no implementation of those responses can beat its ratio here.
 * RSS is the server's VmRSS once started and after every scenario.
 *
 * Workers (issue 13): the random item GET and the 90/10 GET/PATCH mix run
 * again against `rung serve --workers 1`, then `--workers 2`, on the same
 * file; each workers-2 row's ratio is to the workers-1 row just measured.
 * These servers are not pinned, so their CPU and RSS columns cover the
 * primary and its workers. On a 2-core machine wrk keeps one core busy
 * itself: the gain shown is what a second worker adds when the load
 * generator shares the machine, not what a second free core would add.
 *
 * A measurement, not a gate: exits 0 on MISS, non-zero only when the
 * benchmark itself is broken (a server does not start, or a scenario does not
 * answer its expected status). `--check` runs no load at all: it only sends
 * the first requests of every scenario and checks their statuses (npm test
 * does that with a small data set).
 *
 * PostgreSQL (issue 13): BENCH_STORE=postgres runs Rung's scenarios on
 * PostgreSQL instead of SQLite, BENCH_STORE=both on each in turn (the rows
 * of the second marked "PostgreSQL:"), over a database created for the run
 * on the server BENCH_PG_URL names (default postgres://postgres@127.0.0.1:5432/test)
 * and dropped afterwards. Rung then proves every cached response current
 * with one query per request, so the cache-hit rows measure that query too.
 *
 * Env: BENCH_DURATION (s per scenario, default 5), BENCH_WARMUP (s, default 1),
 * BENCH_RUNS (measured runs per scenario, median reported; default 1),
 * BENCH_CONNECTIONS (default 50; writes use 32), BENCH_ITEMS (generated
 * countries, default 100000), BENCH_ONLY ('|'-separated parts of scenario
 * names to run), BENCH_TSX=1, BENCH_NODE_OPTIONS (flags for Rung's node),
 * BENCH_PROFILE=1 (Rung runs under `node --cpu-prof`, profiles in
 * bench/results/profiles), BENCH_MEMORY=1 (Rung prints its V8 heap spaces
 * after each scenario).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { buildServers } from './build.js';
import { NODE_FLAGS } from '../src/cli/node-flags.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');
const duration = Number(process.env.BENCH_DURATION ?? 5);
const warmup = Number(process.env.BENCH_WARMUP ?? 1);
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WRITE_CONNECTIONS = 32;
const only = process.env.BENCH_ONLY?.split('|').map((s) => s.trim().toLowerCase()).filter(Boolean);
const profile = process.env.BENCH_PROFILE === '1';
const storeChoice = (process.env.BENCH_STORE ?? 'sqlite').toLowerCase();
if (!['sqlite', 'postgres', 'both'].includes(storeChoice)) throw new Error(`BENCH_STORE is sqlite, postgres or both, not ${storeChoice}`);
const engines: ('sqlite' | 'postgres')[] = storeChoice === 'both' ? ['sqlite', 'postgres'] : [storeChoice as 'sqlite' | 'postgres'];
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A PostgreSQL database of the run's own; returns its URL and how to drop it. */
async function createPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `rung_bench_${randomInt(2 ** 31).toString(36)}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

interface BenchRequest {
  method: string;
  path: string;
  body?: string;
}

/** A deterministic generator for one run's random sequence (mulberry32). */
type Random = () => number;
function random(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 0 … n-1 in a random order (Fisher–Yates). */
function shuffled(n: number, rnd: Random): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

interface Scenario {
  name: string;
  /** The requests of one run, in the order they are sent (cycled when exhausted). */
  requests(rnd: Random): BenchRequest[];
  headers: Record<string, string>;
  /** Content-Type of requests with a body. */
  contentType?: string;
  /** The status every response must have; anything else is counted as wrong. */
  expect: number;
  connections?: number;
  /** Target: req/s at least this fraction of bare Koa's. */
  minRatio?: number;
  /** Target: p99 latency at most this (ms). */
  maxP99?: number;
}

interface Measurement {
  scenario: string;
  expect: number;
  connections: number;
  reqPerSec: number;
  p99Ms: number;
  rssMb: number;
  ratio: number | null;
  /** Server CPU time per response (µs, every thread): unlike req/s, it hardly moves when other processes take the machine. */
  cpuPerRequestUs: number;
  /** Bare Koa's CPU time per response over this scenario's: the ratio a saturated, otherwise idle core would show. */
  cpuRatio: number | null;
  /** Bare Koa's req/s measured just before this scenario (the ratio's denominator). */
  bareReqPerSec: number | null;
  responses: number;
  /** Responses with another status, plus socket errors and timeouts. */
  wrong: number;
  target: string;
  verdict: 'PASS' | 'MISS' | 'ref';
  /** req/s of every measured run, when BENCH_RUNS > 1. */
  runs?: number[];
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
const work = mkdtempSync(join(tmpdir(), 'rung-bench-'));
const database = join(work, 'bench.db');
const LUA = join(root, 'bench', 'load.lua');

/** A process and its descendants (the workers of `rung serve --workers`): /proc/<pid>/task/<tid>/children. */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      children.push(...readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
    }
  } catch {
    children = [];
  }
  return [pid, ...children.flatMap(processTree)];
}

/** CPU time (user + system, every thread) a process and its descendants have used, in µs. */
function cpuMicros(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    // Fields after the parenthesised command: state is the 3rd, utime the 14th, stime the 15th (in clock ticks).
    const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1e6) / CLOCK_TICKS;
}
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

function runWrk(port: number, s: Scenario, seconds: number, seed: number, pid: number) {
  const file = join(work, 'requests.tsv');
  writeFileSync(file, s.requests(random(seed)).map((r) => `${r.method}\t${r.path}\t${r.body ?? ''}\n`).join(''));
  const env = { ...process.env, RUNG_BENCH_REQUESTS: file, RUNG_BENCH_EXPECT: String(s.expect), RUNG_BENCH_HEADERS: Object.entries(s.headers).map(([k, v]) => `${k}: ${v}`).join('\n'), RUNG_BENCH_CONTENT_TYPE: s.contentType ?? '' };
  const wrk = ['wrk', '-t1', `-c${s.connections ?? connections}`, `-d${Math.max(1, Math.round(seconds))}s`, '--latency', '-s', LUA, `http://127.0.0.1:${port}`];
  const [command, ...args] = hasTaskset ? ['taskset', '-c', '1', ...wrk] : wrk;
  const cpuBefore = cpuMicros(pid);
  const out = execFileSync(command, args, { encoding: 'utf8', env });
  const cpu = cpuMicros(pid) - cpuBefore;
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`wrk printed no result:\n${out}`);
  const r = JSON.parse(line.slice(7)) as { requests: number; durationUs: number; p99Us: number; wrong: number; errors: number };
  return { responses: r.requests, reqPerSec: r.requests / (r.durationUs / 1e6), p99Ms: r.p99Us / 1000, wrong: r.wrong + r.errors, cpuPerRequest: cpu / r.requests };
}

/** Start a server entry point (pinned to core 0); resolves once it prints its port. */
/** Servers run compiled (bench/build.ts), or through tsx as `npm run dev` runs them with BENCH_TSX=1. */
const viaTsx = process.env.BENCH_TSX === '1';
let built = '';
const serverEntry = (entry: string) => (viaTsx ? ['--import', 'tsx', entry] : [join(built, entry.replace(/\.ts$/, '.js'))]);

async function startServer(entry: string, nodeOptions: string[] = [], env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number; info: Record<string, number> }> {
  const node = [process.execPath, ...nodeOptions, ...serverEntry(entry)];
  const [command, ...args] = hasTaskset && !check ? ['taskset', '-c', '0', ...node] : node;
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, RUNG_BENCH_DB: database, ...env } });
  const info = await new Promise<Record<string, number>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${entry} exited (${code}) before listening`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
  });
  return { child, port: info.port, info };
}

/**
 * `rung serve --workers n` on the loaded file (the CLI, compiled like the other servers), not pinned:
 * the workers may use both cores — which wrk, pinned to core 1, shares with them.
 */
async function startWorkers(n: number): Promise<{ child: ChildProcess; port: number }> {
  const args = ['serve', '--port', '0', '--host', '127.0.0.1', '--db', database, '--no-seed', '--anonymous', 'write', '--rate-limit', 'off', '--log-level', 'silent', '--workers', String(n)];
  const child = spawn(process.execPath, [...NODE_FLAGS, ...serverEntry('src/cli/rung.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`rung serve --workers ${n} exited (${code}) before listening`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^Rung listening on (\S+)/.exec(line);
      if (m) resolve(Number(new URL(m[1]).port));
    });
  });
  return { child, port };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Resident set size of a process and its descendants (a primary and its workers), in MB (taskset execs node, so the child's pid is the server's). */
function rssMb(pid: number): number {
  let kb = 0;
  for (const p of processTree(pid)) kb += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

/** Send the first `n` requests of a scenario one by one; throws when one answers another status. */
async function probe(port: number, s: Scenario, n: number): Promise<void> {
  for (const r of s.requests(random(randomInt(2 ** 31))).slice(0, n)) {
    const headers = { ...s.headers, ...(r.body !== undefined && s.contentType ? { 'Content-Type': s.contentType } : {}) };
    const send = () => fetch(`http://127.0.0.1:${port}${r.path}`, { method: r.method, headers, body: r.body });
    // A pooled keep-alive socket may have been closed by the server while the load ran: retry once.
    const response = await send().catch(send);
    const text = await response.text();
    if (response.status !== s.expect) {
      throw new Error(`${s.name}: ${r.method} ${r.path} answered ${response.status}, expected ${s.expect}\n${text.slice(0, 2000)}`);
    }
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

async function measure(port: number, pid: number, s: Scenario, bare?: Measurement, warmupSeconds = warmup): Promise<Measurement> {
  const bareReqPerSec = bare?.reqPerSec;
  await probe(port, s, 3);
  if (warmupSeconds > 0) runWrk(port, s, warmupSeconds, randomInt(2 ** 31), pid);
  const results = Array.from({ length: runs }, () => runWrk(port, s, duration, randomInt(2 ** 31), pid));
  const chosen = results.find((r) => r.reqPerSec === median(results.map((x) => x.reqPerSec)))!;
  const rss = rssMb(pid);
  if (process.env.BENCH_MEMORY === '1' && bareReqPerSec !== undefined) {
    // The Rung server prints its heap spaces on SIGUSR2 (bench/servers/rung.ts).
    process.kill(pid, 'SIGUSR2');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const wrong = results.reduce((n, r) => n + r.wrong, 0);
  const ratio = bareReqPerSec ? chosen.reqPerSec / bareReqPerSec : null;
  const cpuPerRequest = median(results.map((r) => r.cpuPerRequest));

  const targets: string[] = [];
  let met = wrong === 0;
  if (s.minRatio !== undefined) {
    targets.push(`≥ ${s.minRatio.toFixed(2)}`);
    met &&= ratio !== null && ratio >= s.minRatio;
  }
  if (s.maxP99 !== undefined) {
    targets.push(`p99 ≤ ${s.maxP99}`);
    met &&= chosen.p99Ms <= s.maxP99;
  }
  return {
    scenario: s.name,
    expect: s.expect,
    connections: s.connections ?? connections,
    reqPerSec: chosen.reqPerSec,
    p99Ms: chosen.p99Ms,
    rssMb: rss,
    ratio,
    cpuPerRequestUs: cpuPerRequest,
    cpuRatio: bare ? bare.cpuPerRequestUs / cpuPerRequest : null,
    bareReqPerSec: bare?.reqPerSec ?? null,
    responses: chosen.responses,
    wrong,
    target: targets.join(', ') || '—',
    verdict: targets.length === 0 ? 'ref' : met ? 'PASS' : 'MISS',
    ...(runs > 1 ? { runs: results.map((r) => Math.round(r.reqPerSec)) } : {}),
  };
}

function printTable(rows: Measurement[]): void {
  const header = ['scenario', 'conns', 'req/s', 'bare req/s', 'p99 ms', 'RSS MB', 'ratio', 'CPU µs/req', 'CPU ratio', 'wrong', 'target', 'result'];
  const cells = rows.map((m) => [
    `${m.scenario} (${m.expect})`,
    String(m.connections),
    Math.round(m.reqPerSec).toString(),
    m.bareReqPerSec === null ? '' : Math.round(m.bareReqPerSec).toString(),
    m.p99Ms.toFixed(2),
    m.rssMb.toString(),
    m.ratio === null ? '1.00' : m.ratio.toFixed(2),
    m.cpuPerRequestUs.toFixed(1),
    m.cpuRatio === null ? '1.00' : m.cpuRatio.toFixed(2),
    String(m.wrong),
    m.target,
    m.verdict,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i === 0 || i >= 10 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${cells.map(line).join('\n')}\n`);
}

const LD = { Accept: 'application/ld+json' };
const PAGE_SIZE = 20;

/** The bare Koa baseline: the same kind of random request sequence (bare Koa answers every path alike). */
function bareScenario(items: number): Scenario {
  return {
    name: 'bare Koa GET, 600 B JSON',
    requests: (rnd) => shuffled(items, rnd).map((i) => ({ method: 'GET', path: `/countries/${i + 1}` })),
    headers: LD,
    expect: 200,
  };
}

/**
 * The floor: a hand-built handler answering the random item GETs with Rung's
 * body and headers (bench/servers/floor.ts), the ceiling of Rung's ratio.
 */
function floorScenario(ids: number): Scenario {
  return {
    name: `floor: the same random item GET by hand`,
    requests: (rnd) => shuffled(ids, rnd).map((i) => ({ method: 'GET', path: `/countries/${i + 1}` })),
    headers: LD,
    expect: 200,
  };
}

/** Rung's scenarios over `info.lastId` countries, of which those from `generatedFrom` on were generated. */
function rungScenarios(info: Record<string, number>, etag: string): Scenario[] {
  const ids = info.lastId;
  const generated = info.lastId - info.generatedFrom + 1;
  const randomItems = (rnd: Random) => shuffled(ids, rnd).map((i) => ({ method: 'GET', path: `/countries/${i + 1}` }));
  const deepPage = Math.max(1, Math.floor(Math.min(50_000, ids / 2) / PAGE_SIZE));
  const patch = (rnd: Random, i: number) => ({ method: 'PATCH', path: `/countries/${i + 1}`, body: JSON.stringify({ area: Math.round(rnd() * 1e6) / 10 }) });
  return [
    { name: 'item GET, one item (cache hit)', requests: () => [{ method: 'GET', path: '/countries/1' }], headers: LD, expect: 200, minRatio: 0.85 },
    { name: 'item GET 304, one item (cache hit)', requests: () => [{ method: 'GET', path: '/countries/1' }], headers: { ...LD, 'If-None-Match': etag }, expect: 304, minRatio: 0.85 },
    { name: `item GET, random of ${ids}`, requests: randomItems, headers: LD, expect: 200, minRatio: 0.6 },
    { name: `item GET Turtle, random of ${ids}`, requests: randomItems, headers: { Accept: 'text/turtle' }, expect: 200, minRatio: 0.45 },
    { name: `item GET N-Quads, random of ${ids}`, requests: randomItems, headers: { Accept: 'application/n-quads' }, expect: 200, minRatio: 0.45 },
    {
      name: `deep page (offset ${(deepPage - 1) * PAGE_SIZE})`,
      requests: () => [{ method: 'GET', path: `/countries?page=${deepPage}&pageSize=${PAGE_SIZE}` }],
      headers: LD,
      expect: 200,
      minRatio: 0.75,
    },
    {
      // Generated areas take 997 values, ~100 countries each: a page of 20 of them.
      name: 'indexed filter, random area of 997',
      requests: (rnd) => shuffled(generated, rnd).map((i) => ({ method: 'GET', path: `/countries?area=${1000 + (i % 997) * 13.5}` })),
      headers: LD,
      expect: 200,
      minRatio: 0.75,
    },
    {
      name: 'indexed filter, a new capital each request',
      requests: (rnd) => shuffled(generated, rnd).map((i) => ({ method: 'GET', path: `/countries?capital=Capital%20${i}` })),
      headers: LD,
      expect: 200,
    },
    {
      name: '90% random item GET, 10% PATCH',
      requests: (rnd) => shuffled(ids, rnd).map((i) => (rnd() < 0.1 ? patch(rnd, i) : { method: 'GET', path: `/countries/${i + 1}` })),
      headers: LD,
      contentType: 'application/merge-patch+json',
      expect: 200,
      minRatio: 0.45,
      maxP99: 15,
    },
    {
      name: 'PATCH, random item',
      requests: (rnd) => shuffled(ids, rnd).map((i) => patch(rnd, i)),
      headers: LD,
      contentType: 'application/merge-patch+json',
      expect: 200,
      connections: WRITE_CONNECTIONS,
    },
    {
      name: 'POST, a new country',
      requests: (rnd) => Array.from({ length: 1000 }, (_, i) => ({ method: 'POST', path: '/countries', body: JSON.stringify({ name: `Benchland ${i}`, capital: 'Loadtown', area: Math.round(rnd() * 1e5) }) })),
      headers: LD,
      contentType: 'application/ld+json',
      expect: 201,
      connections: WRITE_CONNECTIONS,
    },
  ];
}

/** Issue 13 §4: the scenarios measured under 1 and then 2 workers, in the same run. */
const WORKER_SCENARIOS = ['item GET, random of', '90% random item GET, 10% PATCH'];
const WORKER_COUNTS = [1, 2];

const selected = (s: Scenario) => !only || only.some((o) => s.name.toLowerCase().includes(o));

async function main(): Promise<void> {
  if (!check && !has('wrk')) throw new Error('npm run bench needs wrk (Debian: apt-get install wrk); `node --import tsx bench/run.ts --check` runs without it');
  if (hasTaskset && !check) execFileSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
  if (check) console.log('Rung benchmark, --check: the first requests of every scenario, no load');
  else {
    console.log(
      `Rung benchmark: ${runs} × ${duration} s per scenario after ${warmup} s warm-up, ${connections} connections (writes ${WRITE_CONNECTIONS}), ` +
        `load by wrk, ${hasTaskset ? 'servers on core 0, load on core 1' : 'taskset not found: processes not pinned'}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    );
  }
  const results: Measurement[] = [];
  const workerResults: Measurement[] = [];
  const items = Number(process.env.BENCH_ITEMS ?? 100_000);
  let info: Record<string, number> = {};
  let rssAtStart = NaN;
  let rssAfterRun = NaN;

  if (!viaTsx) built = buildServers(root);
  console.log(`Loading the seeded countries and ${items} generated ones into a SQLite file …`);
  const loaded = JSON.parse(
    execFileSync(process.execPath, [...serverEntry('bench/servers/rung.ts'), '--load', database], { cwd: root, encoding: 'utf8', env: process.env }).trim().split('\n').pop()!,
  ) as { items: number; generatedFrom: number };

  // Bare Koa keeps running (idle but for its own measurements): each scenario's ratio is to bare Koa
  // measured just before it, so both see the same machine.
  const bare = await startServer('bench/servers/bare-koa.ts');
  const bareNow = async (): Promise<Measurement> => {
    const m = await measure(bare.port, bare.child.pid!, bareScenario(items), undefined, 0);
    return m;
  };
  try {
    if (check) await probe(bare.port, bareScenario(items), 20);
    else results.push(await measure(bare.port, bare.child.pid!, bareScenario(items)));

    const floor = await startServer('bench/servers/floor.ts');
    try {
      if (check) await probe(floor.port, floorScenario(loaded.items), 20);
      else if (selected(floorScenario(loaded.items))) results.push(await measure(floor.port, floor.child.pid!, floorScenario(loaded.items), await bareNow()));
    } finally {
      await stopServer(floor.child);
    }

    for (const engine of engines) {
      const label = engine === 'postgres' ? 'PostgreSQL: ' : engines.length > 1 ? 'SQLite: ' : '';
      let env: Record<string, string> = {};
      let pgDatabase: { url: string; drop(): Promise<void> } | undefined;
      if (engine === 'postgres') {
        pgDatabase = await createPgDatabase();
        env = { RUNG_BENCH_DATABASE_URL: pgDatabase.url };
        console.log(`Loading the same countries into PostgreSQL (${new URL(pgDatabase.url).pathname.slice(1)}) …`);
        execFileSync(process.execPath, [...serverEntry('bench/servers/rung.ts'), '--load', database], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
      }
      try {
        console.log(`Starting Rung on ${engine === 'postgres' ? 'PostgreSQL' : 'that file'} …`);
        const profileDir = join(root, 'bench', 'results', 'profiles');
        if (profile) mkdirSync(profileDir, { recursive: true });
        const rung = await startServer('bench/servers/rung.ts', [...NODE_FLAGS, ...(process.env.BENCH_NODE_OPTIONS?.split(' ').filter(Boolean) ?? []), ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])], env);
        info = { ...rung.info, generatedFrom: loaded.generatedFrom };
        try {
          const rss = rssMb(rung.child.pid!);
          if (Number.isNaN(rssAtStart)) rssAtStart = rss;
          const first = await fetch(`http://127.0.0.1:${rung.port}/countries/1`, { headers: LD });
          const etag = first.headers.get('etag');
          if (first.status !== 200 || !etag) throw new Error(`GET /countries/1 answered ${first.status} with ETag ${etag}`);
          const scenarios = rungScenarios(info, etag).map((x) => ({ ...x, name: `${label}${x.name}` }));
          // The server's code is compiled as it first runs: warm it up on every kind of request before measuring any.
          if (!check && warmup > 0) for (const x of scenarios.filter((y) => !y.contentType)) runWrk(rung.port, x, 1, randomInt(2 ** 31), rung.child.pid!);
          for (const x of scenarios.filter(selected)) {
            console.log(`  ${x.name} …`);
            if (check) await probe(rung.port, x, 20);
            else results.push(await measure(rung.port, rung.child.pid!, x, await bareNow()));
          }
          if (Number.isNaN(rssAfterRun)) rssAfterRun = rssMb(rung.child.pid!);
        } finally {
          await stopServer(rung.child);
        }
      } finally {
        await pgDatabase?.drop();
      }
    }

    // From 1 to 2 workers: the same scenarios, the same file, `rung serve --workers n`.
    // (Neither scenario sends If-None-Match: no ETag needed.)
    const perWorkers = rungScenarios(info, '').filter((x) => WORKER_SCENARIOS.some((w) => x.name.startsWith(w)));
    for (const n of check ? [2] : WORKER_COUNTS) {
      const cluster = await startWorkers(n);
      try {
        for (const x of perWorkers) {
          const named = { ...x, name: `workers ${n}: ${x.name}`, minRatio: undefined, maxP99: undefined };
          if (!selected(named)) continue;
          console.log(`  ${named.name} …`);
          if (check) await probe(cluster.port, named, 20);
          else workerResults.push(await measure(cluster.port, cluster.child.pid!, named));
        }
      } finally {
        await stopServer(cluster.child);
      }
    }
  } finally {
    await stopServer(bare.child);
    rmSync(work, { recursive: true, force: true });
  }
  if (check) {
    console.log('Every scenario answers its expected status.');
    return;
  }

  // Each workers-2 row's ratio is to the workers-1 row of the same scenario (the bare Koa column stays empty).
  for (const m of workerResults.filter((r) => r.scenario.startsWith('workers 2: '))) {
    const one = workerResults.find((r) => r.scenario === m.scenario.replace('workers 2: ', 'workers 1: '));
    if (one) m.ratio = m.reqPerSec / one.reqPerSec;
  }
  printTable([...results, ...workerResults]);
  for (const m of workerResults.filter((r) => r.scenario.startsWith('workers 2: ') && r.ratio !== null)) {
    console.log(`From 1 to 2 workers, ${m.scenario.slice('workers 2: '.length)}: × ${m.ratio!.toFixed(2)} req/s (workers on both cores, wrk on core 1 of the same 2).`);
  }
  console.log(`Rung's RSS: ${rssAtStart} MB once started on ${info.items} countries, ${rssAfterRun} MB after every scenario (target ≤ 150 MB).\n`);
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    load: 'wrk',
    loadAverage: readFileSync('/proc/loadavg', 'utf8').trim(),
    duration,
    warmup,
    runs,
    connections,
    pinned: hasTaskset,
    stores: engines,
    items: info.items,
    rssAtStartMb: rssAtStart,
    rssAfterRunMb: rssAfterRun,
    results,
    workers: workerResults,
  };
  writeFileSync(join(root, 'bench', 'results', 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log('Written to bench/results/latest.json');
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
