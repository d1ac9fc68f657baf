/**
 * `rung token create|list|revoke`: the API's bearer tokens, in the database
 * the server uses (`--database-url` or DATABASE_URL for PostgreSQL, `--db`
 * or RUNG_DB for SQLite, or the `databaseUrl` or `db` of an API file). The server sees a new or revoked token at its next request: it
 * looks every token up when it is sent.
 *
 * `create` prints the token alone on stdout, once (`token=$(rung token
 * create --scopes read,write)`); what it is goes to stderr. Only its hash is
 * stored: a lost token cannot be shown again; revoke it and create another.
 */
import { Command, Option } from 'commander';
import { DEFAULT_DB, parseScopes, PostgresTokenStore, redactUrl, SqliteTokenStore, type TokenRecord, type TokenStore, type Scope } from '../index.js';
import { loadOrExit } from './serve-file.js';

interface DbOptions {
  db: string;
  databaseUrl?: string;
}

const isPostgres = (target: string) => /^postgres(ql)?:\/\//.test(target);

/**
 * The database: --database-url (or DATABASE_URL), else the API file's
 * `databaseUrl` or `db` unless --db or RUNG_DB says otherwise.
 */
function databaseOf(file: string | undefined, options: DbOptions, command: Command): string {
  if (options.databaseUrl) return options.databaseUrl;
  const source = command.getOptionValueSource('db');
  if (file && source !== 'cli' && source !== 'env') {
    const api = loadOrExit(file, command);
    if (api.options.databaseUrl) return api.options.databaseUrl;
    if (api.options.db === ':memory:') command.error('rung: this API file keeps its data in memory (db: ":memory:"), where no other process can reach its tokens', { exitCode: 1 });
    return api.options.db;
  }
  return options.db;
}

const dbOption = () => new Option('--db <path>', 'SQLite database file the server uses').env('RUNG_DB').default(DEFAULT_DB);
const databaseUrlOption = () => new Option('--database-url <url>', 'PostgreSQL database the server uses (instead of --db)').env('DATABASE_URL');

function describe(record: TokenRecord): string {
  const name = record.name ? ` ${JSON.stringify(record.name)}` : '';
  const state = record.revokedAt ? `revoked ${record.revokedAt.toISOString()}` : 'active';
  return `${record.id}\t${record.scopes.join(',')}\t${record.createdAt.toISOString()}\t${state}${name}`;
}

async function withTokens<T>(target: string, fn: (store: TokenStore) => Promise<T>): Promise<T> {
  const store = isPostgres(target) ? new PostgresTokenStore({ connectionString: target }) : new SqliteTokenStore({ path: target });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function tokenCommand(): Command {
  const token = new Command('token').description('Create, list and revoke the bearer tokens of an API (stored as hashes in its database).');

  token
    .command('create')
    .description('Create a token and print it once on stdout (only its hash is stored).')
    .argument('[file]', 'API file whose database holds the tokens (default: --db)')
    .requiredOption('--scopes <scopes>', 'comma-separated: read (GET, HEAD), write (POST, PUT, PATCH, DELETE; includes read)')
    .option('--name <name>', 'a label for people, e.g. ci or admin-ui')
    .addOption(dbOption())
    .addOption(databaseUrlOption())
    .action(async (file: string | undefined, options: DbOptions & { scopes: string; name?: string }, command: Command) => {
      let scopes: Scope[];
      try {
        scopes = parseScopes(options.scopes);
      } catch (err) {
        command.error(`rung: --scopes: ${(err as Error).message}`, { exitCode: 1 });
      }
      const db = databaseOf(file, options, command);
      const created = await withTokens(db, (store) => store.create({ scopes, name: options.name }));
      console.log(created.token);
      console.error(`Token ${created.record.id} (${scopes.join(', ')}) created in ${isPostgres(db) ? redactUrl(db) : db}. It is shown only now: keep it secret.`);
    });

  token
    .command('list')
    .description('List the tokens (id, scopes, created, state, name): never the tokens themselves.')
    .argument('[file]', 'API file whose database holds the tokens (default: --db)')
    .addOption(dbOption())
    .addOption(databaseUrlOption())
    .action(async (file: string | undefined, options: DbOptions, command: Command) => {
      const records = await withTokens(databaseOf(file, options, command), (store) => store.list());
      if (!records.length) console.error('No tokens yet: rung token create --scopes read,write');
      for (const record of records) console.log(describe(record));
    });

  token
    .command('revoke')
    .description('Revoke a token by its id (see rung token list): it is refused from the next request on.')
    .argument('<id>', 'the token id')
    .argument('[file]', 'API file whose database holds the tokens (default: --db)')
    .addOption(dbOption())
    .addOption(databaseUrlOption())
    .action(async (id: string, file: string | undefined, options: DbOptions, command: Command) => {
      if (!/^[1-9]\d{0,15}$/.test(id)) command.error(`rung: the token id is a positive integer (see rung token list), not ${id}`, { exitCode: 1 });
      const revoked = await withTokens(databaseOf(file, options, command), (store) => store.revoke(Number(id)));
      if (!revoked) command.error(`rung: no active token has id ${id}`, { exitCode: 1 });
      console.error(`Token ${id} revoked.`);
    });

  return token;
}
