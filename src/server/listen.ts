/**
 * Run a Rung application on a port: log the address and one line per
 * request, and on `stop()` stop accepting connections, finish requests in
 * flight, then close the store.
 *
 * ```ts
 * const running = await startServer(rung, { port: 3000 });   // logs "Rung listening on http://127.0.0.1:3000"
 * process.once('SIGTERM', () => running.stop());
 * ```
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LevelWithSilent } from 'pino';
import type { Rung } from './app.js';

export interface ServerOptions {
  /** Port to listen on; 0 picks a free one. Default 3000. */
  port?: number;
  /** Address to bind. Default 127.0.0.1 (loopback only). */
  host?: string;
  /**
   * How long in-flight requests get to finish on shutdown (ms, default
   * 10,000); then their connections are closed and the store with them.
   */
  shutdownGraceMs?: number;
  /**
   * Level of the server's log (the address, then one JSON line per request on
   * stdout) when `createRung` was given no `logger`: default the `LOG_LEVEL`
   * environment variable, else `info`; `silent` turns it off. A logger of your
   * own keeps its level.
   */
  logLevel?: LevelWithSilent;
  /** Log "Rung listening on <url>" once listening (default true; the CLI prints its own line). */
  logAddress?: boolean;
}

export interface RunningServer {
  server: Server;
  url: string;
  stop(): Promise<void>;
}

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

/** The level the default logger gets: the option, else a valid LOG_LEVEL, else info. */
function defaultLevel(option: LevelWithSilent | undefined): LevelWithSilent {
  if (option) return option;
  const env = process.env.LOG_LEVEL?.toLowerCase();
  return env && LEVELS.has(env) ? (env as LevelWithSilent) : 'info';
}

/** A listen failure as one sentence a person can act on; `code` is kept for programs. */
function listenError(error: NodeJS.ErrnoException, port: number, host: string): Error {
  const where = `port ${port} on ${host}`;
  const message =
    error.code === 'EADDRINUSE'
      ? `${where} is already in use (EADDRINUSE)`
      : error.code === 'EACCES'
        ? `${where} needs privileges this process lacks (EACCES)`
        : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND'
          ? `cannot listen on ${host}: not an address of this machine (${error.code})`
          : undefined;
  if (!message) return error;
  return Object.assign(new Error(message, { cause: error }), { code: error.code });
}

export async function startServer(rung: Rung, options: ServerOptions = {}): Promise<RunningServer> {
  const port = options.port ?? 3000;
  const host = options.host ?? '127.0.0.1';
  const log = rung.runtime.log;
  if (rung.runtime.defaultLogger) log.level = defaultLevel(options.logLevel);
  const server = createServer(rung.app.callback());
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(listenError(error, port, host)));
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostname = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostname}:${address.port}`;
  if (options.logAddress !== false) log.info({ url }, `Rung listening on ${url}`);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= new Promise<void>((resolve) => {
      // Readiness answers 503 from now on (requests still arriving on open keep-alive connections).
      rung.runtime.draining = true;
      const force = setTimeout(() => server.closeAllConnections(), options.shutdownGraceMs ?? 10_000);
      // Keep-alive sockets would hold close() open: close each as soon as its request is done.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      force.unref();
      sweep.unref();
      server.close(() => {
        clearTimeout(force);
        clearInterval(sweep);
        rung.close().then(resolve, resolve);
      });
      server.closeIdleConnections();
    }));
  return { server, url, stop };
}
