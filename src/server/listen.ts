/**
 * Run a Rung application on a port: print the address, and on SIGTERM /
 * SIGINT stop accepting connections, finish requests in flight, then close
 * the store.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Rung } from './app.js';

export interface ServerOptions {
  port: number;
  host: string;
  /** How long in-flight requests get to finish on shutdown (ms). */
  shutdownGraceMs?: number;
}

export interface RunningServer {
  server: Server;
  url: string;
  stop(): Promise<void>;
}

export async function startServer(rung: Rung, options: ServerOptions): Promise<RunningServer> {
  const server = createServer(rung.app.callback());
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= new Promise<void>((resolve) => {
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
