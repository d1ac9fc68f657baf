/**
 * `rung serve`: an API declared in a YAML or JSON file (serve-file.ts), the
 * resources of an OpenAPI document (--openapi), or without either the example
 * API, on an embedded SQLite file or on PostgreSQL (--database-url).
 *
 * Every flag has an environment variable; a flag wins over its variable.
 */
import cluster from 'node:cluster';
import { Command, Option } from 'commander';
import pino from 'pino';
import { createExampleApi } from '../example/index.js';
import { DEFAULT_DB, redactUrl, startServer, StoreUnavailableError, type RunningServer } from '../index.js';
import { createOpenApiRung } from './openapi.js';
import { createOrExit, loadOrExit, withFileSettings } from './serve-file.js';
import { addSecurityFlags, securityOptions } from './security-flags.js';
import { parseWorkers, runPrimary } from './workers.js';

export function serveCommand(): Command {
  const command = new Command('serve')
    .description('Serve an API declared in a YAML or JSON file, the resources of an OpenAPI document (--openapi), or without either the example API (countries, events, guests), on an embedded SQLite file or on PostgreSQL (--database-url).')
    .argument('[file]', 'API file (YAML or JSON; write one with "rung init"); its settings apply unless a flag or variable gives them')
    .addOption(new Option('-p, --port <port>', 'port to listen on').env('PORT').default('3000'))
    .addOption(new Option('-H, --host <host>', 'address to bind').env('HOST').default('127.0.0.1'))
    .addOption(new Option('--db <path>', 'SQLite database file (created if missing)').env('RUNG_DB').default(DEFAULT_DB))
    .addOption(
      new Option('--database-url <url>', 'PostgreSQL instead of --db (postgres://user:password@host:port/database); many instances may share it')
        .env('DATABASE_URL'),
    )
    .addOption(
      new Option('--public-base-url <url>', 'absolute base URL for IRIs (default: the request origin)').env('RUNG_PUBLIC_BASE_URL'),
    )
    .addOption(
      new Option('--require-preconditions', 'answer 428 to PUT, PATCH and DELETE without If-Match').env('RUNG_REQUIRE_PRECONDITIONS'),
    )
    .addOption(new Option('--body-limit <size>', 'largest request body, e.g. 1mb or 500kb').env('RUNG_BODY_LIMIT').default('1mb'))
    .addOption(
      new Option('--log-level <level>', 'log level')
        .env('LOG_LEVEL')
        .choices(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
        .default('info'),
    )
    .addOption(new Option('--no-seed', 'do not seed empty collections on first start (the countries, or the file\'s seed rows)'))
    .addOption(
      new Option('--cache-size <MiB>', 'memory for whole cached responses, in MiB (renderings get half as much again)').env('RUNG_CACHE_SIZE').default('16'),
    )
    .addOption(
      new Option('--shutdown-timeout <seconds>', 'on SIGTERM or SIGINT, how long requests in flight get to finish before their connections are closed')
        .env('RUNG_SHUTDOWN_TIMEOUT')
        .default('10'),
    )
    .addOption(
      new Option('--workers <n>', 'serve from n processes sharing the port (Node cluster), or "auto" for one per core; a worker that dies is replaced').env(
        'RUNG_WORKERS',
      ),
    )
    .addOption(new Option('--openapi <file>', 'serve the resources of an OpenAPI 3.0/3.1 document (YAML or JSON) instead of the example').env('RUNG_OPENAPI'));
  return addSecurityFlags(command)
    .addHelpText(
      'after',
      `
Environment: PORT, HOST, RUNG_DB, DATABASE_URL, RUNG_PUBLIC_BASE_URL, RUNG_REQUIRE_PRECONDITIONS=1,
RUNG_BODY_LIMIT, RUNG_OPENAPI, RUNG_ANONYMOUS, RUNG_REALM, RUNG_RATE_LIMIT,
RUNG_CORS_ORIGIN, RUNG_CACHE_SIZE, RUNG_SHUTDOWN_TIMEOUT, RUNG_WORKERS, LOG_LEVEL. Logs are one JSON line per request on stdout.
An API file's settings (db, databaseUrl, port, host, publicBaseUrl, requirePreconditions,
bodyLimit, logLevel, auth, rateLimit, cors) apply where no flag or variable
gives them; its paths are relative to the file.
Tokens: rung token create --scopes read,write (same --db or --database-url).
Workers: --workers N runs N processes behind one port; each has its own
caches and its own rate-limit counters (a client may get N times its quota).
PostgreSQL: run any number of instances with the same DATABASE_URL behind a
load balancer; they share all data and tokens (rate-limit counters are per
process). The schema is migrated at start, one instance at a time.
Health: GET /health/live (200 while the process runs) and GET /health/ready
(200 when the database answers; 503 when not, and while shutting down).
SIGTERM or SIGINT stops accepting connections, lets the requests in flight
finish (at most --shutdown-timeout seconds), closes the database, exits 0.`,
    )
    .action(async (file: string | undefined, options, command: Command) => {
      const api = file ? loadOrExit(file, command) : undefined;
      const opts = api ? withFileSettings(api, options, command) : options;
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) command.error(`--port must be 0–65535, not ${opts.port}`);
      const cacheMiB = Number(opts.cacheSize);
      if (String(opts.cacheSize).trim() === '' || !Number.isFinite(cacheMiB) || cacheMiB < 0) {
        command.error(`--cache-size must be a number of MiB ≥ 0, not ${opts.cacheSize}`);
      }
      const shutdownSeconds = Number(opts.shutdownTimeout);
      if (String(opts.shutdownTimeout).trim() === '' || !Number.isFinite(shutdownSeconds) || shutdownSeconds < 0) {
        command.error(`--shutdown-timeout must be a number of seconds ≥ 0, not ${opts.shutdownTimeout}`);
      }
      let workers: number | undefined;
      try {
        workers = parseWorkers(opts.workers);
      } catch (error) {
        command.error((error as Error).message);
      }
      if (workers !== undefined && opts.db === ':memory:') command.error('--workers needs a database file: each worker would get a :memory: database of its own');
      const requirePreconditions = opts.requirePreconditions === true || ['1', 'true', 'yes'].includes(String(opts.requirePreconditions));
      // Under --workers, every log line names its process: the primary's, or the worker that answered.
      const logger = pino({ level: opts.logLevel, base: workers === undefined ? undefined : { pid: process.pid } });
      const databaseUrl = typeof opts.databaseUrl === 'string' && opts.databaseUrl !== '' ? opts.databaseUrl : undefined;
      if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) command.error(`--database-url must start with postgres:// (or postgresql://), not ${redactUrl(databaseUrl)}`);
      const settings = {
        db: opts.db,
        databaseUrl,
        publicBaseUrl: opts.publicBaseUrl,
        requirePreconditions,
        bodyLimit: opts.bodyLimit,
        renderCacheBytes: Math.round(cacheMiB * 1024 * 1024),
        logger,
        // Under --workers the primary migrates and seeds once, before forking: workers never race to seed.
        seed: cluster.isWorker ? false : opts.seed,
        ...securityOptions(opts, command, api?.options.auth),
      };
      if (api && opts.openapi) command.error('Give an API file or --openapi, not both.');
      const database = databaseUrl ? redactUrl(databaseUrl) : opts.db;
      const create = async () => {
        try {
          return await (api
            ? createOrExit(api, settings, command)
            : opts.openapi
              ? createOpenApiRung(opts.openapi, settings)
              : createExampleApi(settings));
        } catch (error) {
          // A database that cannot be reached at start is one line, with the driver's reason (never the password).
          if (!(error instanceof StoreUnavailableError)) throw error;
          const cause = (error as { cause?: { message?: string; code?: string } }).cause;
          return command.error(`rung: cannot reach the database ${database}: ${cause?.message || cause?.code || error.message}`);
        }
      };
      if (workers !== undefined && cluster.isPrimary) {
        await (await create()).close();
        runPrimary({ workers, log: logger, describe: `database: ${database}`, shutdownGraceMs: shutdownSeconds * 1000 });
        return;
      }
      const rung = await create();
      let running: RunningServer;
      try {
        running = await startServer(rung, { port, host: opts.host, logAddress: false, shutdownGraceMs: shutdownSeconds * 1000 });
      } catch (error) {
        await rung.close();
        // A busy or forbidden port is a usage problem: one line, no stack trace.
        const { code, message } = error as NodeJS.ErrnoException;
        if (code === 'EADDRINUSE' || code === 'EACCES') command.error(`rung: ${message}; choose another with --port (or PORT)`);
        if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') command.error(`rung: ${message}; choose another with --host (or HOST)`);
        throw error;
      }
      // Under --workers the primary prints the one listening line (workers.ts). Never the password: the line ends up in logs.
      if (cluster.isPrimary) console.log(`Rung listening on ${running.url} (database: ${database})`);
      const shutdown = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        running.stop().then(() => process.exit(0));
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    });
}
