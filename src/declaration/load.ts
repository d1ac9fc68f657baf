/**
 * APIs declared in a file: `loadApiFile('api.yaml')` reads and checks a YAML
 * or JSON declaration and returns what `createRung` takes;
 * `createRungFromFile` also creates the API and seeds it.
 *
 * ```ts
 * const rung = await createRungFromFile('api.yaml', { db: ':memory:' });
 * ```
 *
 * Paths inside the file (`db`, `contexts`, seed files) are relative to the
 * file, not to the working directory. A file that cannot be served throws
 * one {@link ApiFileError} listing every problem, each at its path inside
 * the file and its line.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { ContextRegistry } from '../resources/contexts.js';
import { ResourceRegistry } from '../resources/registry.js';
import { createRung, type Rung } from '../server/app.js';
import type { RungOptions } from '../server/options.js';
import { toDefinition } from './definitions.js';
import { ApiFileError, formatPath, type ApiFileProblem, type DataPath } from './problems.js';
import type { ApiDeclaration } from './schema.js';
import { readSource, type Source } from './source.js';
import { meaningProblems, shapeProblems } from './validate.js';

/** Rows for one collection, and where they were declared (for messages). */
export interface SeedRows {
  resource: string;
  rows: Record<string, unknown>[];
  /** A separate file holding the rows, when the API file named one. */
  file?: string;
}

export interface ApiFile {
  /** The file as it was named. */
  file: string;
  /** Its folder: every path in the file is relative to it. */
  dir: string;
  /** The declaration as written (after checking). */
  declaration: ApiDeclaration;
  /**
   * What `createRung` takes: the resources, and the settings the file gives,
   * with paths resolved. `db` is always set: the file's, or `<name>.db`
   * beside the file.
   */
  options: Omit<RungOptions, 'store' | 'logger'> & { db: string };
  /** Server settings the file gives (`rung serve` uses them unless a flag or variable says otherwise). */
  port?: number;
  host?: string;
  logLevel?: string;
  /** Seed rows, in the order they go in: a collection before those that link to it. */
  seed: SeedRows[];
  /** A problem located in this file (line and column; on the key itself with `onKey`), for errors found later. */
  problem(path: DataPath, message: string, onKey?: boolean): ApiFileProblem;
}

function readText(file: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message;
    throw new ApiFileError(file, [{ path: [], at: 'file', message: `cannot be read: ${why} (write one with "rung init ${basename(file)}")` }]);
  }
}

/** Rows from a seed file (JSON or YAML: a list of objects). */
function seedFile(path: string, at: DataPath, source: Source): { rows?: Record<string, unknown>[]; problem?: ApiFileProblem } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { problem: source.problem(at, `${path} cannot be read: ${(err as Error).message}`) };
  }
  const rows = readSource(text);
  if (rows.problems.length) {
    const first = rows.problems[0];
    return { problem: source.problem(at, `${path}:${first.line ?? 1}:${first.column ?? 1}: ${first.message}`) };
  }
  if (!Array.isArray(rows.data) || rows.data.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))) {
    return { problem: source.problem(at, `${path} must hold a list of objects, one per row`) };
  }
  return { rows: rows.data as Record<string, unknown>[] };
}

/**
 * The resource a start-time error names ("Resource Book: …", "Book.author: …"),
 * so an error the checks above did not foresee still points into the file.
 */
function resourceNamed(message: string, names: string[]): string | undefined {
  const match = /^(?:Resource(?:s)? )?([A-Z][A-Za-z0-9]*)[.:\s]/.exec(message);
  return match && names.includes(match[1]) ? match[1] : undefined;
}

/** In the order of the file. */
const sortProblems = (problems: ApiFileProblem[]) => problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));

/** Read and check an API file. Throws {@link ApiFileError} listing every problem. */
export function loadApiFile(file: string): ApiFile {
  const path = resolve(file);
  const dir = dirname(path);
  const source = readSource(readText(file, path));
  const fail = (problems: ApiFileProblem[]) => {
    if (problems.length) throw new ApiFileError(file, sortProblems(problems));
  };
  fail(source.problems);
  // Every problem at once: the meaning of the parts whose shape is right is checked too.
  const shape = shapeProblems(source);
  const api = source.data as ApiDeclaration;
  fail([...shape, ...meaningProblems(api, source, dir, shape)]);

  const resources = Object.entries(api.resources).map(([name, declaration]) => toDefinition(name, declaration));
  const contextsDir = resolve(dir, api.contexts ?? 'contexts');
  // The checks above find what they know to look for; compiling finds the rest.
  let order: string[] = [];
  try {
    const registry = new ResourceRegistry(resources);
    new ContextRegistry(contextsDir, registry);
    order = registry.ordered.map((r) => r.name);
  } catch (err) {
    const message = (err as Error).message;
    // "Resource Book: iris.titel: …" (generated-context.ts) points at that entry.
    const iris = /^Resource ([A-Za-z0-9]+): (iris\.([^:]+): .*)$/.exec(message);
    if (iris && Object.hasOwn(api.resources, iris[1])) {
      fail(iris[2].split('; iris.').map((part, i) => {
        const [term, ...rest] = (i ? part : part.slice('iris.'.length)).split(': ');
        return source.problem(['resources', iris[1], 'iris', term], rest.join(': '), true);
      }));
    }
    const name = resourceNamed(message, Object.keys(api.resources));
    fail([source.problem(name ? ['resources', name] : ['resources'], message, Boolean(name))]);
  }

  const problems: ApiFileProblem[] = [];
  const seed: SeedRows[] = [];
  for (const [resource, rows] of Object.entries(api.seed ?? {})) {
    if (typeof rows !== 'string') {
      seed.push({ resource, rows });
      continue;
    }
    const loaded = seedFile(resolve(dir, rows), ['seed', resource], source);
    if (loaded.problem) problems.push(loaded.problem);
    else seed.push({ resource, rows: loaded.rows!, file: rows });
  }
  fail(problems);
  seed.sort((a, b) => order.indexOf(a.resource) - order.indexOf(b.resource));

  const options: ApiFile['options'] = {
    resources,
    db: api.db === ':memory:' ? api.db : resolve(dir, api.db ?? `${basename(path, extname(path))}.db`),
    contextsDir,
  };
  if (api.databaseUrl !== undefined) options.databaseUrl = api.databaseUrl;
  if (api.title !== undefined) options.title = api.title;
  if (api.description !== undefined) options.description = api.description;
  if (api.publicBaseUrl !== undefined) options.publicBaseUrl = api.publicBaseUrl;
  if (api.requirePreconditions !== undefined) options.requirePreconditions = api.requirePreconditions;
  if (api.bodyLimit !== undefined) options.bodyLimit = api.bodyLimit;
  if (api.maxJsonDepth !== undefined) options.maxJsonDepth = api.maxJsonDepth;
  if (api.paging !== undefined) options.paging = api.paging;
  if (api.auth !== undefined) options.auth = { ...api.auth };
  if (api.rateLimit !== undefined) options.rateLimit = api.rateLimit;
  if (api.cors !== undefined) options.cors = { ...api.cors };
  return {
    file,
    dir,
    declaration: api,
    options,
    port: api.port,
    host: api.host,
    logLevel: api.logLevel,
    seed,
    problem: (at, message, onKey) => source.problem(at, message, onKey),
  };
}

/**
 * Put the file's seed rows into the empty collections of `rung`. A row the
 * API would refuse fails with an {@link ApiFileError} naming it.
 */
export async function seedFromFile(rung: Rung, api: ApiFile): Promise<void> {
  for (const { resource, rows, file } of api.seed) {
    try {
      await rung.seed(resource, rows);
    } catch (err) {
      const { row, violations } = err as { row?: number; violations?: { pointer: string; message: string }[] };
      if (row === undefined || !violations) throw err;
      const problems = violations.map((v) => {
        const inRow: DataPath = v.pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
        return file
          ? api.problem(['seed', resource], `${file}: ${formatPath([row, ...inRow])}: ${v.message}`)
          : api.problem(['seed', resource, row, ...inRow], v.message, true);
      });
      throw new ApiFileError(api.file, sortProblems(problems));
    }
  }
}

export interface FromFileOptions extends Partial<Omit<RungOptions, 'resources'>> {
  /** Put the file's `seed` rows into empty collections (default true). */
  seed?: boolean;
}

/**
 * Create the API an API file declares, seeded. `overrides` win over the
 * file's settings (e.g. `{ db: ':memory:' }` in a test).
 */
export async function createRungFromFile(file: string | ApiFile, overrides: FromFileOptions = {}): Promise<Rung> {
  const api = typeof file === 'string' ? loadApiFile(file) : file;
  const { seed, ...options } = overrides;
  const rung = await createRung({ ...api.options, ...options });
  if (seed !== false) {
    try {
      await seedFromFile(rung, api);
    } catch (err) {
      await rung.close();
      throw err;
    }
  }
  return rung;
}

