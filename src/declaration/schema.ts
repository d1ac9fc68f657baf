/**
 * What an API file may say, as a JSON Schema of its own (checked by ajv
 * before anything else), and the same shape as TypeScript types. Names
 * follow `defineResource` and the CLI's flags, so a declaration reads the
 * same in a file, in code and on the command line.
 */
import type { JsonSchema, ParentDefinition } from '../resources/definition.js';

/** Field types that may be written as a bare word: `name: string`, `born: date`. */
export const FIELD_SHORTHANDS: Record<string, JsonSchema> = {
  string: { type: 'string' },
  integer: { type: 'integer' },
  number: { type: 'number' },
  boolean: { type: 'boolean' },
  date: { type: 'string', format: 'date' },
  'date-time': { type: 'string', format: 'date-time' },
  email: { type: 'string', format: 'email' },
  uri: { type: 'string', format: 'uri' },
};

export interface RelationDeclaration {
  /** Name of the target resource. */
  resource: string;
  /** Deleting the target: `restrict` (409 while linked, the default) or `cascade`. */
  onDelete?: 'restrict' | 'cascade';
  /** Term under which the target links back to the items pointing at it. */
  inverse?: string;
  inverseDescription?: string;
  /** Description of the link field (when `fields` does not declare it). */
  description?: string;
}

export interface PagingDeclaration {
  defaultPageSize?: number;
  maxPageSize?: number;
}

export interface ResourceDeclaration {
  segment: string;
  title?: string;
  description?: string;
  /** Each field's JSON Schema, or a type word (see {@link FIELD_SHORTHANDS}). */
  fields?: Record<string, JsonSchema | string>;
  required?: string[];
  relations?: Record<string, RelationDeclaration>;
  parent?: ParentDefinition;
  filters?: string[];
  sort?: string[];
  /** Text fields the free-text parameter `q` searches. */
  search?: string[];
  defaultSort?: string;
  readOnly?: boolean;
  /** A hand-written JSON-LD context file in the `contexts` folder; left out, the context is generated. */
  context?: string;
  iris?: Record<string, string>;
  paging?: PagingDeclaration;
}

export interface ApiDeclaration {
  title?: string;
  description?: string;
  /** SQLite file (relative to the API file), or `:memory:`. */
  db?: string;
  /** PostgreSQL instead of `db`: `postgres://user:password@host:port/database` (better given as DATABASE_URL). */
  databaseUrl?: string;
  port?: number;
  host?: string;
  publicBaseUrl?: string;
  requirePreconditions?: boolean;
  bodyLimit?: string | number;
  logLevel?: string;
  maxJsonDepth?: number;
  paging?: PagingDeclaration;
  /** Folder of hand-written JSON-LD contexts (relative to the API file). */
  contexts?: string;
  resources: Record<string, ResourceDeclaration>;
  /** Rows put into each empty collection at start: a list, or a JSON/YAML file holding one. */
  seed?: Record<string, Record<string, unknown>[] | string>;
  /** What callers without a token may do (`none`, `read` — the default —, `write`), and the realm of challenges. */
  auth?: { anonymous?: 'none' | 'read' | 'write'; realm?: string };
  /** Requests per window (seconds) for each client, or `false` for no limit. */
  rateLimit?: false | { requests?: number; window?: number };
  /** Browser applications on these origins (`*`: any) may call the API. */
  cors?: { origin: string | string[]; maxAge?: number };
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

const text = { type: 'string', minLength: 1 };
const names = { type: 'array', items: { type: 'string' } };
const paging = {
  type: 'object',
  properties: {
    defaultPageSize: { type: 'integer', minimum: 1 },
    maxPageSize: { type: 'integer', minimum: 1 },
  },
  additionalProperties: false,
};

const resource = {
  type: 'object',
  properties: {
    segment: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', examples: ['books'] },
    title: text,
    description: text,
    fields: {
      type: 'object',
      additionalProperties: {
        type: ['string', 'object'],
        if: { type: 'string' },
        then: { enum: Object.keys(FIELD_SHORTHANDS) },
      },
    },
    required: names,
    relations: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: {
          resource: text,
          onDelete: { enum: ['restrict', 'cascade'] },
          inverse: text,
          inverseDescription: text,
          description: text,
        },
        required: ['resource'],
        additionalProperties: false,
      },
    },
    parent: {
      type: 'object',
      properties: { resource: text, term: text, inverse: text, description: text, inverseDescription: text },
      required: ['resource', 'term', 'inverse'],
      additionalProperties: false,
    },
    filters: names,
    sort: names,
    search: names,
    defaultSort: text,
    readOnly: { type: 'boolean' },
    context: { type: 'string', pattern: '^[^/\\\\]+\\.jsonld$', examples: ['book.jsonld'] },
    iris: { type: 'object', additionalProperties: { type: 'string' } },
    paging,
  },
  required: ['segment'],
  additionalProperties: false,
};

/** The JSON Schema of an API file. */
export const API_FILE_SCHEMA = {
  type: 'object',
  properties: {
    title: text,
    description: text,
    db: text,
    databaseUrl: { type: 'string', pattern: '^postgres(ql)?://', examples: ['postgres://rung@127.0.0.1:5432/rung'] },
    port: { type: 'integer', minimum: 0, maximum: 65535 },
    host: text,
    publicBaseUrl: { type: 'string', pattern: '^https?://[^/\\s?#]+(/[^\\s?#]*)?$', examples: ['https://api.example.org'] },
    requirePreconditions: { type: 'boolean' },
    bodyLimit: { type: ['string', 'integer'], pattern: '^\\d+(\\.\\d+)?\\s*([kKmMgG]?[bB])?$', minimum: 1, examples: ['1mb'] },
    logLevel: { enum: LOG_LEVELS },
    maxJsonDepth: { type: 'integer', minimum: 1 },
    paging,
    contexts: text,
    resources: { type: 'object', minProperties: 1, additionalProperties: resource },
    seed: {
      type: 'object',
      additionalProperties: { type: ['array', 'string'], items: { type: 'object' } },
    },
    auth: {
      type: 'object',
      properties: { anonymous: { enum: ['none', 'read', 'write'] }, realm: text },
      additionalProperties: false,
    },
    rateLimit: {
      type: ['boolean', 'object'],
      if: { type: 'boolean' },
      then: { const: false },
      else: {
        properties: { requests: { type: 'integer', minimum: 1 }, window: { type: 'integer', minimum: 1 } },
        additionalProperties: false,
      },
    },
    cors: {
      type: 'object',
      properties: {
        origin: {
          type: ['string', 'array'],
          pattern: '^(\\*|https?://[^/\\s]+)$',
          items: { type: 'string', pattern: '^https?://[^/\\s]+$' },
          minItems: 1,
          examples: ['https://admin.example.org'],
        },
        maxAge: { type: 'integer', minimum: 0 },
      },
      required: ['origin'],
      additionalProperties: false,
    },
  },
  required: ['resources'],
  additionalProperties: false,
} as const;
