/**
 * `npm run soak`: Rung under mixed reads and writes at the machine's
 * capacity for SOAK_SECONDS (default 60), on loopback, and a check that it
 * lost nothing (issue 15 §4).
 *
 * The server is the compiled CLI (`node bin/rung.js serve`) on a SQLite file
 * of its own in a temporary directory (SOAK_DATABASE_URL, when set, is
 * passed as `--database-url` for an engine that takes one), pinned to core 0
 * when `taskset` exists; the load runs here, on core 1. SOAK_CONNECTIONS
 * virtual users (default 32) each loop over: GET of a random item (70%), PATCH
 * (15%, every other one with If-Match), POST (10%) and DELETE (5%) of items
 * that user created. Each item is written by its owner only, one request at
 * a time, so the last acknowledged write of each is known exactly: at the end
 * every one is read back and must have that write's content and ETag (which
 * carries the version), and every acknowledged DELETE must be a 404. A write
 * that got no answer (a socket error) may or may not have happened: its item
 * is left out of the check and counted.
 *
 * Reports: 5xx count (must be 0), lost writes (must be 0), throughput, p99,
 * and the server process's RSS (VmRSS from /proc/<pid>/status) at the end
 * of the warm-up (the first 20%) and at the end: drift ≤ 10% (judged only on
 * runs of 30 s or more). The server's response cache is SOAK_CACHE_SIZE MiB
 * (`--cache-size`, default 2 here, 16 in `rung serve`): the drift is a leak
 * check, and it means something only once the caches — bounded in bytes — are
 * full, which at 16 MiB takes longer than the warm-up (the caches keep
 * filling for minutes as the data grows, and read as drift). Prints one `SOAK {json}` line; exits 1 when a limit
 * is broken, 2 when the soak itself could not run. SOAK_TAMPER=1 changes one
 * acknowledged item before the check, which must then report it lost.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const seconds = Number(process.env.SOAK_SECONDS ?? 60);
const connections = Number(process.env.SOAK_CONNECTIONS ?? 32);
const cacheSize = process.env.SOAK_CACHE_SIZE ?? '2';
const RSS_DRIFT_LIMIT = 0.1;
const RSS_MIN_SECONDS = 30;

const hasTaskset = (() => {
  try {
    execFileSync('which', ['taskset'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

interface Reply {
  status: number;
  etag?: string;
  location?: string;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: connections });
let port = 0;

function send(method: string, path: string, body?: object, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = body && JSON.stringify(body);
    const all: Record<string, string> = { Accept: 'application/json', ...headers };
    if (payload) all['Content-Type'] = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers: all }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, etag: res.headers.etag, location: res.headers.location, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb ? Number(kb) / 1024 : NaN;
}

/** What the owner last had acknowledged for one item. */
interface Expected {
  values: { name: string; capital: string; area: number };
  etag: string;
  deleted: boolean;
  /** A write without an answer: the item's state is unknown. */
  uncertain: boolean;
}

const stats = { requests: 0, fiveXx: 0, unexpected: [] as string[], socketErrors: 0, latencies: [] as number[] };
const expected = new Map<number, Expected>();

function record(method: string, path: string, started: number, reply: Reply, ok: number[]): void {
  stats.requests++;
  stats.latencies.push(performance.now() - started);
  if (reply.status >= 500) stats.fiveXx++;
  if (!ok.includes(reply.status) && stats.unexpected.length < 20) stats.unexpected.push(`${method} ${path} → ${reply.status} ${reply.body.slice(0, 200)}`);
}

/** One virtual user: its own items, written one request at a time, until `deadline`. */
async function user(index: number, deadline: number, seededIds: number): Promise<void> {
  const mine: number[] = [];
  let n = 0;
  while (performance.now() < deadline) {
    n++;
    const roll = Math.random();
    const started = performance.now();
    try {
      if (roll < 0.7 || (mine.length === 0 && roll < 0.9)) {
        const own = mine.length > 0 && roll < 0.2;
        const id = own ? mine[Math.floor(Math.random() * mine.length)] : 1 + Math.floor(Math.random() * seededIds);
        const path = `/countries/${id}`;
        const reply = await send('GET', path);
        record('GET', path, started, reply, [200]);
        // Read-your-writes: an owner reads what it last wrote.
        const want = expected.get(id);
        if (own && want && !want.uncertain && reply.status === 200 && JSON.parse(reply.body).capital !== want.values.capital) {
          stats.unexpected.push(`GET ${path}: capital ${JSON.parse(reply.body).capital}, last acknowledged ${want.values.capital}`);
        }
      } else if (roll < 0.85 && mine.length > 0) {
        const id = mine[Math.floor(Math.random() * mine.length)];
        const want = expected.get(id)!;
        const path = `/countries/${id}`;
        const capital = `Capital ${index}.${n}`;
        const conditional = n % 2 === 0 && !want.uncertain;
        want.uncertain = true;
        const reply = await send('PATCH', path, { capital }, conditional ? { 'If-Match': want.etag } : {});
        record('PATCH', path, started, reply, [200]);
        if (reply.status === 200) Object.assign(want, { values: { ...want.values, capital }, etag: reply.etag!, uncertain: false });
        else if (reply.status < 500) want.uncertain = false;
      } else if (roll < 0.95 || mine.length < 3) {
        const values = { name: `Soak ${index}.${n}`, capital: `Capital ${index}.${n}`, area: n };
        const reply = await send('POST', '/countries', values);
        record('POST', '/countries', started, reply, [201]);
        if (reply.status === 201) {
          const id = Number(new URL(reply.location!).pathname.split('/').pop());
          mine.push(id);
          expected.set(id, { values, etag: reply.etag!, deleted: false, uncertain: false });
        }
      } else {
        const id = mine.splice(Math.floor(Math.random() * mine.length), 1)[0];
        const want = expected.get(id)!;
        want.uncertain = true;
        const path = `/countries/${id}`;
        const reply = await send('DELETE', path);
        record('DELETE', path, started, reply, [204]);
        if (reply.status === 204) Object.assign(want, { deleted: true, uncertain: false });
      }
    } catch {
      // No answer: a write in flight may or may not have happened (its item stays uncertain).
      stats.socketErrors++;
    }
  }
}

/** Read every item back: the last acknowledged write of each must be there, exactly. */
async function verify(): Promise<{ checked: number; lost: string[]; uncertain: number }> {
  const lost: string[] = [];
  let checked = 0;
  let uncertain = 0;
  for (const [id, want] of expected) {
    if (want.uncertain) {
      uncertain++;
      continue;
    }
    checked++;
    const reply = await send('GET', `/countries/${id}`);
    if (want.deleted) {
      if (reply.status !== 404) lost.push(`/countries/${id}: deleted, but answers ${reply.status}`);
      continue;
    }
    const body = reply.status === 200 ? JSON.parse(reply.body) : {};
    const same = body.name === want.values.name && body.capital === want.values.capital && body.area === want.values.area;
    if (reply.status !== 200 || !same || reply.etag !== want.etag) {
      lost.push(`/countries/${id}: expected ${JSON.stringify(want.values)} ${want.etag}, found ${reply.status} ${reply.body.slice(0, 120)} ${reply.etag}`);
    }
  }
  return { checked, lost, uncertain };
}

async function main(): Promise<number> {
  if (!existsSync(join(root, 'dist', 'cli', 'rung.js'))) execFileSync(process.execPath, ['scripts/build.js'], { cwd: root, stdio: 'inherit' });
  if (hasTaskset) execFileSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
  const work = mkdtempSync(join(tmpdir(), 'rung-soak-'));
  const args = ['bin/rung.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--db', join(work, 'soak.db'), '--anonymous', 'write', '--rate-limit', 'off', '--log-level', 'silent', '--cache-size', cacheSize];
  if (process.env.SOAK_DATABASE_URL) args.push('--database-url', process.env.SOAK_DATABASE_URL);
  const [command, ...rest] = hasTaskset ? ['taskset', '-c', '0', process.execPath, ...args] : [process.execPath, ...args];
  // taskset execs node: the child's pid is the server's own (RSS is read from it, not from a wrapper).
  const server = spawn(command, rest, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => server.once('exit', resolve));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      server.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening`)));
      createInterface({ input: server.stdout! }).on('line', (line) => {
        const m = /^Rung listening on (\S+)/.exec(line);
        if (m) resolve(m[1]);
      });
    });
    port = Number(new URL(url).port);
    const seeded = JSON.parse((await send('GET', '/countries?pageSize=1')).body).totalItems as number;
    console.log(
      `Rung soak: ${seconds} s, ${connections} connections, 70% GET / 15% PATCH / 10% POST / 5% DELETE over ${seeded} seeded countries, ${cacheSize} MiB response cache; ` +
        `${hasTaskset ? 'server on core 0, load on core 1' : 'processes not pinned'}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    );
    const start = performance.now();
    const deadline = start + seconds * 1000;
    const warmupEnd = start + seconds * 200;
    const rssAtStart = rssMb(server.pid!);
    let rssAfterWarmup = NaN;
    let requestsAtWarmup = 0;
    const sampler = setInterval(() => {
      if (Number.isNaN(rssAfterWarmup) && performance.now() >= warmupEnd) {
        rssAfterWarmup = rssMb(server.pid!);
        requestsAtWarmup = stats.requests;
      }
    }, 100);
    await Promise.all(Array.from({ length: connections }, (_, i) => user(i, deadline, seeded)));
    clearInterval(sampler);
    const elapsed = (performance.now() - start) / 1000;
    const rssAtEnd = rssMb(server.pid!);
    if (process.env.SOAK_TAMPER === '1') {
      // Self-test of the check (test/soak.test.ts): change one acknowledged item behind the record's back.
      const [id] = [...expected].find(([, want]) => !want.deleted && !want.uncertain)!;
      await send('PATCH', `/countries/${id}`, { capital: 'Tampered' });
    }
    const { checked, lost, uncertain } = await verify();
    const sorted = Float64Array.from(stats.latencies).sort();
    const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? NaN;
    const drift = (rssAtEnd - rssAfterWarmup) / rssAfterWarmup;
    const judgeRss = seconds >= RSS_MIN_SECONDS;
    const result = {
      seconds: Math.round(elapsed * 10) / 10,
      connections,
      requests: stats.requests,
      reqPerSec: Math.round(stats.requests / elapsed),
      p99Ms: Math.round(p99 * 100) / 100,
      fiveXx: stats.fiveXx,
      unexpected: stats.unexpected.length,
      socketErrors: stats.socketErrors,
      writesChecked: checked,
      uncertainWrites: uncertain,
      lostWrites: lost.length,
      rssStartMb: Math.round(rssAtStart),
      rssAfterWarmupMb: Math.round(rssAfterWarmup),
      rssEndMb: Math.round(rssAtEnd),
      rssDrift: Math.round(drift * 1000) / 1000,
      rssJudged: judgeRss,
      requestsAfterWarmup: stats.requests - requestsAtWarmup,
    };
    const broken = [
      stats.fiveXx > 0 && `${stats.fiveXx} responses were 5xx`,
      lost.length > 0 && `${lost.length} acknowledged writes were lost`,
      stats.unexpected.length > 0 && `${stats.unexpected.length} unexpected answers`,
      stats.socketErrors > 0 && `${stats.socketErrors} requests got no answer`,
      judgeRss && !(drift <= RSS_DRIFT_LIMIT) && `RSS drifted ${(drift * 100).toFixed(1)}% after the warm-up (limit ${RSS_DRIFT_LIMIT * 100}%)`,
    ].filter(Boolean) as string[];
    for (const line of [...stats.unexpected, ...lost].slice(0, 20)) console.log(`  ${line}`);
    console.log(
      `\n${result.requests} requests in ${result.seconds} s: ${result.reqPerSec} req/s, p99 ${result.p99Ms} ms; ` +
        `5xx: ${result.fiveXx}; lost writes: ${result.lostWrites} of ${checked} items checked (${uncertain} left out: a write without an answer); ` +
        `RSS ${result.rssStartMb} MB at start, ${result.rssAfterWarmupMb} MB after the warm-up, ${result.rssEndMb} MB at the end ` +
        `(drift ${(drift * 100).toFixed(1)}%${judgeRss ? `, limit ${RSS_DRIFT_LIMIT * 100}%` : `, not judged under ${RSS_MIN_SECONDS} s`}).`,
    );
    console.log(broken.length ? `FAIL: ${broken.join('; ')}.` : 'PASS: every limit holds.');
    console.log(`SOAK ${JSON.stringify(result)}`);
    return broken.length ? 1 : 0;
  } finally {
    agent.destroy();
    server.kill('SIGTERM');
    await exited;
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
