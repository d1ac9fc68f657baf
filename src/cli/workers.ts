/**
 * `rung serve --workers N`: one primary process and N worker processes
 * (Node's cluster module) sharing one port. The primary only supervises: it
 * accepts connections and hands them to the workers in turn (cluster's
 * round-robin), prints the one "Rung listening on …" line, replaces a worker
 * that dies, and on SIGTERM or SIGINT lets every worker drain and exits.
 * Each worker is an ordinary `rung serve` (serve.ts) over the same database:
 * SQLite's IMMEDIATE write transactions and its change log keep them
 * consistent, as they do for separate processes.
 *
 * State kept in process memory is per worker: the response and row caches
 * (each checked against the database before reuse) and the rate limiter's
 * counters (a client may get up to N × its quota; share a limiter through
 * `rateLimit.limiter`, or limit at a proxy).
 */
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import { withNodeFlags } from './node-flags.js';

/** Most workers `--workers` takes: beyond the cores, more workers only add memory. */
export const MAX_WORKERS = 256;

/**
 * The number of workers `--workers` (or RUNG_WORKERS) asks for: a whole
 * number 1–256, or `auto` for one per core (os.availableParallelism).
 * Undefined: no primary, one process (the default). Throws a usage message.
 */
export function parseWorkers(value: string | undefined, cores = availableParallelism()): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim().toLowerCase();
  if (text === 'auto') return Math.max(1, cores);
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_WORKERS) {
    throw new Error(`--workers must be a whole number 1–${MAX_WORKERS} or "auto" (one per core), not "${value}"`);
  }
  return Number(text);
}

/** A worker that lived less than this died "quickly": its replacement waits longer each time. */
export const QUICK_DEATH_MS = 10_000;
export const MAX_RESTART_DELAY_MS = 30_000;

/**
 * How long to wait before replacing a dead worker, after `quickDeaths`
 * deaths in a row of workers that lived less than {@link QUICK_DEATH_MS}
 * (this one included): 0 for a worker that ran a while, then 100 ms, 200 ms,
 * 400 ms … up to 30 s, so a crash loop (a bad file, a full disk) does not
 * spin the CPU or flood the log.
 */
export function restartDelay(quickDeaths: number): number {
  if (quickDeaths <= 0) return 0;
  return Math.min(MAX_RESTART_DELAY_MS, 100 * 2 ** (quickDeaths - 1));
}

export interface PrimaryOptions {
  workers: number;
  log: Logger;
  /** What the listening line says after the URL, e.g. "database: ./data/rung.db". */
  describe: string;
  /** The workers' own shutdown grace (ms): past it (plus a margin), the primary kills what is left. */
  shutdownGraceMs: number;
}

/** Run the primary: fork, supervise, drain. Resolves never; ends the process itself. */
export function runPrimary(options: PrimaryOptions): void {
  const { log } = options;
  const started = new Map<Worker, number>();
  let quickDeaths = 0;
  let listening = false;
  let stopping = false;
  let failed = false;

  // Workers run with Rung's V8 flags even when the primary was started without them (node-flags.ts).
  cluster.setupPrimary({ execArgv: withNodeFlags(process.execArgv) });
  const fork = () => {
    const worker = cluster.fork();
    started.set(worker, Date.now());
    log.info({ worker: worker.process.pid }, 'worker started');
  };

  // The line is printed once every worker of the first round listens, so a client that waits for it
  // (a test, a process manager) is spread over all of them from its first connection.
  let ready = 0;
  cluster.on('listening', (_worker, address) => {
    if (listening || ++ready < options.workers) return;
    listening = true;
    const host = address.addressType === 6 ? `[${address.address}]` : address.address ?? '127.0.0.1';
    console.log(`Rung listening on http://${host}:${address.port} (${options.describe}, workers: ${options.workers})`);
  });

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker) ?? 0);
    started.delete(worker);
    if (stopping) {
      if (code !== 0) failed = true;
      if (started.size === 0) process.exit(failed ? 1 : 0);
      return;
    }
    if (!listening) {
      // No worker ever listened: a port in use, a database that cannot be opened. The worker said why.
      log.error({ worker: worker.process.pid, code, signal }, 'a worker could not start; stopping');
      stopping = true;
      failed = true;
      for (const other of started.keys()) other.process.kill('SIGTERM');
      if (started.size === 0) process.exit(1);
      return;
    }
    quickDeaths = lived < QUICK_DEATH_MS ? quickDeaths + 1 : 0;
    const delay = restartDelay(quickDeaths);
    log.warn({ worker: worker.process.pid, code, signal, livedMs: lived, restartInMs: delay }, 'worker exited; replacing it');
    setTimeout(() => {
      if (!stopping) fork();
    }, delay);
  });

  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, workers: started.size }, 'shutting down: every worker finishes its requests in flight');
    if (started.size === 0) process.exit(0);
    // Each worker drains like a single `rung serve` (listen.ts) and exits 0.
    for (const worker of started.keys()) worker.process.kill('SIGTERM');
    const force = setTimeout(() => {
      log.error({ workers: started.size }, 'workers did not stop in time; killing them');
      for (const worker of started.keys()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, options.shutdownGraceMs + 5000);
    force.unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  for (let i = 0; i < options.workers; i++) fork();
}
