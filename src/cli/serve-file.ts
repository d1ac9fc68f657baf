/**
 * `rung serve api.yaml`: the settings an API file gives, under the command
 * line. Precedence, highest first: a flag, its environment variable, the
 * file, the built-in default. So `PORT=8080 rung serve api.yaml` and
 * `rung serve api.yaml --db /tmp/x.db` override the file, and a file's
 * `port: 4000` overrides the default 3000.
 */
import type { Command } from 'commander';
import { ApiFileError, StoreUnavailableError, createRungFromFile, loadApiFile, type ApiFile, type FromFileOptions, type Rung } from '../index.js';

/** Settings of `serve` an API file may give: option name → file key. */
const FROM_FILE = {
  port: 'port',
  host: 'host',
  db: 'db',
  databaseUrl: 'databaseUrl',
  publicBaseUrl: 'publicBaseUrl',
  requirePreconditions: 'requirePreconditions',
  bodyLimit: 'bodyLimit',
  logLevel: 'logLevel',
} as const;

/** Read the API file, or end the command with its problems (no stack trace). */
export function loadOrExit(file: string, command: Command): ApiFile {
  try {
    return loadApiFile(file);
  } catch (err) {
    if (err instanceof ApiFileError) command.error(`rung: ${err.message}`, { exitCode: 1 });
    throw err;
  }
}

/** The options of `serve`, with the file's settings where no flag or variable gave one. */
export function withFileSettings(api: ApiFile, options: Record<string, unknown>, command: Command): Record<string, unknown> {
  const fromFile: Record<keyof typeof FROM_FILE, unknown> = {
    port: api.port === undefined ? undefined : String(api.port),
    host: api.host,
    db: api.options.db,
    databaseUrl: api.options.databaseUrl,
    publicBaseUrl: api.options.publicBaseUrl,
    requirePreconditions: api.options.requirePreconditions,
    bodyLimit: api.options.bodyLimit,
    logLevel: api.logLevel,
  };
  const merged = { ...options };
  for (const name of Object.keys(FROM_FILE) as (keyof typeof FROM_FILE)[]) {
    const source = command.getOptionValueSource(name);
    if (source !== 'cli' && source !== 'env' && fromFile[name] !== undefined) merged[name] = fromFile[name];
  }
  return merged;
}

/** Create and seed the file's API, or end the command with one clear line. */
export async function createOrExit(api: ApiFile, options: FromFileOptions, command: Command): Promise<Rung> {
  try {
    return await createRungFromFile(api, options);
  } catch (err) {
    if (err instanceof StoreUnavailableError) throw err;
    command.error(`rung: ${err instanceof ApiFileError ? err.message : `cannot start ${api.file}: ${(err as Error).message}`}`, { exitCode: 1 });
  }
}
